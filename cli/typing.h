// A command's typing of the map it works on: the kernel's part (value
// layout, the map's BTF) joined with the run's typing options.
#ifndef BPFMAP_CLI_TYPING_H_
#define BPFMAP_CLI_TYPING_H_

#include "cli/command.h"
#include "core/base/error.h"
#include "core/entries/map_typing.h"
#include "core/kernel/map_handle.h"

namespace bpfmap::cli {

// The typing of `map` for this run: its value layout, its own types from
// its BTF (with a warning on stderr if it has BTF that cannot be read), and
// the run's --key-type, --value-type, --hex and --cpus.
Result<MapTyping> TypingFor(const MapHandle& map, CommandEnv& env);

// The records of a ring buffer or perf event array (events, and put to a
// user ring buffer): --value-type with --fmt and the default formats.
struct RecordType {
  TypeRef type;  // null: no --value-type (records are bytes)
  LeafContext leaf_context;
};
Result<RecordType> RecordTypeFor(CommandEnv& env);

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_TYPING_H_
