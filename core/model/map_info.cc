#include "core/model/map_info.h"

#include <fmt/format.h>

namespace bpfmap {

std::string MapInfo::Label() const {
  if (name.empty()) return fmt::format("map {}", id);
  return fmt::format("map {} ({})", id, name);
}

}  // namespace bpfmap
