#include "core/types/typed_scalar.h"

#include <fmt/format.h>

#include <cstring>

namespace bpfmap {
namespace {

uint32_t WidthInBits(const TypeNode& type, LeafPlace place) {
  return place.bit_size != 0 ? place.bit_size : type.size * 8;
}

// The bytes of a whole-byte leaf in little-endian order: `p` itself, or
// `swapped` holding them reversed for a network-byte-order leaf.
const uint8_t* LittleEndianBytes(const TypeNode& type, const uint8_t* p,
                                 LeafPlace place, uint8_t (&swapped)[16]) {
  if (!ReadsBigEndian(type, place)) return p;
  for (uint32_t i = 0; i < type.size; ++i) swapped[i] = p[type.size - 1 - i];
  return swapped;
}

}  // namespace

bool ReadsBigEndian(const TypeNode& type, LeafPlace place) {
  return type.big_endian && type.format != LeafFormat::kRaw &&
         place.bit_size == 0 && place.bit_offset % 8 == 0 && type.size <= 16;
}

Uint128 ReadBits(const TypeNode& type, const uint8_t* base, LeafPlace place) {
  uint32_t width = WidthInBits(type, place);
  uint8_t swapped[16];
  const uint8_t* p =
      LittleEndianBytes(type, base + place.bit_offset / 8, place, swapped);
  uint32_t shift = place.bit_offset % 8;
  uint32_t bytes = (shift + width + 7) / 8;
  Uint128 raw = 0;
  for (uint32_t i = 0; i < bytes && i < 16; ++i) {
    raw |= static_cast<Uint128>(p[i]) << (8 * i);
  }
  if (bytes > 16 && shift != 0) {  // a 128-bit field off a byte boundary
    raw = (raw >> shift) | (static_cast<Uint128>(p[16]) << (128 - shift));
  } else {
    raw >>= shift;
  }
  if (width < 128) raw &= (static_cast<Uint128>(1) << width) - 1;
  return raw;
}

Int128 ReadInteger(const TypeNode& type, const uint8_t* base,
                   LeafPlace place) {
  if (place.bit_size == 0 && place.bit_offset % 8 == 0) {
    // Whole bytes, the common case: no shifting and masking.
    uint8_t swapped[16];
    const uint8_t* p =
        LittleEndianBytes(type, base + place.bit_offset / 8, place, swapped);
    switch (type.size) {
      case 1: {
        uint8_t v = *p;
        return type.is_signed ? Int128{static_cast<int8_t>(v)} : Int128{v};
      }
      case 2: {
        uint16_t v;
        std::memcpy(&v, p, 2);
        return type.is_signed ? Int128{static_cast<int16_t>(v)} : Int128{v};
      }
      case 4: {
        uint32_t v;
        std::memcpy(&v, p, 4);
        return type.is_signed ? Int128{static_cast<int32_t>(v)} : Int128{v};
      }
      case 8: {
        uint64_t v;
        std::memcpy(&v, p, 8);
        return type.is_signed ? Int128{static_cast<int64_t>(v)} : Int128{v};
      }
      default:
        break;
    }
  }
  uint32_t width = WidthInBits(type, place);
  Uint128 raw = ReadBits(type, base, place);
  if (type.is_signed && width > 0 && width < 128 &&
      (raw >> (width - 1)) & 1) {
    return static_cast<Int128>(raw) - (static_cast<Int128>(1) << width);
  }
  return static_cast<Int128>(raw);
}

void WriteInteger(const TypeNode& type, uint8_t* base, LeafPlace place,
                  Int128 value) {
  if (place.bit_size == 0 && place.bit_offset % 8 == 0 && !type.big_endian) {
    // Whole bytes in host order, the common case.
    uint8_t* p = base + place.bit_offset / 8;
    switch (type.size) {
      case 1:
        *p = static_cast<uint8_t>(value);
        return;
      case 2: {
        uint16_t v = static_cast<uint16_t>(value);
        std::memcpy(p, &v, 2);
        return;
      }
      case 4: {
        uint32_t v = static_cast<uint32_t>(value);
        std::memcpy(p, &v, 4);
        return;
      }
      case 8: {
        uint64_t v = static_cast<uint64_t>(value);
        std::memcpy(p, &v, 8);
        return;
      }
      default:
        break;
    }
  }
  WriteBits(type, base, place, static_cast<Uint128>(value));
}

void WriteBits(const TypeNode& type, uint8_t* base, LeafPlace place,
               Uint128 value) {
  if (ReadsBigEndian(type, place)) {
    uint8_t* p = base + place.bit_offset / 8;
    for (uint32_t i = 0; i < type.size; ++i) {
      p[type.size - 1 - i] = static_cast<uint8_t>(value >> (8 * i));
    }
    return;
  }
  uint32_t width = WidthInBits(type, place);
  uint8_t* p = base + place.bit_offset / 8;
  uint32_t shift = place.bit_offset % 8;
  uint32_t bytes = (shift + width + 7) / 8;
  Uint128 mask = width < 128 ? (static_cast<Uint128>(1) << width) - 1
                             : ~static_cast<Uint128>(0);
  Uint128 bits = (value & mask) << shift;
  mask <<= shift;
  for (uint32_t i = 0; i < bytes && i < 16; ++i) {
    uint8_t byte_mask = static_cast<uint8_t>(mask >> (8 * i));
    p[i] = static_cast<uint8_t>((p[i] & ~byte_mask) |
                                (static_cast<uint8_t>(bits >> (8 * i)) &
                                 byte_mask));
  }
  if (bytes > 16) {
    // A 128-bit field off a byte boundary: its top bits in a 17th byte.
    uint8_t byte_mask = static_cast<uint8_t>((1u << shift) - 1);
    uint8_t top = static_cast<uint8_t>((value & (width < 128
                                                     ? (static_cast<Uint128>(1)
                                                        << width) -
                                                           1
                                                     : ~static_cast<Uint128>(
                                                           0))) >>
                                       (128 - shift));
    p[16] = static_cast<uint8_t>((p[16] & ~byte_mask) | (top & byte_mask));
  }
}

IntegerRange RangeOf(const TypeNode& type, LeafPlace place) {
  uint32_t width = WidthInBits(type, place);
  if (type.kind == TypeKind::kBool) return {0, 1};
  if (width == 0) return {0, 0};
  if (width >= 128) {  // unsigned 128-bit values above this: ReadBits()
    Int128 max = static_cast<Int128>(~static_cast<Uint128>(0) >> 1);
    return {type.is_signed ? -max - 1 : 0, max};
  }
  if (type.is_signed) {
    Int128 half = static_cast<Int128>(1) << (width - 1);
    return {-half, half - 1};
  }
  return {0, static_cast<Int128>((static_cast<Uint128>(1) << width) - 1)};
}

std::string LeafTypeName(const TypeNode& type, LeafPlace place) {
  if (place.bit_size != 0) {
    return fmt::format("{}-bit {} bitfield", place.bit_size,
                       type.is_signed ? "signed" : "unsigned");
  }
  switch (type.kind) {
    case TypeKind::kInt:
    case TypeKind::kChar:
      return fmt::format("{}{}", type.is_signed ? 's' : 'u', type.size * 8);
    case TypeKind::kBool:
      return "bool";
    case TypeKind::kEnum:
      return fmt::format("{} ({} bytes)", type.name, type.size);
    case TypeKind::kPointer:
      return "pointer";
    case TypeKind::kFloat:
      return type.size == 4 ? "float" : "double";
    default:
      return type.name;
  }
}

Int128 EnumeratorValue(const TypeNode& type, const Enumerator& enumerator) {
  if (type.is_signed) return enumerator.value;
  uint64_t bits = static_cast<uint64_t>(enumerator.value);
  if (type.size < 8) bits &= (uint64_t{1} << (type.size * 8)) - 1;
  return static_cast<Int128>(bits);
}

const Enumerator* FindEnumerator(const TypeNode& type, Int128 value) {
  for (const Enumerator& e : type.enumerators) {
    if (EnumeratorValue(type, e) == value) return &e;
  }
  return nullptr;
}

double ReadFloat(const TypeNode& type, const uint8_t* base, LeafPlace place) {
  const uint8_t* p = base + place.bit_offset / 8;
  if (type.size == 4) {
    float value;
    std::memcpy(&value, p, sizeof(value));
    return value;
  }
  double value = 0;
  if (type.size == 8) std::memcpy(&value, p, sizeof(value));
  return value;
}

void WriteFloat(const TypeNode& type, uint8_t* base, LeafPlace place,
                double value) {
  uint8_t* p = base + place.bit_offset / 8;
  if (type.size == 4) {
    float narrow = static_cast<float>(value);
    std::memcpy(p, &narrow, sizeof(narrow));
  } else if (type.size == 8) {
    std::memcpy(p, &value, sizeof(value));
  }
}

}  // namespace bpfmap
