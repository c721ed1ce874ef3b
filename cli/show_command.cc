#include "cli/show_command.h"

#include "cli/words.h"
#include "core/map_handle.h"

namespace bpfmap::cli {

Status RunShow(const MapRef& ref, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(ref, OpenMode::kReadOnly));
  env.out.PrintMapInfo(map.info());
  return OkStatus();
}

const CommandSpec kShowCommand = {
    "show",
    {},
    "print a map's id, type, name, flags, sizes and BTF id",
    "show MAP",
    "bpfmap show /sys/fs/bpf/flows\n"
    "bpfmap -j show id 42",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(MapRef ref, ParseSoleMapRef(input.words));
      return RunShow(ref, env);
    },
};

}  // namespace bpfmap::cli
