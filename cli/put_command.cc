#include "cli/put_command.h"

#include "core/map_ops.h"

namespace bpfmap::cli {

Status RunPut(const MapElementWords& options, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(options.map, OpenMode::kReadWrite));
  const MapInfo& info = map.info();
  BPFMAP_ASSIGN_OR_RETURN(ValueLayout layout, LayoutFor(info));
  const MapTypeInfo* type = FindMapType(info.type);
  MapAccess access = type != nullptr ? type->access : MapAccess::kKeyed;
  if (access == MapAccess::kNone) {
    return RequireAccess(info, MapAccess::kKeyed, "put");
  }
  UpdateMode mode = options.args.mode.value_or(UpdateMode::kAny);
  // Everything is parsed and checked before the one write.
  Bytes key;
  if (access == MapAccess::kKeyed) {
    BPFMAP_RETURN_IF_ERROR(CheckElementArgs(options.args, info,
                                            ArgNeed::kRequired,
                                            ArgNeed::kRequired));
    BPFMAP_ASSIGN_OR_RETURN(
        key, ParseBytesOfSize(*options.args.key, info.key_size, "key"));
  } else {
    BPFMAP_RETURN_IF_ERROR(CheckElementArgs(options.args, info,
                                            ArgNeed::kForbidden,
                                            ArgNeed::kRequired));
  }
  BPFMAP_ASSIGN_OR_RETURN(
      Bytes value,
      ParseBytesOfSize(*options.args.value, info.value_size, "value"));
  switch (access) {
    case MapAccess::kKeyed:
      BPFMAP_RETURN_IF_ERROR(
          UpdateValue(map, key, ReplicateValue(value, layout), mode));
      break;
    case MapAccess::kQueue:
      BPFMAP_RETURN_IF_ERROR(PushValue(map, value, mode));
      break;
    case MapAccess::kBloomFilter:
      if (mode != UpdateMode::kAny) {
        return Error::BadInput("a bloom filter takes no any|exist|noexist");
      }
      BPFMAP_RETURN_IF_ERROR(AddToBloomFilter(map, value));
      break;
    case MapAccess::kNone:
      break;
  }
  env.out.PrintDone();
  return OkStatus();
}

const CommandSpec kPutCommand = {
    "put",
    {"update", "push", "enqueue"},
    "write a key's value; push onto a queue or stack; add to a bloom filter",
    "put MAP key BYTES value BYTES [any|exist|noexist]\n"
    "                         any: create or replace (default); exist: only\n"
    "                         replace (exit 1 if absent); noexist: only create\n"
    "                         (exit 1 if present). Per-CPU maps: the value\n"
    "                         goes to every CPU.\n"
    "put MAP value BYTES [exist]\n"
    "                         queue/stack: push (exist: drop the oldest when\n"
    "                         full); bloom filter: add",
    "bpfmap put /sys/fs/bpf/counters key 1 0 0 0 value hex 0100000000000000\n"
    "bpfmap put name conns key 0x0a 0 0 1 value 0 0 0 0 noexist",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(
          MapElementWords options,
          ParseMapElementWords(input.words, /*allow_mode=*/true));
      return RunPut(options, env);
    },
};

}  // namespace bpfmap::cli
