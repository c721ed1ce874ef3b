// --where: which entries to keep, as an expression over their fields.
//
//   key.dport == 443 and value.packets > 100
//   comm ~ "^curl" or not (state == TCP_CLOSE)
//   key.saddr in 10.0.0.0/8        key.dport in (80, 443)
//   key[0:4] == hex 0a000001       value.lat_ns >= 1.5ms
//
// A comparison is FIELD OP OPERAND (fields as core/entries/entry_field.h
// names them); OP is ==, !=, <, <=, >, >=, ~ or !~ (a POSIX extended
// regular expression on text), or `in` (a prefix ADDR/BITS of an address,
// or a list (A, B, ...)). Operands are read as typed input reads the field
// (enum names, addresses, ports, durations, "quoted text", hex BYTES), so
// anything dump shows can be written back here. Comparisons combine with
// and, or, not (also &&, ||, !) and parentheses.
#ifndef BPFMAP_CORE_ENTRIES_ENTRY_FILTER_H_
#define BPFMAP_CORE_ENTRIES_ENTRY_FILTER_H_

#include <memory>
#include <optional>
#include <string_view>

#include "core/base/error.h"
#include "core/entries/entry_field.h"
#include "core/entries/entry_pipeline.h"
#include "core/model/leaf_context.h"
#include "core/model/map_entry.h"

namespace bpfmap {

struct FilterNode;

// A parsed --where expression, bound to one map's fields.
class EntryFilter {
 public:
  // `text` for entries of `shape`, operands of formatted leaves read with
  // `context`. kBadInput "--where: column N: ..." naming what was wrong and
  // where.
  static Result<EntryFilter> Parse(std::string_view text,
                                   const EntryShape& shape,
                                   const LeafContext& context);
  EntryFilter(EntryFilter&&) noexcept;
  EntryFilter& operator=(EntryFilter&&) noexcept;
  ~EntryFilter();

  // Whether the entry with key at `key` and one value at `value` matches.
  bool Matches(const uint8_t* key, const uint8_t* value) const;

  // How many bytes of a value the comparisons read (records of a ring
  // buffer vary in size: a shorter one cannot match).
  uint32_t value_bytes() const { return value_bytes_; }

 private:
  EntryFilter();
  std::unique_ptr<FilterNode> root_;
  uint32_t value_bytes_ = 0;
};

// The pipeline stage for --where: passes the entries `filter` matches
// (per-CPU values summed to be compared, passed on as they were).
class FilterStage : public EntryStage {
 public:
  FilterStage(EntryFilter filter, const EntryShape& shape)
      : filter_(std::move(filter)), values_(shape) {}
  std::optional<EntryView> Apply(const EntryView& entry) override;

 private:
  EntryFilter filter_;
  EntryValueReader values_;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_ENTRIES_ENTRY_FILTER_H_
