# Drives zsh's real completion system through a pseudo-terminal (zpty):
#   zsh -f zsh_complete.zsh FPATH_DIR BIN_DIR LINE
# starts an interactive zsh with the completion in FPATH_DIR, types LINE and
# a Tab, and prints what the terminal showed. The terminal is tall and
# list-prompt is left unset, so a long list (a machine with thousands of
# maps) is printed whole, never paged.
zmodload zsh/zpty
local fpath_dir=$1 bin_dir=$2 line=$3
zpty -b z "zsh -f -i"
zpty -w z "stty rows 5000 cols 200; PS1='%% '; fpath=($fpath_dir \$fpath); autoload -Uz compinit; compinit -u -D; zstyle ':completion:*' menu no; unsetopt list_ambiguous; LISTMAX=10000; bindkey '^I' complete-word; PATH=$bin_dir:\$PATH; print RE''ADY"
# The terminal echoes the typed line; RE''ADY there keeps the wait going
# until zsh has run it and printed READY.
local out chunk
# Generous waits (up to 120 s each): under emulation (tools/test_on_kernel)
# compinit alone can take a minute.
integer tries=0
while (( tries++ < 2400 )); do
  zpty -r -t z chunk && out+=$chunk
  [[ $out == *READY* ]] && break
  sleep 0.05
done
out=
zpty -w -n z "$line"$'\t'
# Then a line that prints a marker: zle finishes the completion (and its
# listing) before it reads another key, so once DONE shows, everything the
# Tab printed is there, however slow the machine. Ctrl-U clears the line
# first; the marker's echo and what follows are cut off.
zpty -w -n z $'\x15'"print DO''NE"$'\n'
tries=0
while (( tries++ < 2400 )); do
  zpty -r -t z chunk && out+=$chunk
  [[ $out == *DONE* ]] && break
  sleep 0.05
done
out=${out%%print DO*}
zpty -d z
print -r -- "$out"
