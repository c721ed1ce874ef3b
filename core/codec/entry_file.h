// Entry files for put --file and del --file: what `dump -o ndjson` (one
// object per line) or `dump -j` (one JSON array) prints, typed or hex,
// read whole and checked before anything is written.
#ifndef BPFMAP_CORE_CODEC_ENTRY_FILE_H_
#define BPFMAP_CORE_CODEC_ENTRY_FILE_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

#include "core/base/error.h"
#include "core/model/leaf_context.h"
#include "core/model/map_entry.h"
#include "core/types/type_node.h"

namespace bpfmap {

// How a file's entries are read for one map.
struct EntryFileSpec {
  const TypeNode* key_type = nullptr;    // null: keys are hex strings
  const TypeNode* value_type = nullptr;  // null: values are hex strings
  uint32_t key_size = 0;
  ValueLayout layout;
  bool has_key = true;     // false for queues, stacks and bloom filters
  bool need_value = true;  // false for del --file: values are not read
  // What formatted leaves read (ksym names); null: the clocks, no symbols.
  const LeafContext* leaf_context = nullptr;
};

// A run of a file's entries, as ReadEntryRuns hands them on; its buffers
// are reused for the next run once the function returns.
using EntryRunFn = std::function<Status(const PackedEntries& run)>;

// A part of a file of lines (NDJSON), read on its own: `bytes` bytes of
// whole lines from where the stream stands, after `lines_before` lines.
// `lines_only`: a line that starts with '[' is a bad entry, not the start
// of a JSON array (a part of a file is never one).
struct LineRange {
  uint64_t bytes = UINT64_MAX;
  uint32_t lines_before = 0;
  bool lines_only = false;
};

// Reads the entries of `in`, named `name` in messages, a run of at most
// `run_entries` entries at a time, each handed to `on_run` once all its
// entries are read and checked: memory stays that of one run, whatever
// the file's size. An entry is {"key": K, "value": V} or, for per-CPU
// maps, {"key": K, "values": [{"cpu": 0, "value": V0}, ...]} with one
// value per possible CPU ("value" alone goes to every CPU); a file is
// lines of entries (NDJSON) or one JSON array of them. Stops at the first
// bad entry with kBadInput naming it ("snap:12: value.port: 70000 does not
// fit in u16"), or at the first error `on_run` returns. With a `range`,
// only that part of a file of lines.
Status ReadEntryRuns(std::FILE* in, const std::string& name,
                     const EntryFileSpec& spec, size_t run_entries,
                     const EntryRunFn& on_run, const LineRange& range = {});

// Every entry of `text`, read as ReadEntryRuns reads a file, in one run
// (for tests and fuzzing).
Result<PackedEntries> ReadEntryText(std::string_view text,
                                    const std::string& name,
                                    const EntryFileSpec& spec);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_CODEC_ENTRY_FILE_H_
