// --file FILE for put and del: the entries a dump printed, read for one map.
#ifndef BPFMAP_CLI_ENTRY_INPUT_H_
#define BPFMAP_CLI_ENTRY_INPUT_H_

#include <string>

#include "core/base/error.h"
#include "core/codec/entry_file.h"
#include "core/entries/map_typing.h"
#include "core/model/map_entry.h"
#include "core/model/map_info.h"

namespace bpfmap::cli {

// Reads `file` ("-" for stdin) as entries of `info`, typed as `typing`
// says (--hex: every key and value is hex digits). `need_value` false reads
// keys only. Every entry is checked before this returns; kBadInput names
// the first bad one, kSystem a file that cannot be read.
Result<PackedEntries> ReadEntries(const std::string& file,
                                  const MapInfo& info,
                                  const MapTyping& typing, bool raw_hex,
                                  bool need_value);

// The same, a run of at most `run_entries` entries at a time, each handed to
// `on_run` once checked (ReadEntryRuns): memory stays one run's.
Status ReadEntriesInRuns(const std::string& file, const MapInfo& info,
                         const MapTyping& typing, bool raw_hex,
                         bool need_value, size_t run_entries,
                         const EntryRunFn& on_run);

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_ENTRY_INPUT_H_
