#include "cli/del_command.h"

#include "core/map_ops.h"
#include "core/typed_input.h"

namespace bpfmap::cli {

Status RunDel(const MapElementWords& options, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(options.map, OpenMode::kReadWrite));
  const MapInfo& info = map.info();
  const MapTypeInfo* type = FindMapType(info.type);
  MapAccess access = type != nullptr ? type->access : MapAccess::kKeyed;
  if (access == MapAccess::kQueue) {
    BPFMAP_RETURN_IF_ERROR(CheckElementArgs(
        options.args, info, ArgNeed::kForbidden, ArgNeed::kForbidden));
    BPFMAP_ASSIGN_OR_RETURN(MapTyping typing,
                            ResolveTyping(info, env.typing));
    MapEntry entry;
    BPFMAP_ASSIGN_OR_RETURN(entry.value, PopValue(map));
    env.out.PrintEntry(entry, typing.output);
    return OkStatus();
  }
  BPFMAP_RETURN_IF_ERROR(RequireAccess(info, MapAccess::kKeyed, "del"));
  BPFMAP_RETURN_IF_ERROR(CheckElementArgs(options.args, info,
                                          ArgNeed::kRequired,
                                          ArgNeed::kForbidden));
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing, ResolveTyping(info, env.typing));
  BPFMAP_ASSIGN_OR_RETURN(
      Bytes key, ParseElementWords(typing.input.key.get(), *options.args.key,
                                   info.key_size, "key"));
  BPFMAP_RETURN_IF_ERROR(DeleteKey(map, key));
  env.out.PrintDone();
  return OkStatus();
}

const CommandSpec kDelCommand = {
    "del",
    {"delete", "pop", "dequeue"},
    "delete a key; pop a queue or stack and print what was popped",
    "del MAP key KEY          delete the key (exit 1 if absent)\n"
    "del MAP                  queue/stack: pop and print the value (exit 1 "
    "if empty)",
    "bpfmap del /sys/fs/bpf/flows key hex 0a000001\n"
    "bpfmap -j del /sys/fs/bpf/events",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(
          MapElementWords options,
          ParseMapElementWords(input.words, /*allow_mode=*/false));
      return RunDel(options, env);
    },
};

}  // namespace bpfmap::cli
