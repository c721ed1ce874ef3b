#include "cli/dump_command.h"

#include <fmt/format.h>

#include "cli/words.h"
#include "core/kernel/map_batch.h"
#include "core/kernel/map_ops.h"

namespace bpfmap::cli {

Result<DumpOptions> ParseDumpWords(const CommandInput& input) {
  DumpOptions options;
  BPFMAP_ASSIGN_OR_RETURN(options.map, ParseSoleMapRef(input.words));
  options.drain = input.drain;
  return options;
}

Status RunDump(const DumpOptions& options, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(
      MapHandle map,
      MapHandle::Open(options.map, options.drain ? OpenMode::kReadWrite
                                                 : OpenMode::kReadOnly));
  BPFMAP_ASSIGN_OR_RETURN(
      EntryBatches batches,
      EntryBatches::Start(map, options.drain ? EntryBatches::Mode::kDrain
                                             : EntryBatches::Mode::kRead));
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing,
                          ResolveTyping(map.info(), env.typing));
  EntryPreparer preparer(typing);
  env.out.BeginDump(typing.output);
  size_t count = 0;
  Status status;
  while (true) {
    Result<uint32_t> got = batches.Next();
    if (!got.ok()) {
      status = got.error();
      break;
    }
    if (*got == 0) break;
    for (uint32_t i = 0; i < *got; ++i) {
      env.out.DumpEntry(preparer.Prepare(batches.entry(i)));
    }
    count += *got;
  }
  env.out.EndDump();
  if (preparer.clamped()) {
    Warn(env, "a sum over CPUs did not fit its field; clamped");
  }
  if (status.ok()) {
    env.out.PrintNote(fmt::format("{} {} element{}",
                                  options.drain ? "Drained" : "Found", count,
                                  count == 1 ? "" : "s"));
  }
  return status;
}

const CommandSpec kDumpCommand = {
    "dump",
    {},
    "print every entry of a map",
    "dump MAP [--drain]       every key and value, one per line (JSON: an "
    "array;\n"
    "                         NDJSON: one object per line). --drain deletes\n"
    "                         what it reads, batch by batch, so counters are\n"
    "                         harvested without losing increments",
    "bpfmap dump /sys/fs/bpf/flows\n"
    "bpfmap -j dump name flows | jq '.[].key'\n"
    "bpfmap --cpus sum -o table dump /sys/fs/bpf/counters\n"
    "bpfmap -o ndjson dump /sys/fs/bpf/flows > snap && "
    "bpfmap put /sys/fs/bpf/copy --file snap",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(DumpOptions options, ParseDumpWords(input));
      return RunDump(options, env);
    },
    {CommandOption::kDrain},
};

}  // namespace bpfmap::cli
