// --sort, --limit and --count: the stages and sinks that order, cut and
// count the entries a pipeline passes.
#ifndef BPFMAP_CORE_ENTRIES_ENTRY_ORDER_H_
#define BPFMAP_CORE_ENTRIES_ENTRY_ORDER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/bytes.h"
#include "core/entries/entry_field.h"
#include "core/entries/entry_pipeline.h"
#include "core/model/map_entry.h"

namespace bpfmap {

// How --sort orders entries: by one field, greatest first unless
// `ascending`; entries with equal fields stay in the order read.
struct EntryOrder {
  EntryField field;
  bool ascending = false;
};

// A sink that holds what it is given and, when the dump ends, passes it on
// to `next` in `order`: all of it, or with `limit` only the first `limit`
// (held as it goes, so memory grows with `limit`, not with the map).
// `fields` is the shape the order's field was resolved in (its values are
// read as EntryValueReader reads them).
class SortingSink : public EntrySink {
 public:
  SortingSink(EntrySink& next, EntryOrder order, std::optional<size_t> limit,
              const EntryShape& fields);

  void BeginDump(const EntryShape& shape) override;
  void DumpEntry(const EntryView& entry) override;
  void EndDump() override;
  // Maps of maps are not sorted (dump refuses --sort with --recursive).
  void BeginInnerDump(const EntryView&, uint32_t) override {}
  void EndInnerDump() override {}
  // Nothing is passed on before the end.
  void FlushDump() override {}
  bool Writable() const override { return next_.Writable(); }

 private:
  struct Held {
    size_t slot;     // where its key and value sit in `store_`
    uint64_t order;  // when it was read
    FieldValue by;   // the field it sorts by (bytes point into `bytes`)
    std::string bytes;
  };
  bool Before(const Held& a, const Held& b) const;
  void Cut();  // drops all but the first `limit_`

  EntrySink& next_;
  EntryOrder order_;
  std::optional<size_t> limit_;
  EntryShape shape_;
  EntryValueReader values_;
  size_t key_size_ = 0;
  size_t slot_size_ = 0;
  Bytes store_;
  std::vector<size_t> free_slots_;
  std::vector<Held> held_;
  uint64_t read_ = 0;
};

// The pipeline stage for --limit without --sort: passes the first `limit`
// entries, then is done (and reading stops).
class LimitStage : public EntryStage {
 public:
  explicit LimitStage(size_t limit) : limit_(limit) {}
  std::optional<EntryView> Apply(const EntryView& entry) override {
    if (passed_ >= limit_) return std::nullopt;
    ++passed_;
    return entry;
  }
  bool Done() const override { return passed_ >= limit_; }

 private:
  size_t limit_;
  size_t passed_ = 0;
};

// A sink that only counts (--count).
class CountingSink : public EntrySink {
 public:
  void BeginDump(const EntryShape&) override {}
  void DumpEntry(const EntryView&) override { ++count_; }
  void EndDump() override {}
  void BeginInnerDump(const EntryView&, uint32_t) override {}
  void EndInnerDump() override {}
  void FlushDump() override {}
  bool Writable() const override { return true; }
  size_t count() const { return count_; }

 private:
  size_t count_ = 0;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_ENTRIES_ENTRY_ORDER_H_
