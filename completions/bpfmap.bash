# bash completion for bpfmap(8).
#
# The candidates come from bpfmap itself (`bpfmap __complete INDEX WORD...`),
# so they follow the CLI exactly: commands and aliases, options and their
# values, map types and flags, pinned paths, live map ids and names, and a
# JSON skeleton of a typed map's key or value.

_bpfmap() {
  # bash splits FIELD=KIND (--fmt) at '=': join the pieces back into one
  # word for bpfmap, and offer bash only what follows the last '='.
  local words=() cword=0 i
  for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
    if ((i > 0 && ${#words[@]} > 0)) &&
      [[ ${COMP_WORDS[i]} == "=" || ${COMP_WORDS[i - 1]} == "=" ]]; then
      words[${#words[@]} - 1]+=${COMP_WORDS[i]}
    else
      words+=("${COMP_WORDS[i]}")
    fi
    ((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
  done
  local cur=${words[cword]}
  local IFS=$'\n'
  local candidates
  candidates=($("${words[0]}" __complete "$((cword - 1))" \
    "${words[@]:1}" 2>/dev/null))
  COMPREPLY=()
  local candidate
  for candidate in "${candidates[@]}"; do
    if [[ $cur == *=* ]]; then
      candidate=${candidate#"${cur%=*}="}
    fi
    COMPREPLY+=("$candidate")
  done
  # A directory, or a FIELD= awaiting its KIND, is a step on the way: no
  # space after it.
  if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]] ||
    [[ ${#COMPREPLY[@]} -ge 1 && ${COMPREPLY[0]} == *= ]]; then
    compopt -o nospace 2>/dev/null
  fi
  return 0
}

complete -F _bpfmap bpfmap
