#include "core/model/map_entry.h"

#include <algorithm>
#include <cstring>

namespace bpfmap {

Bytes ReplicateValue(const Bytes& value, const ValueLayout& layout) {
  if (!layout.per_cpu) return value;
  Bytes buffer(layout.buffer_size(), 0);
  for (uint32_t cpu = 0; cpu < layout.cpus; ++cpu) {
    std::memcpy(buffer.data() + static_cast<size_t>(layout.stride) * cpu,
                value.data(), std::min<size_t>(value.size(), layout.value_size));
  }
  return buffer;
}

std::string PackedEntries::OriginOf(size_t index) const {
  if (index < lines.size()) {
    return source + ":" + std::to_string(lines[index]);
  }
  return source + ": entry " + std::to_string(first + index + 1);
}

void PackedEntries::StartNextRun() {
  first += count;
  count = 0;
  keys.clear();
  values.clear();
  lines.clear();
}

}  // namespace bpfmap
