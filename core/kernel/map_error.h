// The one mapper from a kernel error to what it means, for every map
// operation. Each hint a user needs (frozen, full, privileges, mmap) is
// written here once.
#ifndef BPFMAP_CORE_KERNEL_MAP_ERROR_H_
#define BPFMAP_CORE_KERNEL_MAP_ERROR_H_

#include <string_view>

#include "core/base/error.h"
#include "core/model/map_info.h"

namespace bpfmap {

// `error` (from the adapter) as a user is to read it: "`operation` in map
// 12 (flows)" in front; ENOTSUPP/EOPNOTSUPP become kUnsupported naming the
// map's type; EPERM on a frozen map says it is frozen; E2BIG from a write
// says the map is full; EBUSY from freeze names the mmap. Answers of "no"
// (ENOENT from a lookup) are the caller's to decide before this.
Error MapOpError(const Error& error, std::string_view operation,
                 const MapInfo& info);

// MapOpError() without the context, for callers that say where themselves
// (a bulk write names the entry and the count written before it).
Error ExplainMapError(const Error& error, std::string_view operation,
                      const MapInfo& info);

// What to do instead for maps of `type` whose entries cannot be listed or
// read (ring buffers, perf event arrays, storage maps): a hint naming the
// bpfmap command, or "" for other types.
std::string WhatInstead(uint32_t type);

// Whether `error` says the kernel has no such call for this map type (or at
// all): the errnos after which a batch call falls back to one key at a time.
bool LacksCall(const Error& error);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_MAP_ERROR_H_
