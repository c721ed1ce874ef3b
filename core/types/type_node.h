// The types of a map's keys and values as a plain tree that codecs and
// formatters walk without libbpf. Typedefs and modifiers (const, volatile,
// restrict, type tags) are resolved away; padding is not represented.
#ifndef BPFMAP_CORE_TYPES_TYPE_NODE_H_
#define BPFMAP_CORE_TYPES_TYPE_NODE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bpfmap {

enum class TypeKind {
  kInt,      // any size, signed or not
  kBool,     // a one-byte int with BTF's bool encoding
  kChar,     // a one-byte int with BTF's char encoding (char[] is a string)
  kFloat,
  kEnum,     // 1 to 8 bytes, with named values
  kPointer,  // shown as a number
  kArray,
  kStruct,
  kUnion,
};

// How a leaf is read and shown beyond what its C type says (--fmt, and the
// defaults of core/types/leaf_formats.h). Set on a scalar, or on a whole
// array or record (an address in u8[4] or struct in6_addr, a MAC in u8[6],
// text in u8[16]), which is then one leaf to every walk.
enum class LeafFormat : uint8_t {
  kNone,    // as the type says
  kIpv4,    // 4 bytes, in memory order: 10.0.0.1
  kIpv6,    // 16 bytes, in memory order: fe80::1
  kMac,     // 6 bytes: aa:bb:cc:dd:ee:ff
  kPort,    // 2 bytes in network byte order: 443
  kHex,     // an integer as 0x1bb
  kDec,     // an integer as decimal (what an address or a name hid)
  kStr,     // bytes (or one byte) as text
  kBool,    // an integer as true or false
  kNs,      // nanoseconds as a duration: 1.5ms
  kUs,      // microseconds as a duration
  kMs,      // milliseconds as a duration
  kKtime,   // CLOCK_MONOTONIC ns as an age: 3.2s ago
  kKtimeBoot,  // CLOCK_BOOTTIME ns as an age
  kKsym,    // a kernel address as symbol+offset
  kErrno,   // an errno number as its name: -ENOENT
  kRaw,     // the integer as the bytes hold it, in host byte order
};

struct TypeNode;
using TypeRef = std::shared_ptr<const TypeNode>;

struct Field {
  std::string name;         // empty for anonymous struct/union members
  uint32_t bit_offset = 0;  // from the start of the enclosing type
  uint32_t bit_size = 0;    // bitfield width; 0 if not a bitfield
  TypeRef type;
};

struct Enumerator {
  std::string name;
  int64_t value = 0;  // an unsigned 64-bit enum value is stored bit-for-bit
};

struct TypeNode {
  TypeKind kind = TypeKind::kInt;
  std::string name;       // as C spells it: "__u32", "struct flow_key"
  uint32_t size = 0;      // bytes
  bool is_signed = false; // kInt, kEnum
  TypeRef element;        // kArray
  uint32_t count = 0;     // kArray
  std::vector<Field> fields;            // kStruct, kUnion
  // kStruct: a section of global variables (BTF DATASEC: .bss, .data,
  // .rodata, .data.NAME); `fields` are its variables, `name` the section.
  bool is_section = false;
  std::vector<Enumerator> enumerators;  // kEnum
  // kInt of 2, 4, 8 or 16 bytes declared through __be16, __be32, __be64
  // (network byte order): read and written as the number it means.
  bool big_endian = false;
  LeafFormat format = LeafFormat::kNone;
};

// A map's key and value types; either may be null (a keyless map, or BTF
// that names only one).
struct MapTypes {
  TypeRef key;
  TypeRef value;
};

// True for char[N]: read and written as a string.
bool IsCharArray(const TypeNode& type);

// True for kinds with no members or elements (ints, enums, floats, ...).
bool IsScalar(const TypeNode& type);

// True for what every walk treats as one leaf: a scalar, or an array or
// record with a LeafFormat (an address, a MAC, text).
inline bool IsLeaf(const TypeNode& type) {
  return IsScalar(type) || type.format != LeafFormat::kNone;
}

// True for a typedef name that declares network byte order (__be16, ...).
bool IsBigEndianName(std::string_view name);

// "mode, delta, tag": the names a struct or union answers to, with the
// members of anonymous members spliced in, for error messages.
std::string FieldNames(const TypeNode& type);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_TYPES_TYPE_NODE_H_
