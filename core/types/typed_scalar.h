// Reading and writing one scalar leaf (an int, bool, char, enum, pointer or
// float, possibly a bitfield) in a little-endian value buffer.
#ifndef BPFMAP_CORE_TYPES_TYPED_SCALAR_H_
#define BPFMAP_CORE_TYPES_TYPED_SCALAR_H_

#include <cstdint>
#include <string>

#include "core/base/number.h"
#include "core/types/type_node.h"

namespace bpfmap {

// Where a leaf sits: `bit_offset` bits from the buffer's start; `bit_size`
// is the bitfield width, or 0 for a whole `type.size`-byte value.
struct LeafPlace {
  uint32_t bit_offset = 0;
  uint32_t bit_size = 0;
};

// The integer value of an integer-like leaf (int, bool, char, enum,
// pointer), sign-extended when the type is signed; a network-byte-order
// leaf (TypeNode::big_endian) gives the number it means. An unsigned
// 128-bit value above 2^127 comes back negative: read those with ReadBits.
Int128 ReadInteger(const TypeNode& type, const uint8_t* base, LeafPlace place);

// The leaf's bits as an unsigned number, in the byte order ReadInteger
// reads; not sign-extended.
Uint128 ReadBits(const TypeNode& type, const uint8_t* base, LeafPlace place);

// Stores `value`, which the caller has checked lies in IntegerRange().
void WriteInteger(const TypeNode& type, uint8_t* base, LeafPlace place,
                  Int128 value);

// Stores the low bits of `value` (for 128-bit leaves).
void WriteBits(const TypeNode& type, uint8_t* base, LeafPlace place,
               Uint128 value);

// Whether the leaf at `place` is read in network byte order: a whole
// __be16/__be32/__be64 leaf not shown raw.
bool ReadsBigEndian(const TypeNode& type, LeafPlace place);

// The smallest and largest value an integer-like leaf can hold.
struct IntegerRange {
  Int128 min = 0;
  Int128 max = 0;
};
IntegerRange RangeOf(const TypeNode& type, LeafPlace place);

// How error messages name a leaf's type: "u32", "s8", "3-bit unsigned
// bitfield", "enum mode (4 bytes)".
std::string LeafTypeName(const TypeNode& type, LeafPlace place);

// An enumerator's value as ReadInteger() reads the enum: sign-extended for a
// signed enum, zero-extended otherwise.
Int128 EnumeratorValue(const TypeNode& type, const Enumerator& enumerator);

// The enumerator of `type` whose value is `value`, or null.
const Enumerator* FindEnumerator(const TypeNode& type, Int128 value);

// Floats of 4 or 8 bytes.
double ReadFloat(const TypeNode& type, const uint8_t* base, LeafPlace place);
void WriteFloat(const TypeNode& type, uint8_t* base, LeafPlace place,
                double value);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_TYPES_TYPED_SCALAR_H_
