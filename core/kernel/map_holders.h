// Who holds a map: the processes with a descriptor of it (from /proc), the
// programs that use it (their map ids) and its pins on every bpffs.
#ifndef BPFMAP_CORE_KERNEL_MAP_HOLDERS_H_
#define BPFMAP_CORE_KERNEL_MAP_HOLDERS_H_

#include <vector>

#include "core/base/error.h"
#include "core/model/map_info.h"

namespace bpfmap {

// Fills `holders` of every map in `maps`, with one pass over /proc, the
// programs and the bpffs mounts for all of them. This process's own
// descriptors are not counted. A process whose descriptors cannot be read
// (another user's, without the privilege) is counted in `uninspected`.
Status FindHolders(const std::vector<MapInfo*>& maps);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_MAP_HOLDERS_H_
