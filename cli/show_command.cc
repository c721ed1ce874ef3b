#include "cli/show_command.h"

#include "cli/words.h"
#include "core/kernel/map_read.h"
#include "core/kernel/map_btf.h"
#include "core/kernel/map_handle.h"
#include "core/kernel/map_holders.h"
#include "core/kernel/map_list.h"

namespace bpfmap::cli {

// show with no MAP: every map the kernel holds (with --count, each one's
// entries where they can be counted).
Status RunShowAll(CommandEnv& env, bool count) {
  BPFMAP_ASSIGN_OR_RETURN(std::vector<MapInfo> live, ListLiveMaps());
  std::vector<MapInfo*> all;
  for (MapInfo& info : live) all.push_back(&info);
  BPFMAP_RETURN_IF_ERROR(FindHolders(all));
  if (count) CountEntriesOf(all, ReadOptions{env.read_path});
  std::vector<PinnedMap> maps;
  for (MapInfo& info : live) maps.push_back({"", std::move(info), ""});
  env.out.PrintMapList(maps);
  return OkStatus();
}

Status RunShow(const MapRef& ref, CommandEnv& env, bool count) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(ref, OpenMode::kReadOnly));
  MapInfo info = map.info();
  BPFMAP_RETURN_IF_ERROR(FindHolders({&info}));
  if (count) {
    Result<uint64_t> entries = CountEntries(map, ReadOptions{env.read_path});
    if (!entries.ok()) return entries.error().WithContext(info.Label());
    info.entries = *entries;
  }
  // The type names, where the map has BTF and it can be read (show says
  // nothing about types it cannot name).
  if (info.btf_id != 0) {
    if (Result<MapTypes> types = LoadMapTypes(info); types.ok()) {
      if (types->key) info.key_type_name = types->key->name;
      if (types->value) info.value_type_name = types->value->name;
    }
  }
  env.out.PrintMapInfo(info);
  return OkStatus();
}

const CommandSpec kShowCommand = {
    "show",
    {},
    "print a map's id, type, name, flags, sizes and BTF id, and who holds it",
    "show MAP                 one map, with the processes that hold it, the\n"
    "                         programs that use it and its pins\n"
    "show                     every map the kernel holds, pinned or not\n"
    "show [MAP] --count       with the entries each holds and how full it is\n"
    "                         (counted by reading them: arrays are always\n"
    "                         full; queues, stacks, bloom filters and ring\n"
    "                         buffers cannot be counted)",
    "bpfmap show /sys/fs/bpf/flows\n"
    "bpfmap -j show id 42\n"
    "bpfmap -j show | jq -r '.[].name'\n"
    "bpfmap show /sys/fs/bpf/flows --count",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      if (input.words.empty()) return RunShowAll(env, input.count_only);
      BPFMAP_ASSIGN_OR_RETURN(MapRef ref, ParseSoleMapRef(input.words));
      return RunShow(ref, env, input.count_only);
    },
    CompleteMapOnly,
    {CommandOption::kCountOnly},
};

}  // namespace bpfmap::cli
