// The types of a map's keys and values, read from BTF into a plain tree
// that codecs and formatters walk without libbpf. Typedefs and modifiers
// (const, volatile, restrict, type tags) are resolved away; padding is not
// represented.
#ifndef BPFMAP_CORE_BTF_TYPE_H_
#define BPFMAP_CORE_BTF_TYPE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

struct btf;

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
  std::vector<Enumerator> enumerators;  // kEnum
};

// Builds the tree for `type_id` in `btf`. kBadInput if the type cannot hold
// map data (void, a forward declaration, a function) or nests too deeply.
Result<TypeRef> TypeFromBtf(const struct btf* btf, uint32_t type_id);

// A map's key and value types; either may be null (a keyless map, or BTF
// that names only one).
struct MapTypes {
  TypeRef key;
  TypeRef value;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_BTF_TYPE_H_
