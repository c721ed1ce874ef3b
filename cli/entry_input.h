// --file FILE for put and del: the entries a dump printed, read for one map.
#ifndef BPFMAP_CLI_ENTRY_INPUT_H_
#define BPFMAP_CLI_ENTRY_INPUT_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/error.h"
#include "core/codec/entry_file.h"
#include "core/codec/entry_spool.h"
#include "core/entries/map_typing.h"
#include "core/model/map_entry.h"
#include "core/model/map_info.h"

namespace bpfmap::cli {

// How many entries of `entry_bytes` each (key, value buffer and line
// number) put and del --file check as one run: about 1 MiB of them.
size_t RunEntries(size_t entry_bytes);

// Reads `file` ("-" for stdin) as entries of `info`, typed as `typing`
// says (--hex: every key and value is hex digits; `need_value` false: keys
// only), a run of at most `run_entries` entries at a time, each handed to
// `on_run` once checked (ReadEntryRuns): memory stays one run's. kBadInput
// names the first bad entry, kSystem a file that cannot be read.
Status ReadEntriesInRuns(const std::string& file, const MapInfo& info,
                         const MapTyping& typing, bool raw_hex, bool need_value,
                         size_t run_entries, const EntryRunFn& on_run);

// The checked runs of a file (or of half of one), in order, for a second
// pass once the whole file is known to be good: the first run in memory;
// from the second on, in an unlinked temporary file (EntrySpool), so that
// memory stays a few runs' (the reader's buffers and this first run)
// whatever the file's size. Where no temporary file can be made (a
// read-only /tmp) the runs stay in memory, as --debug says.
class CheckedRuns {
 public:
  // `command` ("put --file") names it in --debug lines.
  explicit CheckedRuns(std::string command) : command_(std::move(command)) {}
  Status Add(const PackedEntries& run);
  // Entries added.
  size_t total() const { return total_; }
  // Every run, in the order added, through `fn`.
  Status ForEach(const EntryRunFn& fn);

 private:
  std::string command_;
  std::vector<PackedEntries> kept_;
  std::optional<EntrySpool> spool_;
  size_t total_ = 0;
};

// A file of lines cut in two, for two threads to read at once.
struct FileHalves {
  uint64_t split = 0;  // where the second half starts: just after a newline
  uint64_t size = 0;
};

// Where `file` may be read as two halves: a regular file of NDJSON lines
// (not a JSON array) of at least `min_bytes`. Nullopt for anything else
// (stdin, a pipe, a small file, an array), which is read whole.
std::optional<FileHalves> SplitInHalves(const std::string& file,
                                        uint64_t min_bytes);

enum class Half { kFirst, kSecond };

// ReadEntriesInRuns over one half: the first is [0, split), the second
// [split, end), whose lines are numbered after the first's (counted
// first). `stop` set ends the read early (the caller has an error to say
// already); what it then returns is not to be said.
Status ReadHalfInRuns(const std::string& file, const FileHalves& halves,
                      Half half, const MapInfo& info, const MapTyping& typing,
                      bool raw_hex, size_t run_entries,
                      const EntryRunFn& on_run, const std::atomic<bool>& stop);

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_ENTRY_INPUT_H_
