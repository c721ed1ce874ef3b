# Drives zsh's real completion system through a pseudo-terminal (zpty):
#   zsh -f zsh_complete.zsh FPATH_DIR BIN_DIR LINE
# starts an interactive zsh with the completion in FPATH_DIR, types LINE and
# a Tab, and prints what the terminal showed.
zmodload zsh/zpty
local fpath_dir=$1 bin_dir=$2 line=$3
zpty -b z "zsh -f -i"
zpty -w z "PS1='%% '; fpath=($fpath_dir \$fpath); autoload -Uz compinit; compinit -u -D; zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no; unsetopt list_ambiguous; LISTMAX=10000; bindkey '^I' complete-word; PATH=$bin_dir:\$PATH; print RE''ADY"
# The terminal echoes the typed line; RE''ADY there keeps the wait going
# until zsh has run it and printed READY.
local out chunk
integer tries=0
while (( tries++ < 200 )); do
  zpty -r -t z chunk && out+=$chunk
  [[ $out == *READY* ]] && break
  sleep 0.05
done
out=
zpty -w -n z "$line"$'\t'
# Read until the terminal has been quiet for a moment.
integer quiet=0
while (( quiet < 10 )); do
  if zpty -r -t z chunk; then
    out+=$chunk
    quiet=0
  else
    (( quiet++ ))
    sleep 0.05
  fi
done
zpty -d z
print -r -- "$out"
