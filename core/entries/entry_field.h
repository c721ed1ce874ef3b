// The parts of an entry a person names in --where and --sort: a typed node
// by path (key.dport, value.stats.bytes, the bare name comm, an element
// value.slots[3]) or a byte range of an untyped key or value (key[0:4]), and
// what such a part holds, in a form that compares.
#ifndef BPFMAP_CORE_ENTRIES_ENTRY_FIELD_H_
#define BPFMAP_CORE_ENTRIES_ENTRY_FIELD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/error.h"
#include "core/base/number.h"
#include "core/model/map_entry.h"
#include "core/types/type_node.h"
#include "core/types/typed_scalar.h"

namespace bpfmap {

// One named part of an entry.
struct EntryField {
  bool in_key = true;     // else in the value
  std::string path;       // as resolved: "key.dport", "key[0:4]"
  TypeRef root;           // keeps `type` alive; null for byte ranges
  const TypeNode* type = nullptr;  // null for byte ranges
  LeafPlace place;        // from the start of the key or value
  uint32_t begin = 0;     // byte ranges: [begin, end)
  uint32_t end = 0;
};

// How a field's contents compare.
enum class FieldKind {
  kInteger,  // ints, enums, bools, chars, pointers, ports, durations...
  kFloat,
  kText,     // char arrays and text leaves: up to the first NUL
  kBytes,    // addresses, MACs, records, arrays, byte ranges: memory order
};

// What kind of contents `field` has.
FieldKind KindOf(const EntryField& field);

// The field `text` names in entries of `shape`: a path or its end, a bare
// name no other field has, either followed by [INDEX] for an array's
// element, or key[A:B] / value[A:B] for bytes A to B-1 (any map, typed or
// not), or key / value for all of it. kBadInput starting with `what` if it
// names nothing, several fields, or bytes past the end, or the value of an
// untyped per-CPU map (whose CPUs have no one value without a type).
Result<EntryField> ResolveEntryField(const EntryShape& shape,
                                     std::string_view text,
                                     std::string_view what);

// The paths of every field of `shape`'s types, key first (for completion).
std::vector<std::string> EntryFieldPaths(const EntryShape& shape);

// A field's contents from an entry. Integers are read as the field means
// them (sign-extended, network byte order turned around); text and bytes
// point into the entry.
struct FieldValue {
  FieldKind kind = FieldKind::kInteger;
  Int128 integer = 0;
  double real = 0;
  std::string_view bytes;  // kText, kBytes
};

// `field` in the entry whose key is at `key` and one value at `value`.
FieldValue ReadField(const EntryField& field, const uint8_t* key,
                     const uint8_t* value);

// <0, 0 or >0 as `a` sorts before, with or after `b` (same kind); a
// float NaN sorts after every number and equals only NaN.
int CompareFieldValues(const FieldValue& a, const FieldValue& b);

// One value of each entry of `shape`, however its value buffer is laid
// out: per-CPU values not yet folded are summed (what --where and --sort
// read: the packets of a flow, not of one CPU), into a buffer it reuses.
class EntryValueReader {
 public:
  explicit EntryValueReader(const EntryShape& shape);
  // The value of `entry` (CPU 0's where untyped per-CPU values cannot be
  // summed), valid until the next call.
  const uint8_t* ValueOf(const EntryView& entry);

 private:
  TypeRef type_;
  ValueLayout layout_;
  bool fold_ = false;
  Bytes folded_;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_ENTRIES_ENTRY_FIELD_H_
