// Typed input: a Literal (core/codec/literal.h) encoded as the bytes of a type,
// with every integer range-checked and every error naming its path
// ("value.range.lo: 4294967296 does not fit in u32").
#ifndef BPFMAP_CORE_CODEC_TYPED_INPUT_H_
#define BPFMAP_CORE_CODEC_TYPED_INPUT_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/error.h"
#include "core/codec/json_cursor.h"
#include "core/codec/leaf_text.h"
#include "core/codec/literal.h"
#include "core/types/type_node.h"

namespace bpfmap {

// The bytes of `literal` read as a `type`. Structs take objects (missing
// fields are zero), unions an object with one member, arrays lists of
// exactly their length, char arrays strings that fit, enums names or
// numbers, integers numbers or strings ("0x1f", "-2"). kBadInput names
// `path` and what was wrong. With `base` (type.size bytes), members the
// literal leaves out keep those bytes instead of zero: a write to some
// global variables of a section leaves the others as they were. Leaves
// with a LeafFormat take what FormatLeaf shows (core/codec/leaf_text.h),
// read with `context` (null: the clocks now, no kernel symbols).
Result<Bytes> EncodeLiteral(const TypeNode& type, const Literal& literal,
                            const std::string& path,
                            const Bytes* base = nullptr,
                            const LeafContext* context = nullptr);

// A fast path for what dump prints, for bulk loads: reads one JSON value of
// `type` from `in` straight into `out` (type.size bytes, all zero on entry)
// without building a Literal. Takes decimal integers, true and false,
// enumerator names, char arrays as strings of printable ASCII without
// escapes, formatted leaves but ages and symbols (addresses, ports, MACs,
// hex...), and arrays and structs of those. Returns false on anything else
// and on anything wrong, with `out` and `in` in no particular state:
// EncodeLiteral then gives the answer, or the error. Whatever it accepts,
// EncodeLiteral encodes to the same bytes.
bool EncodeJsonFast(const TypeNode& type, JsonCursor& in, uint8_t* out);

// The words after `key` or `value` for a map whose keys or values are
// `size` bytes of `type` (null if untyped): `hex ...`, exactly `size` byte
// tokens (bpftool's grammar), or one typed literal (over `base`, if given,
// as EncodeLiteral). `what` names the argument in errors.
Result<Bytes> ParseElementWords(const TypeNode* type,
                                const std::vector<std::string>& words,
                                uint32_t size, const std::string& what,
                                const Bytes* base = nullptr,
                                const LeafContext* context = nullptr);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_CODEC_TYPED_INPUT_H_
