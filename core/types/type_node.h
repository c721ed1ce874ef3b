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

// "mode, delta, tag": the names a struct or union answers to, with the
// members of anonymous members spliced in, for error messages.
std::string FieldNames(const TypeNode& type);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_TYPES_TYPE_NODE_H_
