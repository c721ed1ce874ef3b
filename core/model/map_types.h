// Map types and map flags by bpftool's names, and what each type supports.
#ifndef BPFMAP_CORE_MODEL_MAP_TYPES_H_
#define BPFMAP_CORE_MODEL_MAP_TYPES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"

namespace bpfmap {

// BPF_MAP_TYPE_CGRP_STORAGE (Linux 6.2), newer than the build machine's
// headers.
constexpr uint32_t kMapTypeCgrpStorage = 32;

// How a type's elements are reached from user space.
enum class MapAccess {
  kKeyed,        // key -> value: hash, array, lpm_trie, ...
  kQueue,        // keyless FIFO/LIFO: queue, stack (push, peek, pop)
  kBloomFilter,  // keyless set: add and membership test
  kNone,         // no element access from user space (ringbuf, arena, ...)
};

struct MapTypeInfo {
  uint32_t type;          // enum bpf_map_type
  std::string_view name;  // bpftool's name
  MapAccess access;
  bool per_cpu;
  // Empty if `create` can make the type from its attributes alone; otherwise
  // why it cannot (it needs an inner map, BTF, ...).
  std::string_view create_blocker;
  // The first Linux release whose kernel has the type ("5.16"), for
  // messages and for tests that must not skip on a kernel that new.
  std::string_view since;
};

// Every map type this build knows, in enum order.
const std::vector<MapTypeInfo>& AllMapTypes();

// The entry for `type`, or nullptr for a type newer than this build.
const MapTypeInfo* FindMapType(uint32_t type);

// How entries of `type` are reached; kKeyed for a type newer than this
// build (the kernel says if that was wrong).
MapAccess AccessOf(uint32_t type);

// False for types whose maps the kernel creates only without BTF for keys
// and values (it answers ENOTSUPP): maps of maps, program, device, CPU,
// socket and perf event arrays, stack traces, ring buffers.
bool TakesKeyValueBtf(uint32_t type);

// Types whose keys are u32 indexes below max_entries (the array kinds).
bool IsIndexed(uint32_t type);

// Storage attached to kernel objects (sockets, inodes, tasks, cgroups):
// keyed by a file descriptor of the object, created with BTF for the
// value, no_prealloc and 0 entries.
bool IsLocalStorage(uint32_t type);

// array_of_maps and hash_of_maps.
bool IsMapOfMaps(uint32_t type);

// bpftool's name of `type`, or the number as text for an unknown type.
std::string MapTypeName(uint32_t type);

// Looks up a type by name; kBadInput listing the known names if none.
Result<const MapTypeInfo*> ParseMapType(std::string_view name);

struct MapFlagInfo {
  uint32_t bit;
  std::string_view name;
};

// The BPF_F_* map flags, by lowercase name without the prefix.
const std::vector<MapFlagInfo>& AllMapFlags();

// Parses FLAG[,FLAG...] or a number (decimal or 0x hex) into flag bits.
Result<uint32_t> ParseMapFlags(std::string_view text);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_MODEL_MAP_TYPES_H_
