// Whole-map work a batch at a time: reading (and draining) with
// BPF_MAP_LOOKUP_BATCH / LOOKUP_AND_DELETE_BATCH, writing with
// BPF_MAP_UPDATE_BATCH, deleting with BPF_MAP_DELETE_BATCH; and, for map
// types the kernel gives no batch operations, the same one key at a time.
// Which path runs is said under --debug.
#ifndef BPFMAP_CORE_KERNEL_MAP_BATCH_H_
#define BPFMAP_CORE_KERNEL_MAP_BATCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/error.h"
#include "core/entries/entry_pipeline.h"
#include "core/kernel/map_handle.h"
#include "core/kernel/map_ops.h"
#include "core/model/map_entry.h"

namespace bpfmap {

// How whole-map operations reach the kernel.
enum class BatchPath {
  kAuto,     // batch calls where the map type has them, else one by one
  kOneByOne  // always one key at a time (tests compare the two)
};

// Reads a keyed map's entries a batch at a time: the pipeline's source for
// a map. Memory stays at one batch however large the map.
class EntryBatches : public EntrySource {
 public:
  enum class Mode {
    kRead,
    // Each batch is deleted as it is read (BPF_MAP_LOOKUP_AND_DELETE_BATCH;
    // one key at a time, BPF_MAP_LOOKUP_AND_DELETE_ELEM where the type has
    // it, else lookup then delete, which loses an update between the two).
    kDrain,
  };

  // kUnsupported for types without keys to iterate, and for draining maps
  // whose entries cannot be deleted (arrays).
  static Result<EntryBatches> Start(const MapHandle& map, Mode mode,
                                    BatchPath path = BatchPath::kAuto,
                                    uint32_t batch_entries = 4096);

  // Reads the next batch: how many entries it holds, 0 after the last.
  Result<uint32_t> Next() override;

  // The i-th entry of the batch just read.
  EntryView entry(uint32_t i) const override {
    return {keys_.data() + static_cast<size_t>(key_size_) * i, key_size_,
            values_.data() + layout_.buffer_size() * i};
  }
  const ValueLayout& layout() const { return layout_; }
  // Reads values under their bpf_spin_lock (BPF_F_LOCK): for values that
  // hold one, so that no value is read half written.
  void set_lock(bool lock) { lock_ = lock; }
  bool Exhausted() const override { return done_; }
  // Whether the kernel's batch calls are in use.
  bool batched() const { return batched_; }

 private:
  EntryBatches(const MapHandle& map, Mode mode, ValueLayout layout,
               uint32_t batch_entries, bool try_batch);
  Result<uint32_t> NextBatched();
  Result<uint32_t> NextOneByOne();
  void Resize(uint32_t entries);

  const MapHandle* map_;
  Mode mode_;
  ValueLayout layout_;
  uint32_t key_size_;
  uint32_t capacity_ = 0;
  bool batched_;
  bool lock_ = false;
  bool started_ = false;
  bool done_ = false;
  Bytes keys_, values_;
  Bytes in_token_, out_token_;  // batch positions
  Bytes last_key_;              // one-by-one position
  // One-by-one drain: whether BPF_MAP_LOOKUP_AND_DELETE_ELEM is tried (it
  // is until the kernel says it has none for this map type).
  bool atomic_drain_ = true;
};

// The map's keys, from get_next_key alone (for maps whose values user space
// cannot read), at most `limit` of them.
Result<std::vector<Bytes>> ListKeys(const MapHandle& map, size_t limit);

// What a bulk write or delete did.
struct BulkResult {
  size_t done = 0;     // written, or deleted
  size_t missing = 0;  // delete: keys that were not in the map
};

// Writes a file's entries a run at a time (put --file): Check every run
// before the first is written, then Write them in order. When the kernel
// refuses an entry, the error says which (its origin) and how many were
// written before it; none after it are written.
class EntryWriter {
 public:
  static Result<EntryWriter> Start(const MapHandle& map, UpdateMode mode,
                                   BatchPath path = BatchPath::kAuto);

  // What can be checked before anything is written: the ids of maps and
  // programs that values name are opened (and closed again).
  Status Check(const PackedEntries& run);
  // Whether Check opens anything (the ids values name): then every run
  // must go through it, on this thread.
  bool opens_references() const { return references_; }
  // How many entries there are in all, for messages.
  void set_total(size_t total) { total_ = total; }
  Status Write(const PackedEntries& run);
  const BulkResult& result() const { return result_; }

 private:
  EntryWriter() = default;

  const MapHandle* map_ = nullptr;
  MapAccess access_ = MapAccess::kKeyed;
  uint64_t flags_ = 0;
  bool references_ = false;
  bool batched_ = false;
  size_t total_ = 0;
  BulkResult result_;
  Bytes kernel_value_;
};

// Writes every entry, in order, with `mode`, as EntryWriter does.
Result<BulkResult> WriteEntries(const MapHandle& map,
                                const PackedEntries& entries, UpdateMode mode,
                                BatchPath path = BatchPath::kAuto);

// Deletes every listed key, counting into `result` as it goes (so that
// after an error it holds what went before it; call again with the next
// run of keys to go on); keys not in the map are counted as missing.
// `path` becomes kOneByOne where the map type has no delete batch.
Status DeleteEntries(const MapHandle& map, const PackedEntries& entries,
                     BulkResult& result, BatchPath& path);

// Empties the map (queues and stacks are popped until empty).
// kUnsupported for arrays, whose entries cannot be deleted.
Result<BulkResult> DeleteAllEntries(const MapHandle& map,
                                    BatchPath path = BatchPath::kAuto);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_MAP_BATCH_H_
