// del MAP [key BYTES]: delete a key, or pop a queue or stack.
#ifndef BPFMAP_CLI_DEL_COMMAND_H_
#define BPFMAP_CLI_DEL_COMMAND_H_

#include "cli/command.h"
#include "cli/element_args.h"

namespace bpfmap::cli {

Status RunDel(const MapElementWords& options, CommandEnv& env);

extern const CommandSpec kDelCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_DEL_COMMAND_H_
