// show MAP: what the kernel says about one map.
#ifndef BPFMAP_CLI_SHOW_COMMAND_H_
#define BPFMAP_CLI_SHOW_COMMAND_H_

#include "cli/command.h"
#include "core/model/map_ref.h"

namespace bpfmap::cli {

// show MAP: its info; with `count`, the entries it holds too.
Status RunShow(const MapRef& map, CommandEnv& env, bool count = false);

extern const CommandSpec kShowCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_SHOW_COMMAND_H_
