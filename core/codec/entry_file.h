// Entry files for put --file and del --file: what `dump -o ndjson` (one
// object per line) or `dump -j` (one JSON array) prints, typed or hex,
// read whole and checked before anything is written.
#ifndef BPFMAP_CORE_CODEC_ENTRY_FILE_H_
#define BPFMAP_CORE_CODEC_ENTRY_FILE_H_

#include <cstdio>
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

// Reads every entry of `in`, named `name` in messages. An entry is
// {"key": K, "value": V} or, for per-CPU maps, {"key": K, "values":
// [{"cpu": 0, "value": V0}, ...]} with one value per possible CPU ("value"
// alone goes to every CPU). Stops at the first bad entry with kBadInput
// naming it ("snap:12: value.port: 70000 does not fit in u16").
Result<PackedEntries> ReadEntryFile(std::FILE* in, const std::string& name,
                                    const EntryFileSpec& spec);

// The same over text in memory (for tests and fuzzing).
Result<PackedEntries> ReadEntryText(std::string_view text,
                                    const std::string& name,
                                    const EntryFileSpec& spec);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_CODEC_ENTRY_FILE_H_
