# bash completion for bpfmap(8).
#
# The candidates come from bpfmap itself (`bpfmap __complete INDEX WORD...`),
# so they follow the CLI exactly: commands and aliases, options and their
# values, map types and flags, pinned paths, live map ids and names, and a
# JSON skeleton of a typed map's key or value.

_bpfmap() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local IFS=$'\n'
  local candidates
  candidates=($("${COMP_WORDS[0]}" __complete "$((COMP_CWORD - 1))" \
    "${COMP_WORDS[@]:1}" 2>/dev/null))
  COMPREPLY=()
  local candidate
  for candidate in "${candidates[@]}"; do
    COMPREPLY+=("$candidate")
  done
  # A directory is a step on the way: no space after it.
  if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]]; then
    compopt -o nospace 2>/dev/null
  fi
  return 0
}

complete -F _bpfmap bpfmap
