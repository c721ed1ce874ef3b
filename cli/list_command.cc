#include "cli/list_command.h"

#include "core/kernel/map_list.h"

namespace bpfmap::cli {

Status RunList(const std::vector<std::string>& dirs, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(std::vector<PinnedMap> maps, ListPinnedMaps(dirs));
  env.out.PrintMapList(maps);
  return OkStatus();
}

const CommandSpec kListCommand = {
    "list",
    {},
    "list the maps pinned under DIRs (default: every mounted bpffs)",
    "list [DIR...]            recursively; programs and links are skipped",
    "bpfmap list\n"
    "bpfmap -j list /sys/fs/bpf/tc | jq -r '.[].path'",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      return RunList(input.words, env);
    },
    CompleteDirectories,
};

}  // namespace bpfmap::cli
