// pin MAP PATH: one more name on a bpffs for a live map.
#ifndef BPFMAP_CLI_PIN_COMMAND_H_
#define BPFMAP_CLI_PIN_COMMAND_H_

#include "cli/command.h"

namespace bpfmap::cli {

extern const CommandSpec kPinCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_PIN_COMMAND_H_
