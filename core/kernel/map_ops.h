// Element operations on an open map. Every error names the map; an answer of
// "no" (absent key, empty queue, key already there) is ErrorKind::kNo.
#ifndef BPFMAP_CORE_KERNEL_MAP_OPS_H_
#define BPFMAP_CORE_KERNEL_MAP_OPS_H_

#include <string_view>

#include "core/base/bytes.h"
#include "core/base/error.h"
#include "core/kernel/map_handle.h"
#include "core/model/map_entry.h"
#include "core/model/map_types.h"

namespace bpfmap {

// The layout of `info`'s values on this machine (per-CPU maps need the
// number of possible CPUs).
Result<ValueLayout> LayoutFor(const MapInfo& info);

enum class UpdateMode { kAny, kNoExist, kExist };

// The BPF_ANY / BPF_NOEXIST / BPF_EXIST flag for `mode`.
uint64_t UpdateFlags(UpdateMode mode);

// kUnsupported naming `operation` and the map's type unless the map's type
// is reached through `access`.
Status RequireAccess(const MapInfo& info, MapAccess access,
                     std::string_view operation);

// kUnsupported for arrays, whose entries cannot be deleted (every index
// always exists), naming `operation` and the map.
Status RequireDeletable(const MapInfo& info, std::string_view operation);

// Makes the map read-only for user space for good; BPF programs can still
// write to it. OK if it is frozen already. `map` must be open read-write.
Status FreezeMap(const MapHandle& map);

// Keyed maps. `value` buffers are laid out as LayoutFor(map.info()) says.
// With `lock` (BPF_F_LOCK) the value's bpf_spin_lock is held while it is
// copied; kBadInput if the map has no BTF for values (none can hold a lock).
Result<Bytes> LookupValue(const MapHandle& map, const Bytes& key,
                          bool lock = false);
Status UpdateValue(const MapHandle& map, const Bytes& key, const Bytes& value,
                   UpdateMode mode, bool lock = false);
Status DeleteKey(const MapHandle& map, const Bytes& key);

// kBadInput if `mode` is exist or noexist for a map type whose writes take
// neither (the arrays of programs, maps, perf events and cgroups).
Status CheckUpdateMode(const MapInfo& info, UpdateMode mode);

// The key after `key` in the kernel's order, or the first key if `key` is
// null (BPF_MAP_GET_NEXT_KEY); kNo after the last key or in an empty map.
// A `key` that is not in the map gives the first key, as the kernel does
// (for arrays, an index past the last gives index 0).
Result<Bytes> NextKey(const MapHandle& map, const Bytes* key);

// Queue and stack maps.
Status PushValue(const MapHandle& map, const Bytes& value, UpdateMode mode);
Result<Bytes> PeekValue(const MapHandle& map);  // kNo if empty
Result<Bytes> PopValue(const MapHandle& map);   // kNo if empty

// Bloom filter maps.
Status AddToBloomFilter(const MapHandle& map, const Bytes& value);
// OK if `value` may be in the set, kNo if it is certainly not.
Status TestBloomFilter(const MapHandle& map, const Bytes& value);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_MAP_OPS_H_
