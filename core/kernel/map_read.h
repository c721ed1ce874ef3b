// The source a whole-map read goes through, chosen per map: arrays created
// mmapable are read in place (core/kernel/map_mmap.h); other arrays of more
// than one batch through a BPF iterator (core/kernel/map_iter.h) where the
// kernel and the privileges allow it (it reads an array in ~0.6 of the time
// batch calls take); else the kernel's batch calls, else one key at a time
// (core/kernel/map_batch.h). Hash maps stay on batch calls: the kernel's
// hash iterator may miss or repeat entries updated during the walk (its
// authors say as much), which a batch call, reading each bucket under its
// lock, never does. Which path, and why not a faster one, is said under
// --debug.
#ifndef BPFMAP_CORE_KERNEL_MAP_READ_H_
#define BPFMAP_CORE_KERNEL_MAP_READ_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/base/error.h"
#include "core/entries/entry_pipeline.h"
#include "core/kernel/map_batch.h"
#include "core/kernel/map_handle.h"
#include "core/kernel/map_iter.h"
#include "core/kernel/map_mmap.h"

namespace bpfmap {

enum class ReadPath {
  kAuto,      // the fastest way that reads what batch calls read
  kIterator,  // the iterator (hash maps too) or an error
  kBatch,     // batch calls where the map type has them, else one by one
  kOneByOne,  // one key at a time
};

struct ReadOptions {
  ReadPath path = ReadPath::kAuto;
  // Values read under their bpf_spin_lock (BPF_F_LOCK): only lookups take
  // it, so such maps are read through batch calls.
  bool lock = false;
  // Values holding fields only the kernel may read (MapTyping): only
  // lookups zero them, so such maps are read through batch calls too.
  bool kernel_fields = false;
};

// Reads a keyed map's entries to the end, with flat memory.
class MapReader : public EntrySource {
 public:
  // Which way the entries are read.
  enum class Way { kMapped, kIterator, kBatches };

  // kUnsupported for types without keys to iterate.
  static Result<MapReader> Start(const MapHandle& map,
                                 const ReadOptions& options = {});

  Result<uint32_t> Next() override { return source_->Next(); }
  EntryView entry(uint32_t i) const override { return source_->entry(i); }
  bool Exhausted() const override { return source_->Exhausted(); }
  // Whether the iterator reads the map.
  bool iterating() const { return way_ == Way::kIterator; }
  // How each entry's value buffer is laid out.
  const ValueLayout& layout() const { return layout_; }

 private:
  std::unique_ptr<EntrySource> source_;
  Way way_ = Way::kBatches;
  ValueLayout layout_;
};

// How many entries `map` holds now (show --count): max_entries for arrays,
// whose every index is an entry; for other keyed maps, the entries a walk
// finds (a batch at a time, values read and dropped; keys alone where the
// kernel gives user space no values). kUnsupported for maps without keys
// to walk (queues, stacks, bloom filters, ring buffers, storage maps).
Result<uint64_t> CountEntries(const MapHandle& map,
                              const ReadOptions& options = {});

// Sets `entries` of each map (by its id) that can be opened and counted
// (show --count, list --count); leaves the others' empty.
void CountEntriesOf(const std::vector<MapInfo*>& maps,
                    const ReadOptions& options = {});

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_MAP_READ_H_
