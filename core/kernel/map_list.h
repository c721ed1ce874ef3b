// Finding maps: those pinned on bpffs mounts, and every map the kernel holds.
#ifndef BPFMAP_CORE_KERNEL_MAP_LIST_H_
#define BPFMAP_CORE_KERNEL_MAP_LIST_H_

#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/model/map_info.h"

namespace bpfmap {

// Mount points of every mounted bpffs, from /proc/self/mounts.
Result<std::vector<std::string>> BpffsMounts();

// Every map pinned under `dirs` (every bpffs mount if empty), recursively,
// sorted by path. Pinned programs, links and other objects are skipped; a
// pin that cannot be opened or read is listed with its error; a directory
// that cannot be read is an error naming it.
Result<std::vector<PinnedMap>> ListPinnedMaps(
    const std::vector<std::string>& dirs);

// Every map the kernel holds, by id, pinned or not. Maps that go away while
// the list is made are left out.
Result<std::vector<MapInfo>> ListLiveMaps();

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_MAP_LIST_H_
