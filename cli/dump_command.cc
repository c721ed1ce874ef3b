#include "cli/dump_command.h"

#include <fmt/format.h>

#include "cli/words.h"
#include "core/map_ops.h"

namespace bpfmap::cli {

Result<DumpOptions> ParseDumpWords(const std::vector<std::string>& words) {
  DumpOptions options;
  BPFMAP_ASSIGN_OR_RETURN(options.map, ParseSoleMapRef(words));
  return options;
}

Status RunDump(const DumpOptions& options, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(options.map, OpenMode::kReadOnly));
  BPFMAP_ASSIGN_OR_RETURN(EntryCursor cursor, EntryCursor::Start(map));
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing,
                          ResolveTyping(map.info(), env.typing));
  env.out.BeginDump(typing.output);
  MapEntry entry;
  size_t count = 0;
  bool clamped = false;
  Status status;
  while (true) {
    Result<bool> more = cursor.Next(entry);
    if (!more.ok()) {
      status = more.error();
      break;
    }
    if (!*more) break;
    PrepareEntry(typing, entry, &clamped);
    env.out.DumpEntry(entry);
    ++count;
  }
  env.out.EndDump();
  if (clamped) Warn(env, "a sum over CPUs did not fit its field; clamped");
  if (status.ok()) {
    env.out.PrintNote(fmt::format("Found {} element{}", count, count == 1 ? "" : "s"));
  }
  return status;
}

const CommandSpec kDumpCommand = {
    "dump",
    {},
    "print every entry of a map",
    "dump MAP                 every key and value, one per line (JSON: an "
    "array;\n"
    "                         NDJSON: one object per line)",
    "bpfmap dump /sys/fs/bpf/flows\n"
    "bpfmap -j dump name flows | jq '.[].key'\n"
    "bpfmap --cpus sum -o table dump /sys/fs/bpf/counters",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(DumpOptions options,
                              ParseDumpWords(input.words));
      return RunDump(options, env);
    },
};

}  // namespace bpfmap::cli
