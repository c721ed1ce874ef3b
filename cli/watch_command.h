// watch MAP: the map read again every interval, each entry with how its
// numbers moved; full screen on a terminal, a record per entry per read in
// a pipe.
#ifndef BPFMAP_CLI_WATCH_COMMAND_H_
#define BPFMAP_CLI_WATCH_COMMAND_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "cli/command.h"
#include "core/model/map_ref.h"

namespace bpfmap::cli {

struct WatchOptions {
  MapRef map;
  double interval = 1.0;          // seconds between reads
  std::optional<uint64_t> count;  // reads, then stop
  std::string where;              // --where EXPR
  std::string sort;               // --sort COLUMN: a field or rate(FIELD)
  bool ascending = false;
  std::optional<size_t> top;      // rows shown
};

Result<WatchOptions> ParseWatchWords(const CommandInput& input);
Status RunWatch(const WatchOptions& options, CommandEnv& env);

extern const CommandSpec kWatchCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_WATCH_COMMAND_H_
