// Keys and values as they travel between the kernel and the formatters.
#ifndef BPFMAP_CORE_MODEL_MAP_ENTRY_H_
#define BPFMAP_CORE_MODEL_MAP_ENTRY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/bytes.h"
#include "core/model/kernel_symbols.h"
#include "core/model/leaf_context.h"
#include "core/model/reference_names.h"
#include "core/types/type_node.h"

namespace bpfmap {

// How a value buffer is laid out: one value, or for per-CPU maps one value
// per possible CPU, each padded to 8 bytes as the kernel expects.
struct ValueLayout {
  uint32_t value_size = 0;
  uint32_t cpus = 1;       // possible CPUs for per-CPU maps, else 1
  uint32_t stride = 0;     // bytes from one CPU's value to the next
  bool per_cpu = false;

  size_t buffer_size() const { return static_cast<size_t>(stride) * cpus; }
  const uint8_t* value_of(const uint8_t* buffer, uint32_t cpu) const {
    return buffer + static_cast<size_t>(stride) * cpu;
  }
  const uint8_t* value_of(const Bytes& buffer, uint32_t cpu) const {
    return value_of(buffer.data(), cpu);
  }
};

// One key with its value buffer (laid out as ValueLayout says). Keyless maps
// (queue, stack) leave `key` empty.
struct MapEntry {
  Bytes key;
  Bytes value;
};

// An entry held elsewhere (in a batch buffer, in a MapEntry): what
// formatters print, without a copy.
struct EntryView {
  const uint8_t* key = nullptr;  // key_size bytes; none for keyless maps
  uint32_t key_size = 0;
  const uint8_t* value = nullptr;  // laid out as ValueLayout says
};

inline EntryView ViewOf(const MapEntry& entry) {
  return {entry.key.data(), static_cast<uint32_t>(entry.key.size()),
          entry.value.data()};
}

// One record of a ring buffer or perf event array, held by its reader
// until the next record is read.
struct EventRecord {
  const uint8_t* data = nullptr;
  uint32_t size = 0;
  int cpu = -1;          // perf event arrays: the CPU that wrote it
  uint64_t time_ns = 0;  // perf event arrays: CLOCK_MONOTONIC; 0: unknown
};

// Entries to write or delete, packed: key i at keys[i * key_size], its
// value buffer (laid out for the map) at values[i * value_stride].
// A file's entries, or a run of them (a chunk) when the file is read a
// part at a time: `first` is the index of entry 0 in the whole file.
struct PackedEntries {
  uint32_t key_size = 0;
  size_t value_stride = 0;
  size_t count = 0;
  size_t first = 0;
  Bytes keys;
  Bytes values;
  std::string source;           // the file's name, for messages
  std::vector<uint32_t> lines;  // each entry's line, if read from lines

  // "snap:12" (line 12), or "snap: entry 12" for entries of a JSON array.
  std::string OriginOf(size_t index) const;
  const uint8_t* KeyAt(size_t index) const {
    return keys.data() + key_size * index;
  }
  const uint8_t* ValueAt(size_t index) const {
    return values.data() + value_stride * index;
  }
  // Empty again, keeping the buffers' capacity; the next entry is the
  // file's `first` + count.
  void StartNextRun();
};

// What a formatter needs to know about a map's entries: how values are
// laid out, and the key and value types if known (null means raw bytes).
struct EntryShape {
  ValueLayout layout;
  uint32_t key_size = 0;
  // The map's name and id, for formats that name what they print after it
  // (OpenMetrics: bpfmap_flows_packets). Empty and 0 where unknown.
  std::string map_name;
  uint32_t map_id = 0;
  MapTypes types;
  bool has_key = true;  // false for queues, stacks and bloom filters
  // The key's or value's type is bpfmap's own view where the map has no
  // BTF for it (indexes of program, device and map arrays and of global
  // variable sections; ids of maps, programs and sockets:
  // core/model/reference_values.h): -o bpftool leaves it out of
  // "formatted", as bpftool does.
  bool builtin_key = false;
  bool builtin_value = false;
  // Values are kernel stack traces (stack_trace maps): shown as their
  // frames, each as symbol+offset where `symbols` knows it.
  bool stack_values = false;
  // Values are inner map ids (maps of maps): -o bpftool adds
  // "inner_map_id", as bpftool 7.3+ does.
  bool map_of_maps = false;
  std::shared_ptr<const KernelSymbols> symbols;
  // The clocks and symbols leaves with a LeafFormat read (ktime, ksym).
  LeafContext leaf_context;
  // For the formats a person reads: what the ids of a builtin reference
  // value name (null: ids alone).
  std::shared_ptr<const ReferenceNames> names;
};

// Copies one value into every CPU's slot of a fresh buffer (per-CPU maps),
// or returns it as is.
Bytes ReplicateValue(const Bytes& value, const ValueLayout& layout);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_MODEL_MAP_ENTRY_H_
