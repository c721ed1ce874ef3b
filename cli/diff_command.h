// diff A B: what changed between two maps, or a map and a snapshot of it,
// or two snapshots.
#ifndef BPFMAP_CLI_DIFF_COMMAND_H_
#define BPFMAP_CLI_DIFF_COMMAND_H_

#include <string>

#include "cli/command.h"
#include "core/model/map_ref.h"

namespace bpfmap::cli {

// One side of a diff: a map, or a snapshot file (what dump -o ndjson or -j
// wrote; "-" is stdin).
struct DiffSide {
  bool is_map = false;
  MapRef map;
  std::string file;
};

struct DiffOptions {
  DiffSide old_side;
  DiffSide new_side;
};

Result<DiffOptions> ParseDiffWords(const CommandInput& input);
// Prints the differences; kNo (exit 1) when there are some.
Status RunDiff(const DiffOptions& options, CommandEnv& env);

extern const CommandSpec kDiffCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_DIFF_COMMAND_H_
