// Names of the objects that reference values point to (an inner map, a
// program, a network device), for the formats a person reads: ids alone
// say little at a terminal.
#ifndef BPFMAP_CORE_MODEL_REFERENCE_NAMES_H_
#define BPFMAP_CORE_MODEL_REFERENCE_NAMES_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace bpfmap {

class ReferenceNames {
 public:
  virtual ~ReferenceNames() = default;
  // What the value of `member` (map_id, prog_id, ifindex) names: "backends
  // hash" for a map, "stage_pass xdp" for a program, "lo" for a device;
  // "" for another member, id 0, or an object that is gone.
  virtual std::string NameOf(std::string_view member, uint64_t id) const = 0;
};

// Whether `member` of a reference value is one ReferenceNames can name.
inline bool IsNamedReference(std::string_view member) {
  return member == "map_id" || member == "prog_id" || member == "ifindex";
}

}  // namespace bpfmap

#endif  // BPFMAP_CORE_MODEL_REFERENCE_NAMES_H_
