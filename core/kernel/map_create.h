// Creating a map and pinning it on a bpffs.
#ifndef BPFMAP_CORE_KERNEL_MAP_CREATE_H_
#define BPFMAP_CORE_KERNEL_MAP_CREATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/kernel/map_handle.h"
#include "core/model/map_ref.h"
#include "core/types/type_node.h"

namespace bpfmap {

struct CreateRequest {
  std::string path;  // where to pin the new map
  uint32_t type = 0;  // enum bpf_map_type
  std::string name;  // optional
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  uint32_t max_entries = 0;
  uint32_t flags = 0;
  // Key and value types, either may be null: when any is given, the map is
  // created with BTF describing them (sizes must match key_size and
  // value_size).
  MapTypes types;
  // For a map of maps (and only for one): a map like those it will hold,
  // whose type, sizes and flags the kernel takes as the template.
  std::optional<MapRef> inner_map;
};

// OK if `name` is a name the kernel accepts: at most 15 characters of
// A-Z a-z 0-9 _ . ; kBadInput saying why not otherwise.
Status ValidateMapName(std::string_view name);

// OK unless `flags` asks for what a pinned map cannot keep: wronly, which
// the kernel keeps on the creating file descriptor only (kBadInput).
// rdonly is kept by freezing the map (see CreatePinnedMap).
Status ValidateCreateFlags(uint32_t flags);

// Checks that `path` can take a new pin: its parent exists and is on a
// bpffs, and nothing is at `path` yet. kSystem errors say which failed.
Status CheckPinPath(const std::string& path);

// Pins `map` at `path` (on a bpffs; nothing there yet, as CheckPinPath):
// one more name that keeps it alive.
Status PinMap(const MapHandle& map, const std::string& path);

// Creates the map and pins it at request.path, checking the name, the flags
// and the path before anything is created. Returns the new map's info.
// The kernel keeps rdonly on the creating file descriptor only, which is
// closed on return; so that the pinned map stays read-only for user space,
// a map asked for rdonly is created without it and frozen before it is
// pinned (BPF programs can still write to it).
Result<MapInfo> CreatePinnedMap(const CreateRequest& request);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_MAP_CREATE_H_
