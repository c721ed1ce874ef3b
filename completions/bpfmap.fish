# fish completion for bpfmap(8).
#
# The candidates come from bpfmap itself (`bpfmap __complete INDEX WORD...`),
# so they follow the CLI exactly: commands and aliases, options and their
# values, map types and flags, pinned paths, live map ids and names, and a
# JSON skeleton of a typed map's key or value.

function __bpfmap_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l program $tokens[1]
    set -l words $tokens[2..-1] $current
    command $program __complete (math (count $tokens) - 1) $words 2>/dev/null
end

complete -c bpfmap -f -a '(__bpfmap_complete)'
