// events MAP: the records of a ring buffer (read in place, or consumed) or
// of a perf event array (taken over), printed as they arrive.
#ifndef BPFMAP_CLI_EVENTS_COMMAND_H_
#define BPFMAP_CLI_EVENTS_COMMAND_H_

#include <cstdint>
#include <optional>
#include <string>

#include "cli/command.h"
#include "core/model/map_ref.h"

namespace bpfmap::cli {

struct EventsOptions {
  MapRef map;
  bool consume = false;  // ring buffer: move the consumer position
  bool take = false;     // perf event array: replace the owner's readers
  std::optional<uint64_t> count;       // stop after this many records
  std::optional<double> timeout;       // stop after this many seconds
  std::string where;  // --where EXPR: only the records it holds for
};

// Parses `events MAP [--consume|--take] [--count N] [--timeout SECONDS]`.
Result<EventsOptions> ParseEventsInput(const CommandInput& input);

extern const CommandSpec kEventsCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_EVENTS_COMMAND_H_
