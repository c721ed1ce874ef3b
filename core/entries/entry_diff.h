// diff: two sets of entries compared by key, as JSON shows them (what
// dump -o ndjson prints, for a map or a snapshot of one): the entries
// added, removed and changed, and for a changed entry each leaf that
// differs, with the change of a number.
#ifndef BPFMAP_CORE_ENTRIES_ENTRY_DIFF_H_
#define BPFMAP_CORE_ENTRIES_ENTRY_DIFF_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/base/error.h"
#include "core/codec/literal.h"

namespace bpfmap {

// One leaf of a changed entry that differs.
struct LeafChange {
  std::string path;      // from the value: "packets", "[1].value" (per
                         // CPU), "value" for a value that is one number
  std::string old_json;  // "" where the old entry has no such leaf
  std::string new_json;  // "" where the new entry has none
  std::string delta;     // new - old as a JSON number; "" unless both numbers
};

struct EntryDifference {
  enum class Kind { kAdded, kRemoved, kChanged };
  Kind kind = Kind::kChanged;
  std::string key_json;
  // The value's member name: "value", or "values" for per-CPU values.
  std::string member;
  std::string old_json;  // the old value (removed, changed)
  std::string new_json;  // the new value (added, changed)
  std::vector<LeafChange> leaves;  // changed: what differs, in order
};

struct DiffCounts {
  size_t added = 0;
  size_t removed = 0;
  size_t changed = 0;
  size_t unchanged = 0;

  bool equal() const { return added == 0 && removed == 0 && changed == 0; }
};

// Compares an old side, held in memory, with a new side given an entry at
// a time.
class EntryDiff {
 public:
  // An entry of the old side: {"key": K, "value": V} or {"key": K,
  // "values": [...]}. kBadInput naming `origin` ("snap:12") for anything
  // else, and for a key the side has already given.
  Status AddOld(const Literal& entry, std::string_view origin);
  // An entry of the new side (as AddOld takes them), compared with the old
  // entry of its key: how it differs, or nullopt if it does not.
  Result<std::optional<EntryDifference>> CompareNew(const Literal& entry,
                                                    std::string_view origin);
  // The old entries no new entry matched, in the order they were added.
  // Call once, after the last CompareNew.
  std::vector<EntryDifference> TakeRemoved();

  const DiffCounts& counts() const { return counts_; }
  // How many entries had per-CPU values on one side and not on the other.
  size_t mismatched() const { return mismatched_; }

 private:
  struct OldEntry {
    std::string member;
    std::string value_json;
    size_t order = 0;
    bool matched = false;
  };
  std::unordered_map<std::string, OldEntry> old_;
  std::unordered_set<std::string> new_keys_;
  DiffCounts counts_;
  size_t mismatched_ = 0;
};

// The leaves in which `new_value` differs from `old_value`, with paths
// starting at `path`: members and elements compared one by one where both
// are objects, or arrays of one length; numbers with their change.
void CompareValues(const Literal& old_value, const Literal& new_value,
                   const std::string& path, std::vector<LeafChange>& out);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_ENTRIES_ENTRY_DIFF_H_
