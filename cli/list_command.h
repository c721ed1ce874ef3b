// list [DIR...]: every map pinned under the directories.
#ifndef BPFMAP_CLI_LIST_COMMAND_H_
#define BPFMAP_CLI_LIST_COMMAND_H_

#include "cli/command.h"

namespace bpfmap::cli {

// list [DIR...]: the maps pinned there; with `count`, the entries each holds.
Status RunList(const std::vector<std::string>& dirs, CommandEnv& env,
               bool count = false);

extern const CommandSpec kListCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_LIST_COMMAND_H_
