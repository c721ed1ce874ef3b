// Values that refer to maps and programs, on their way into the kernel: it
// reports ids on lookup but takes file descriptors on update
// (core/model/reference_values.h). bpfmap shows ids and takes ids back,
// opening each object by its id for the write.
#ifndef BPFMAP_CORE_KERNEL_MAP_REFS_H_
#define BPFMAP_CORE_KERNEL_MAP_REFS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/error.h"
#include "core/kernel/owned_fd.h"
#include "core/model/map_info.h"
#include "core/model/map_ref.h"
#include "core/model/reference_values.h"

namespace bpfmap {

// Whether `info`'s values hold an id that must become an fd to be written.
bool WritesReferences(const MapInfo& info);

// Turns the id in `value` (as bpfmap shows it) into the fd the kernel takes,
// in place; the fd opened stays in `held` until the write is done. A value
// of a map with plain data is left alone. Errors: no object with that id
// (kSystem, ENOENT), a socket (kUnsupported: no socket opens from its
// cookie).
Status IdsToFds(const MapInfo& info, uint8_t* value, std::vector<OwnedFd>& held);

// The id of the map or program `ref` names (id N, pinned PATH, name NAME).
// kBadInput if `ref` names another kind of object.
Result<uint32_t> ReferenceId(ReferenceKind kind, const MapRef& ref);

// The value, as bpfmap shows it, of an entry of `info` (a map of maps or
// a program array) that holds the map or program `ref` names.
Result<Bytes> ValueNaming(const MapInfo& info, const MapRef& ref);

// The value of a devmap entry: the network interface `ifname` (kBadInput
// if there is none) and, in 8-byte values, the program `prog` names
// (kBadInput if given for 4-byte values).
Result<Bytes> DeviceValue(const MapInfo& info, const std::string& ifname,
                          const std::optional<MapRef>& prog);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_MAP_REFS_H_
