// MAP references on the command line: PATH | pinned PATH | id ID | name NAME.
#ifndef BPFMAP_CORE_MODEL_MAP_REF_H_
#define BPFMAP_CORE_MODEL_MAP_REF_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/error.h"

namespace bpfmap {

struct MapRef {
  enum class Kind { kPinned, kId, kName };
  Kind kind = Kind::kPinned;
  std::string path;  // kPinned
  uint32_t id = 0;   // kId
  std::string name;  // kName

  // How the reference reads back: "pinned /sys/fs/bpf/x", "id 7", "name x".
  std::string ToString() const;
};

// Reads one MAP reference from words[pos...] and advances pos past it.
// A bare word containing '/' is a pinned path. Returns kBadInput if the
// words do not form a reference.
Result<MapRef> ParseMapRef(const std::vector<std::string>& words, size_t& pos);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_MODEL_MAP_REF_H_
