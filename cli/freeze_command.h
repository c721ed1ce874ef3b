// freeze MAP: make a map read-only for user space for good.
#ifndef BPFMAP_CLI_FREEZE_COMMAND_H_
#define BPFMAP_CLI_FREEZE_COMMAND_H_

#include "cli/command.h"
#include "core/model/map_ref.h"

namespace bpfmap::cli {

Status RunFreeze(const MapRef& map, CommandEnv& env);

extern const CommandSpec kFreezeCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_FREEZE_COMMAND_H_
