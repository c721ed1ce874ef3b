#include "core/map_entry.h"

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

}  // namespace bpfmap
