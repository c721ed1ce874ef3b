#include "cli/get_command.h"

#include <fmt/format.h>

#include "cli/typing.h"
#include "core/model/map_types.h"
#include "core/codec/typed_input.h"
#include "core/kernel/map_ops.h"

namespace bpfmap::cli {

Status RunGet(const MapElementWords& options, bool lock, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(options.map, OpenMode::kReadOnly));
  const MapInfo& info = map.info();
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing, TypingFor(map, env));
  MapEntry entry;
  if (lock && AccessOf(info.type) != MapAccess::kKeyed) {
    return Error::BadInput(fmt::format(
        "--lock: {} is a {} map, whose values hold no bpf_spin_lock",
        info.Label(), MapTypeName(info.type)));
  }
  switch (AccessOf(info.type)) {
    case MapAccess::kKeyed: {
      BPFMAP_RETURN_IF_ERROR(CheckElementArgs(
          options.args, info, ArgNeed::kRequired, ArgNeed::kForbidden));
      BPFMAP_RETURN_IF_ERROR(
          CheckLockable(lock, info, typing.input.value.get(), "--lock"));
      std::optional<StorageKey> storage;
      BPFMAP_ASSIGN_OR_RETURN(
          entry.key, ReadKeyWords(*options.args.key, info, typing, &storage));
      Result<Bytes> value = LookupValue(map, entry.key, lock);
      if (!value.ok()) {
        return ExplainMiss(value.error(), "get", *options.args.key,
                                  info);
      }
      entry.value = std::move(*value);
      // A storage key is a descriptor number of this process: the value
      // is what there is to show.
      if (storage) {
        entry.key.clear();
        typing.output.types.key = nullptr;
      }
      break;
    }
    case MapAccess::kQueue: {
      BPFMAP_RETURN_IF_ERROR(CheckElementArgs(
          options.args, info, ArgNeed::kForbidden, ArgNeed::kForbidden));
      BPFMAP_ASSIGN_OR_RETURN(entry.value, PeekValue(map));
      break;
    }
    case MapAccess::kBloomFilter: {
      BPFMAP_RETURN_IF_ERROR(CheckElementArgs(
          options.args, info, ArgNeed::kForbidden, ArgNeed::kRequired));
      BPFMAP_ASSIGN_OR_RETURN(
          entry.value,
          ParseElementWords(typing.input.value.get(), *options.args.value,
                            info.value_size, "value", nullptr,
                            &typing.output.leaf_context));
      BPFMAP_RETURN_IF_ERROR(TestBloomFilter(map, entry.value));
      break;
    }
    case MapAccess::kNone:
      return RequireAccess(info, MapAccess::kKeyed, "get");
  }
  std::optional<EntryView> view = ViewOf(entry);
  std::vector<std::unique_ptr<EntryStage>> stages = StagesFor(typing);
  for (auto& stage : stages) view = stage->Apply(*view);
  env.out.PrintEntry(*view, typing.output);
  for (auto& stage : stages) {
    if (std::string warning = stage->Warning(); !warning.empty()) {
      Warn(env, warning);
    }
  }
  return OkStatus();
}

const CommandSpec kGetCommand = {
    "get",
    {"lookup", "peek"},
    "look up a key; peek at a queue or stack; test a bloom filter",
    "get MAP key KEY          value stored under the key (exit 1 if none)\n"
    "get MAP                  queue/stack: the next value, left in place\n"
    "get MAP value VALUE      bloom filter: exit 0 if maybe present, 1 if not\n"
    "get MAP key KEY --lock   a value holding a bpf_spin_lock, copied under\n"
    "                         the lock (BPF_F_LOCK)\n"
    "get MAP key pid PID      storage maps, keyed by the object a value\n"
    "                         belongs to: key pid PID (task_storage), key\n"
    "                         cgroup PATH (cgrp_storage), key file PATH\n"
    "                         (inode_storage), key socket PID FD (sk_storage)",
    "bpfmap get /sys/fs/bpf/flows key 0x0a 0 0 1\n"
    "bpfmap -j get id 42 key hex 0a000001\n"
    "bpfmap get /sys/fs/bpf/flows key '{\"ip\": 167772161, \"port\": 80}'\n"
    "bpfmap get /sys/fs/bpf/task_stats key pid 1",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(
          MapElementWords options,
          ParseMapElementWords(input.words, /*allow_mode=*/false));
      return RunGet(options, input.lock, env);
    },
    CompleteGetOrDel,
    {CommandOption::kLock},
};

}  // namespace bpfmap::cli
