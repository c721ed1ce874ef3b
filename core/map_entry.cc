#include "core/map_entry.h"

#include <cstring>

#include "core/bpf_adapter.h"
#include "core/map_types.h"

namespace bpfmap {

Result<ValueLayout> LayoutFor(const MapInfo& info) {
  ValueLayout layout;
  layout.value_size = info.value_size;
  const MapTypeInfo* type = FindMapType(info.type);
  layout.per_cpu = type != nullptr && type->per_cpu;
  if (layout.per_cpu) {
    BPFMAP_ASSIGN_OR_RETURN(int cpus, kernel::PossibleCpus());
    layout.cpus = static_cast<uint32_t>(cpus);
    layout.stride = (info.value_size + 7) / 8 * 8;
  } else {
    layout.stride = info.value_size;
  }
  return layout;
}

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
