#include "cli/pin_command.h"

#include <fmt/format.h>

#include "core/kernel/map_create.h"
#include "core/kernel/map_handle.h"
#include "core/model/map_ref.h"

namespace bpfmap::cli {
namespace {

Status RunPin(const std::vector<std::string>& words, CommandEnv& env) {
  size_t pos = 0;
  BPFMAP_ASSIGN_OR_RETURN(MapRef ref, ParseMapRef(words, pos));
  if (pos + 1 != words.size()) {
    return Error::BadInput(
        pos == words.size()
            ? "pin: PATH is needed (where to pin the map)"
            : fmt::format("pin: unexpected '{}' after PATH", words[pos + 1]));
  }
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(ref, OpenMode::kReadOnly));
  BPFMAP_RETURN_IF_ERROR(PinMap(map, words[pos]));
  env.out.PrintDone();
  return OkStatus();
}

}  // namespace

const CommandSpec kPinCommand = {
    "pin",
    {},
    "pin a live map at a path on a bpffs",
    "pin MAP PATH             PATH must be on a bpffs and must not exist yet;\n"
    "                         the map lives as long as any pin or descriptor\n"
    "                         holds it (rm PATH drops this pin)",
    "bpfmap pin id 42 /sys/fs/bpf/conntrack\n"
    "bpfmap pin name conntrack /sys/fs/bpf/ct_copy",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      return RunPin(input.words, env);
    },
    CompletePin,
};

}  // namespace bpfmap::cli
