#include "cli/freeze_command.h"

#include "cli/words.h"
#include "core/kernel/map_handle.h"
#include "core/kernel/map_ops.h"

namespace bpfmap::cli {

Status RunFreeze(const MapRef& ref, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(ref, OpenMode::kReadWrite));
  BPFMAP_RETURN_IF_ERROR(FreezeMap(map));
  env.out.PrintDone();
  return OkStatus();
}

const CommandSpec kFreezeCommand = {
    "freeze",
    {},
    "make a map read-only for user space for good (BPF programs still write)",
    "freeze MAP               no put or del through bpf() from now on, for\n"
    "                         anyone; there is no undoing it. A map that is\n"
    "                         frozen already is left as it is (exit 0)",
    "bpfmap put /sys/fs/bpf/config key 0 0 0 0 value 1 0 0 0\n"
    "bpfmap freeze /sys/fs/bpf/config\n"
    "bpfmap show /sys/fs/bpf/config        # ... frozen yes",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(MapRef ref, ParseSoleMapRef(input.words));
      return RunFreeze(ref, env);
    },
    CompleteMapOnly,
};

}  // namespace bpfmap::cli
