// A map's key and value types, from the BTF the kernel holds for it.
#ifndef BPFMAP_CORE_KERNEL_MAP_BTF_H_
#define BPFMAP_CORE_KERNEL_MAP_BTF_H_

#include "core/base/error.h"
#include "core/btf/btf_type.h"
#include "core/model/map_info.h"

namespace bpfmap {

// The types of `info`'s key and value; both null if the map has no BTF.
// Errors name the map and the BTF id.
Result<MapTypes> LoadMapTypes(const MapInfo& info);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_MAP_BTF_H_
