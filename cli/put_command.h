// put MAP [key BYTES] value BYTES [any|exist|noexist]: write a key, push to
// a queue or stack, or add to a bloom filter.
#ifndef BPFMAP_CLI_PUT_COMMAND_H_
#define BPFMAP_CLI_PUT_COMMAND_H_

#include "cli/command.h"
#include "cli/element_args.h"

namespace bpfmap::cli {

Status RunPut(const MapElementWords& options, CommandEnv& env);

extern const CommandSpec kPutCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_PUT_COMMAND_H_
