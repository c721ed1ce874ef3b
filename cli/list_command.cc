#include "cli/list_command.h"

#include "core/kernel/map_read.h"
#include "core/kernel/map_holders.h"
#include "core/kernel/map_list.h"

namespace bpfmap::cli {

Status RunList(const std::vector<std::string>& dirs, CommandEnv& env,
               bool count) {
  BPFMAP_ASSIGN_OR_RETURN(std::vector<PinnedMap> maps, ListPinnedMaps(dirs));
  // Who holds each map, found in one scan of processes and programs.
  std::vector<MapInfo*> opened;
  for (PinnedMap& map : maps) {
    if (map.error.empty()) opened.push_back(&map.info);
  }
  BPFMAP_RETURN_IF_ERROR(FindHolders(opened));
  if (count) CountEntriesOf(opened, ReadOptions{env.read_path});
  env.out.PrintMapList(maps);
  return OkStatus();
}

const CommandSpec kListCommand = {
    "list",
    {},
    "list the maps pinned under DIRs (default: every mounted bpffs)",
    "list [DIR...]            recursively; programs and links are skipped;\n"
    "                         each map with the processes and programs that\n"
    "                         hold it, as show gives them",
    "bpfmap list\n"
    "bpfmap -j list /sys/fs/bpf/tc | jq -r '.[].path'",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      return RunList(input.words, env, input.count_only);
    },
    CompleteDirectories,
    {CommandOption::kCountOnly},
};

}  // namespace bpfmap::cli
