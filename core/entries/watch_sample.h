// watch: successive reads of a map, each entry with the change of its
// numeric leaves since the read before, and the rate per second, from the
// time each batch was read.
#ifndef BPFMAP_CORE_ENTRIES_WATCH_SAMPLE_H_
#define BPFMAP_CORE_ENTRIES_WATCH_SAMPLE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/number.h"
#include "core/entries/entry_field.h"
#include "core/entries/entry_pipeline.h"
#include "core/model/map_entry.h"
#include "core/types/type_paths.h"

namespace bpfmap {

// How one numeric leaf of an entry moved since the read before.
struct LeafMotion {
  enum class State {
    kFirst,  // no read before has the entry: nothing to compare
    kMoved,  // delta and rate hold
    kReset,  // went down (a counter reset, or an LRU eviction and a new
             // entry under the key): no delta, no rate
  };
  State state = State::kFirst;
  Int128 delta = 0;        // integer leaves
  double real_delta = 0;   // float leaves
  double rate = 0;         // per second
};

// One entry of a read: where its key, value and motion sit in the read's
// stores (rows are sorted; the stores stay in the order read).
struct WatchRow {
  size_t slot = 0;
};

// A source that notes when each batch was read (CLOCK_MONOTONIC), for the
// rates.
class TimedSource : public EntrySource {
 public:
  explicit TimedSource(EntrySource& source) : source_(source) {}
  Result<uint32_t> Next() override;
  EntryView entry(uint32_t i) const override { return source_.entry(i); }
  // When the batch just read arrived, in ns.
  uint64_t batch_time() const { return batch_time_; }

 private:
  EntrySource& source_;
  uint64_t batch_time_ = 0;
};

// The sink of each read: holds its entries (key, and the value as the
// shape lays it out) and works out their motion against the read before.
// Per-CPU values move as their sum.
class WatchSampler : public EntrySink {
 public:
  // `fields` names the numeric leaves (FieldsShape); `times` says when each
  // batch was read.
  WatchSampler(const EntryShape& fields, const TimedSource* times);

  void BeginDump(const EntryShape& shape) override;
  void DumpEntry(const EntryView& entry) override;
  void EndDump() override;
  void BeginInnerDump(const EntryView&, uint32_t) override {}
  void EndInnerDump() override {}
  void FlushDump() override {}
  bool Writable() const override { return true; }

  // Where the times of the batches of the next read come from (null: the
  // time each entry arrives).
  void set_times(const TimedSource* times) { times_ = times; }

  // The numeric leaves whose motion rows hold.
  const std::vector<NumericLeaf>& leaves() const { return leaves_; }
  // The last complete read: its rows (in the order read until sorted), and
  // each row's key and value.
  std::vector<WatchRow>& rows() { return last_.rows; }
  const std::vector<WatchRow>& rows() const { return last_.rows; }
  EntryView view(const WatchRow& row) const;
  // The motion of each numeric leaf of a row, in the order of leaves().
  const LeafMotion* motion(const WatchRow& row) const {
    return last_.motion.data() + row.slot * leaves_.size();
  }
  // When the last read ended (CLOCK_MONOTONIC ns).
  uint64_t read_time() const { return last_.end_time; }
  // The one value of a row (summed over CPUs for per-CPU maps).
  const uint8_t* value_of(const WatchRow& row);

 private:
  struct Read {
    Bytes store;                  // key, then value buffer, per slot
    std::vector<uint64_t> times;  // per slot: its batch's time
    std::vector<LeafMotion> motion;  // per slot, one per leaf
    std::vector<WatchRow> rows;
    uint64_t end_time = 0;
  };
  // The slot of the last read that holds `key`, if any.
  std::optional<size_t> OldSlotOf(const uint8_t* key, size_t position);
  const uint8_t* SlotOf(const Read& read, size_t slot) const {
    return read.store.data() + slot * slot_size_;
  }

  EntryShape fields_;
  const TimedSource* times_;
  std::vector<NumericLeaf> leaves_;
  EntryValueReader values_;
  EntryValueReader old_values_;
  size_t key_size_ = 0;
  size_t slot_size_ = 0;
  Read last_;
  Read next_;
  // The last read's slots by key bytes (views into last_.store), built on
  // the first key not found where it was in the read before: a map that
  // keeps its keys is read in the same order each time.
  std::unordered_map<std::string_view, size_t> index_;
  bool indexed_ = false;
};

// How watch orders rows: by a field (a key or value leaf), or by the rate
// of a numeric leaf; greatest first unless `ascending`. Rows with no rate
// (first seen, reset) come last.
struct WatchOrder {
  std::optional<EntryField> field;
  std::optional<size_t> rate_of;  // index into WatchSampler::leaves()
  bool ascending = false;
};

// Sorts the sampler's last read by `order` (ties: the order read).
void SortRows(WatchSampler& sampler, const WatchOrder& order);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_ENTRIES_WATCH_SAMPLE_H_
