// Maps whose values refer to other kernel objects: maps of maps, program
// arrays, device and CPU maps, socket maps. The kernel gives ids (and
// cookies) on lookup but takes file descriptors on update; bpfmap shows and
// takes ids both ways, so what dump prints, put takes back.
#ifndef BPFMAP_CORE_MODEL_REFERENCE_VALUES_H_
#define BPFMAP_CORE_MODEL_REFERENCE_VALUES_H_

#include <cstdint>
#include <string_view>

namespace bpfmap {

// What the id in such a value names.
enum class ReferenceKind {
  kNone,     // no reference (a devmap value of just an ifindex)
  kMap,      // a map id; written as a map fd
  kProgram,  // a program id (0: none); written as a program fd
  kSocket,   // a socket cookie: shown, but no socket can be opened from it
};

struct ReferenceValue {
  // bpfmap's view of the value, as a C type with named members.
  std::string_view c_type;
  ReferenceKind kind;
  uint32_t id_offset;  // where the id, cookie or fd sits (bytes)
};

// The view of `map_type`'s values of `value_size` bytes, or nullptr if they
// are plain data.
const ReferenceValue* ReferenceValueOf(uint32_t map_type,
                                       uint32_t value_size);

// "map", "program", "socket".
std::string_view ReferenceKindName(ReferenceKind kind);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_MODEL_REFERENCE_VALUES_H_
