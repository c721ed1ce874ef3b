#include "cli/del_command.h"

#include <fmt/format.h>

#include "cli/entry_input.h"
#include "cli/typing.h"
#include "core/codec/typed_input.h"
#include "core/kernel/map_batch.h"
#include "core/kernel/map_ops.h"

namespace bpfmap::cli {

// del MAP --file FILE, del MAP --all
Status RunDelMany(const MapElementWords& options, const CommandInput& input,
                  CommandEnv& env) {
  if (options.args.key || options.args.value) {
    return Error::BadInput(
        "del --file and --all take no key on the command line");
  }
  if (!input.file.empty() && input.all) {
    return Error::BadInput("give --file or --all, not both");
  }
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(options.map, OpenMode::kReadWrite));
  const MapInfo& info = map.info();
  BulkResult deleted;
  if (input.all) {
    BPFMAP_ASSIGN_OR_RETURN(deleted, DeleteAllEntries(map));
  } else {
    // What the map cannot do is said before the file is read.
    BPFMAP_RETURN_IF_ERROR(RequireAccess(info, MapAccess::kKeyed, "del"));
    BPFMAP_RETURN_IF_ERROR(RequireDeletable(info, "del"));
    BPFMAP_ASSIGN_OR_RETURN(MapTyping typing, TypingFor(map, env));
    // Every key is read and checked before the first is deleted; the
    // checked runs wait meanwhile as put --file's do (memory stays flat).
    CheckedRuns runs("del --file");
    BPFMAP_RETURN_IF_ERROR(ReadEntriesInRuns(
        input.file, info, typing, env.typing.hex, /*need_value=*/false,
        RunEntries(info.key_size + 4),
        [&](const PackedEntries& run) { return runs.Add(run); }));
    BatchPath path = BatchPath::kAuto;
    Status done = runs.ForEach([&](const PackedEntries& run) {
      return DeleteEntries(map, run, deleted, path);
    });
    if (!done.ok()) {
      return done.error().WithContext(
          fmt::format("del --file: stopped after deleting {} of {} keys{}",
                      deleted.done, runs.total(),
                      deleted.missing == 0
                          ? ""
                          : fmt::format(" ({} not there)", deleted.missing)));
    }
  }
  Inform(env, fmt::format("deleted {} entr{} from {}{}", deleted.done,
                          deleted.done == 1 ? "y" : "ies", info.Label(),
                          deleted.missing == 0
                              ? ""
                              : fmt::format(" ({} key{} not there)",
                                            deleted.missing,
                                            deleted.missing == 1 ? " was"
                                                                 : "s were")));
  env.out.PrintDone();
  return OkStatus();
}

Status RunDel(const MapElementWords& options, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(options.map, OpenMode::kReadWrite));
  const MapInfo& info = map.info();
  MapAccess access = AccessOf(info.type);
  if (access == MapAccess::kQueue) {
    BPFMAP_RETURN_IF_ERROR(CheckElementArgs(
        options.args, info, ArgNeed::kForbidden, ArgNeed::kForbidden));
    BPFMAP_ASSIGN_OR_RETURN(MapTyping typing,
                            TypingFor(map, env));
    MapEntry entry;
    BPFMAP_ASSIGN_OR_RETURN(entry.value, PopValue(map));
    env.out.PrintEntry(ViewOf(entry), typing.output);
    return OkStatus();
  }
  BPFMAP_RETURN_IF_ERROR(RequireAccess(info, MapAccess::kKeyed, "del"));
  BPFMAP_RETURN_IF_ERROR(CheckElementArgs(options.args, info,
                                          ArgNeed::kRequired,
                                          ArgNeed::kForbidden));
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing, TypingFor(map, env));
  std::optional<StorageKey> storage;
  BPFMAP_ASSIGN_OR_RETURN(Bytes key,
                          ReadKeyWords(*options.args.key, info, typing,
                                       &storage));
  Status deleted = DeleteKey(map, key);
  if (!deleted.ok()) {
    return ExplainMiss(deleted.error(), "del", *options.args.key, info);
  }
  env.out.PrintDone();
  return OkStatus();
}

const CommandSpec kDelCommand = {
    "del",
    {"delete", "pop", "dequeue"},
    "delete a key; pop a queue or stack and print what was popped",
    "del MAP key KEY          delete the key (exit 1 if absent)\n"
    "del MAP                  queue/stack: pop and print the value (exit 1 "
    "if empty)\n"
    "del MAP --file FILE      delete every key FILE lists (what dump printed;\n"
    "                         - is stdin); keys not there are counted\n"
    "del MAP --all            empty the map",
    "bpfmap del /sys/fs/bpf/flows key hex 0a000001\n"
    "bpfmap -j del /sys/fs/bpf/events",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(
          MapElementWords options,
          ParseMapElementWords(input.words, /*allow_mode=*/false));
      if (!input.file.empty() || input.all) {
        return RunDelMany(options, input, env);
      }
      return RunDel(options, env);
    },
    CompleteGetOrDel,
    {CommandOption::kFile, CommandOption::kAll},
};

}  // namespace bpfmap::cli
