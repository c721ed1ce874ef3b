// get MAP [key BYTES] [value BYTES]: look up a key, peek a queue or stack,
// or test a bloom filter.
#ifndef BPFMAP_CLI_GET_COMMAND_H_
#define BPFMAP_CLI_GET_COMMAND_H_

#include "cli/command.h"
#include "cli/element_args.h"

namespace bpfmap::cli {

// With `lock`, a value holding a bpf_spin_lock is copied under it.
Status RunGet(const MapElementWords& options, bool lock, CommandEnv& env);

extern const CommandSpec kGetCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_GET_COMMAND_H_
