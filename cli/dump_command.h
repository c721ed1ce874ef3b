// dump MAP: every entry of a keyed map.
#ifndef BPFMAP_CLI_DUMP_COMMAND_H_
#define BPFMAP_CLI_DUMP_COMMAND_H_

#include <optional>

#include "cli/command.h"
#include "core/entries/entry_selection.h"
#include "core/entries/histogram.h"
#include "core/kernel/map_handle.h"
#include "core/model/map_ref.h"

namespace bpfmap::cli {

struct DumpOptions {
  MapRef map;
  bool drain = false;  // delete what is read, batch by batch
  bool recursive = false;  // each inner map of a map of maps, nested
  std::optional<HistogramSpec> hist;  // --hist: histograms of the counters
  SelectionOptions select;  // --where, --sort, --asc, --limit, --count
};

Result<DumpOptions> ParseDumpWords(const CommandInput& input);

// Every entry of `map` through its typing (env.typing) and `select` into
// `sink`, as dump reads them; with --count, `*count` is how many matched.
Result<PipelineResult> DumpMapInto(const MapHandle& map, EntrySink& sink,
                                   CommandEnv& env,
                                   const SelectionOptions& select = {},
                                   size_t* count = nullptr);
Status RunDump(const DumpOptions& options, CommandEnv& env);

extern const CommandSpec kDumpCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_DUMP_COMMAND_H_
