// dump MAP: every entry of a keyed map.
#ifndef BPFMAP_CLI_DUMP_COMMAND_H_
#define BPFMAP_CLI_DUMP_COMMAND_H_

#include "cli/command.h"
#include "core/map_ref.h"

namespace bpfmap::cli {

struct DumpOptions {
  MapRef map;
};

Result<DumpOptions> ParseDumpWords(const std::vector<std::string>& words);
Status RunDump(const DumpOptions& options, CommandEnv& env);

extern const CommandSpec kDumpCommand;

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_DUMP_COMMAND_H_
