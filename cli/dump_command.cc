#include "cli/dump_command.h"

#include <fmt/format.h>

#include "cli/typing.h"
#include "cli/words.h"
#include "core/entries/entry_pipeline.h"
#include "core/entries/map_typing.h"
#include "core/kernel/map_batch.h"
#include "core/kernel/map_handle.h"

namespace bpfmap::cli {
namespace {

// Keys listed for a map whose values cannot be read: such maps (per CPU,
// per cgroup) are small.
constexpr size_t kMaxUnreadableKeys = 65536;

}  // namespace

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
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing, TypingFor(map, env));
  std::vector<std::unique_ptr<EntryStage>> owned = StagesFor(typing);
  std::vector<EntryStage*> stages;
  for (auto& stage : owned) stages.push_back(stage.get());
  bool began = false;
  Result<PipelineResult> done =
      RunPipeline(batches, stages, typing.output, env.out, &began);
  if (!done.ok()) {
    const Error& error = done.error();
    if (!began && error.kind() == ErrorKind::kUnsupported &&
        error.errno_value() != 0) {
      // The kernel refused to read values (a perf_event_array): some
      // formats still list the keys, as bpftool does.
      Result<std::vector<Bytes>> keys = ListKeys(map, kMaxUnreadableKeys);
      if (keys.ok()) env.out.PrintUnreadableEntries(*keys, error);
    }
    return error;
  }
  for (const std::string& warning : done->warnings) Warn(env, warning);
  env.out.PrintNote(fmt::format("{} {} element{}",
                                options.drain ? "Drained" : "Found",
                                done->read, done->read == 1 ? "" : "s"));
  return OkStatus();
}

const CommandSpec kDumpCommand = {
    "dump",
    {},
    "print every entry of a map",
    "dump MAP [--drain]       every key and value, one per line (JSON: an "
    "array;\n"
    "                         NDJSON: one object per line). --drain deletes\n"
    "                         what it reads in the same call (a batch, or a\n"
    "                         key where batches are refused): an update\n"
    "                         lands in what is read or stays in the map.\n"
    "                         Where the kernel has neither for the type, it\n"
    "                         reads, then deletes, each key (--debug says so)",
    "bpfmap dump /sys/fs/bpf/flows\n"
    "bpfmap -j dump name flows | jq '.[].key'\n"
    "bpfmap --cpus sum -o table dump /sys/fs/bpf/counters\n"
    "bpfmap -o ndjson dump /sys/fs/bpf/flows > snap && "
    "bpfmap put /sys/fs/bpf/copy --file snap",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(DumpOptions options, ParseDumpWords(input));
      return RunDump(options, env);
    },
    CompleteMapOnly,
    {CommandOption::kDrain},
};

}  // namespace bpfmap::cli
