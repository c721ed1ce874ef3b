# Drives zsh's real completion system through a pseudo-terminal (zpty):
#   zsh -f zsh_complete.zsh FPATH_DIR BIN_DIR LINE...
# starts one interactive zsh with the completion in FPATH_DIR (compinit
# runs once: under emulation it takes many seconds), and for each LINE types
# it and a Tab, then prints what the terminal showed, each followed by a
# line "@@bpfmap-zsh-case@@". The terminal is tall and list-prompt is left
# unset, so a long list (a machine with thousands of maps) is printed whole,
# never paged.
zmodload zsh/zpty
local fpath_dir=$1 bin_dir=$2
shift 2
zpty -b z "zsh -f -i"
zpty -w z "stty rows 5000 cols 200; PS1='zp''> '; fpath=($fpath_dir \$fpath); autoload -Uz compinit; compinit -u -D; zstyle ':completion:*' menu no; unsetopt list_ambiguous; LISTMAX=10000; bindkey '^I' complete-word; PATH=$bin_dir:\$PATH; print RE''ADY"

# Reads what the terminal shows until it matches the pattern $1 (up to 120 s:
# under emulation (tools/test_on_kernel) compinit alone can take a minute).
local out chunk
await() {
  integer tries=0
  while (( tries++ < 2400 )); do
    zpty -r -t z chunk && out+=$chunk
    [[ $out == $~1 ]] && return 0
    sleep 0.05
  done
  return 1
}

# The terminal echoes the typed line; RE''ADY there keeps the wait going
# until zsh has run it and printed READY, then its prompt.
out=
await '*READY*zp> *'
local line
for line in "$@"; do
  out=
  zpty -w -n z "$line"$'\t'
  # Then a line that prints a marker: zle finishes the completion (and its
  # listing) before it reads another key, so once DONE shows, everything
  # the Tab printed is there, however slow the machine. Ctrl-U clears the
  # line first; the marker's echo and what follows are cut off. Waiting for
  # the prompt after it keeps this case's end out of the next case.
  zpty -w -n z $'\x15'"print DO''NE"$'\n'
  await '*DONE*zp> *'
  print -r -- "${out%%print DO*}"
  print -r -- "@@bpfmap-zsh-case@@"
done
zpty -d z
