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
  BPFMAP_ASSIGN_OR_RETURN(ValueLayout layout, LayoutFor(map.info()));
  env.out.BeginDump(layout);
  MapEntry entry;
  size_t count = 0;
  Status status;
  while (true) {
    Result<bool> more = cursor.Next(entry);
    if (!more.ok()) {
      status = more.error();
      break;
    }
    if (!*more) break;
    env.out.DumpEntry(entry);
    ++count;
  }
  env.out.EndDump();
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
    "array)",
    "bpfmap dump /sys/fs/bpf/flows\n"
    "bpfmap -j dump name flows | jq '.[].key'",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(DumpOptions options,
                              ParseDumpWords(input.words));
      return RunDump(options, env);
    },
};

}  // namespace bpfmap::cli
