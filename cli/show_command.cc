#include "cli/show_command.h"

#include "cli/words.h"
#include "core/kernel/map_btf.h"
#include "core/kernel/map_handle.h"
#include "core/kernel/map_holders.h"
#include "core/kernel/map_list.h"

namespace bpfmap::cli {

// show with no MAP: every map the kernel holds.
Status RunShowAll(CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(std::vector<MapInfo> live, ListLiveMaps());
  std::vector<MapInfo*> all;
  for (MapInfo& info : live) all.push_back(&info);
  BPFMAP_RETURN_IF_ERROR(FindHolders(all));
  std::vector<PinnedMap> maps;
  for (MapInfo& info : live) maps.push_back({"", std::move(info), ""});
  env.out.PrintMapList(maps);
  return OkStatus();
}

Status RunShow(const MapRef& ref, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(ref, OpenMode::kReadOnly));
  MapInfo info = map.info();
  BPFMAP_RETURN_IF_ERROR(FindHolders({&info}));
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
    "show                     every map the kernel holds, pinned or not",
    "bpfmap show /sys/fs/bpf/flows\n"
    "bpfmap -j show id 42\n"
    "bpfmap -j show | jq -r '.[].name'",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      if (input.words.empty()) return RunShowAll(env);
      BPFMAP_ASSIGN_OR_RETURN(MapRef ref, ParseSoleMapRef(input.words));
      return RunShow(ref, env);
    },
    CompleteMapOnly,
};

}  // namespace bpfmap::cli
