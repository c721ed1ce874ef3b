// Histograms out of map entries, as latency tools keep them: a map keyed by
// slot with a counter per slot, or values that are arrays of counters (one
// histogram per key). Slots are log2 (slot i counts values from 2^i to
// 2^(i+1)-1) or linear (slot i counts i*STEP to (i+1)*STEP-1). Per-CPU
// counters are summed.
#ifndef BPFMAP_CORE_ENTRIES_HISTOGRAM_H_
#define BPFMAP_CORE_ENTRIES_HISTOGRAM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/error.h"
#include "core/entries/entry_pipeline.h"
#include "core/model/map_entry.h"
#include "core/types/type_node.h"
#include "core/types/typed_scalar.h"

namespace bpfmap {

enum class HistogramScale { kLog2, kLinear };

// What --hist asked for: [log2|linear[:STEP]] [FIELD].
struct HistogramSpec {
  HistogramScale scale = HistogramScale::kLog2;
  uint64_t step = 1;  // linear only
  std::string field;  // the counters; empty: the one the types suggest
};

// Reads the words after --hist. kBadInput names a bad STEP.
Result<HistogramSpec> ParseHistogramWords(const std::vector<std::string>& words);

// One bucket of a histogram as printed.
struct HistogramBucket {
  uint64_t low = 0;
  uint64_t high = 0;
  uint64_t count = 0;
};

// One histogram: counts per slot.
struct Histogram {
  Bytes key;  // the entry whose value it is (one histogram per key), or empty
  std::vector<uint64_t> counts;  // per slot, summed over CPUs
};

// What --hist prints: the histograms and how to label them.
struct HistogramReport {
  HistogramScale scale = HistogramScale::kLog2;
  uint64_t step = 1;
  std::string label;     // the header's unit: "nsecs", "slots", "slot"
  bool per_key = false;  // one histogram per key, each with its key
  std::vector<Histogram> histograms;
};

// The rows bcc prints for `counts`: log2 slots 0 up to the last nonzero one;
// linear slots with a nonzero count from the first to the last. None if
// every count is zero.
std::vector<HistogramBucket> BucketsOf(const Histogram& histogram,
                                       HistogramScale scale, uint64_t step);

// Which leaves hold the counters and how they are read: worked out once
// from a map's types.
class HistogramPlan {
 public:
  // The plan for entries of `shape` (typed, with formats applied). Without
  // spec.field, the value's one array of integers, or else an integer
  // value (or the value's one integer member) under an integer key.
  // kBadInput, naming the fields there are, if none fits.
  static Result<HistogramPlan> For(const EntryShape& shape,
                                   const HistogramSpec& spec);

  // True for one histogram per key (values are arrays of counters).
  bool per_key() const { return per_key_; }
  // What the slots measure, for the header: "nsecs", "usecs" or "msecs"
  // for a field formatted ns, us or ms, else the field's name ("slots"), or "slot" for a map keyed by slot.
  const std::string& label() const { return label_; }
  const std::string& field() const { return field_; }

 private:
  friend class HistogramCollector;
  HistogramSpec spec_;
  bool per_key_ = false;
  std::string label_;
  std::string field_;  // path of the counters: value.slots, value
  const TypeNode* counter_ = nullptr;  // one counter
  LeafPlace counter_place_;            // the first counter
  uint32_t slots_ = 0;                 // per_key: the array's length
  uint32_t counter_stride_ = 0;        // bits between counters
  const TypeNode* key_ = nullptr;      // keyed by slot: the key's type
  ValueLayout layout_;
};

// The largest slot a map keyed by slot may have.
inline constexpr uint64_t kMaxHistogramSlots = 65536;

// A sink that adds entries up into histograms.
class HistogramCollector : public EntrySink {
 public:
  explicit HistogramCollector(const HistogramPlan& plan) : plan_(plan) {}

  void BeginDump(const EntryShape&) override {}
  void DumpEntry(const EntryView& entry) override;
  void EndDump() override {}
  void BeginInnerDump(const EntryView&, uint32_t) override {}
  void EndInnerDump() override {}
  void FlushDump() override {}
  bool Writable() const override { return status_.ok(); }

  // The histograms, in the order the entries came (one for a map keyed by
  // slot); or the first key that is not a slot.
  Result<std::vector<Histogram>> Finish();

 private:
  uint64_t Counter(const uint8_t* value, uint32_t slot) const;

  const HistogramPlan& plan_;
  Status status_;
  std::vector<Histogram> per_key_;
  Histogram keyed_by_slot_;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_ENTRIES_HISTOGRAM_H_
