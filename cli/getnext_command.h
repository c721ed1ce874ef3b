// getnext MAP [key KEY]: the key after KEY (or the first), as the kernel
// orders them.
#ifndef BPFMAP_CLI_GETNEXT_COMMAND_H_
#define BPFMAP_CLI_GETNEXT_COMMAND_H_

#include "cli/command.h"

namespace bpfmap::cli {

extern const CommandSpec kGetNextCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_GETNEXT_COMMAND_H_
