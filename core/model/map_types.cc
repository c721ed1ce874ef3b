#include "core/model/map_types.h"

#include <fmt/format.h>
#include <linux/bpf.h>

#include "core/base/number.h"

namespace bpfmap {
namespace {

constexpr std::string_view kStructOps =
    "holds a kernel structure of programs (BTF from vmlinux), which only a "
    "loader registering struct_ops programs can create";

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

const std::vector<MapTypeInfo>& AllMapTypes() {
  // Values are those of the kernel's enum bpf_map_type, written out so that
  // maps of types newer than the build machine's headers still print.
  static const std::vector<MapTypeInfo> kTypes = {
      {1, "hash", MapAccess::kKeyed, false, "", "3.19"},
      {2, "array", MapAccess::kKeyed, false, "", "3.19"},
      {3, "prog_array", MapAccess::kKeyed, false, "", "4.2"},
      {4, "perf_event_array", MapAccess::kKeyed, false, "", "4.3"},
      {5, "percpu_hash", MapAccess::kKeyed, true, "", "4.6"},
      {6, "percpu_array", MapAccess::kKeyed, true, "", "4.6"},
      {7, "stack_trace", MapAccess::kKeyed, false, "", "4.6"},
      {8, "cgroup_array", MapAccess::kKeyed, false, "", "4.8"},
      {9, "lru_hash", MapAccess::kKeyed, false, "", "4.10"},
      {10, "lru_percpu_hash", MapAccess::kKeyed, true, "", "4.10"},
      {11, "lpm_trie", MapAccess::kKeyed, false, "", "4.11"},
      {12, "array_of_maps", MapAccess::kKeyed, false, "", "4.12"},
      {13, "hash_of_maps", MapAccess::kKeyed, false, "", "4.12"},
      {14, "devmap", MapAccess::kKeyed, false, "", "4.14"},
      {15, "sockmap", MapAccess::kKeyed, false, "", "4.14"},
      {16, "cpumap", MapAccess::kKeyed, false, "", "4.15"},
      {17, "xskmap", MapAccess::kKeyed, false, "", "4.18"},
      {18, "sockhash", MapAccess::kKeyed, false, "", "4.18"},
      {19, "cgroup_storage", MapAccess::kKeyed, false, "", "4.19"},
      {20, "reuseport_sockarray", MapAccess::kKeyed, false, "", "4.19"},
      {21, "percpu_cgroup_storage", MapAccess::kKeyed, true, "", "4.20"},
      {22, "queue", MapAccess::kQueue, false, "", "4.20"},
      {23, "stack", MapAccess::kQueue, false, "", "4.20"},
      {24, "sk_storage", MapAccess::kKeyed, false, "", "5.2"},
      {25, "devmap_hash", MapAccess::kKeyed, false, "", "5.4"},
      {26, "struct_ops", MapAccess::kKeyed, false, kStructOps, "5.6"},
      {27, "ringbuf", MapAccess::kNone, false, "", "5.8"},
      {28, "inode_storage", MapAccess::kKeyed, false, "", "5.10"},
      {29, "task_storage", MapAccess::kKeyed, false, "", "5.11"},
      {30, "bloom_filter", MapAccess::kBloomFilter, false, "", "5.16"},
      {31, "user_ringbuf", MapAccess::kNone, false, "", "6.1"},
      {32, "cgrp_storage", MapAccess::kKeyed, false, "", "6.2"},
      {33, "arena", MapAccess::kNone, false, "", "6.9"},
  };
  return kTypes;
}

const MapTypeInfo* FindMapType(uint32_t type) {
  for (const MapTypeInfo& info : AllMapTypes()) {
    if (info.type == type) return &info;
  }
  return nullptr;
}

MapAccess AccessOf(uint32_t type) {
  const MapTypeInfo* info = FindMapType(type);
  return info != nullptr ? info->access : MapAccess::kKeyed;
}

bool TakesKeyValueBtf(uint32_t type) {
  switch (type) {
    case BPF_MAP_TYPE_PROG_ARRAY:
    case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
    case BPF_MAP_TYPE_STACK_TRACE:
    case BPF_MAP_TYPE_CGROUP_ARRAY:
    case BPF_MAP_TYPE_ARRAY_OF_MAPS:
    case BPF_MAP_TYPE_HASH_OF_MAPS:
    case BPF_MAP_TYPE_DEVMAP:
    case BPF_MAP_TYPE_SOCKMAP:
    case BPF_MAP_TYPE_CPUMAP:
    case BPF_MAP_TYPE_XSKMAP:
    case BPF_MAP_TYPE_SOCKHASH:
    case BPF_MAP_TYPE_REUSEPORT_SOCKARRAY:
    case BPF_MAP_TYPE_DEVMAP_HASH:
    case BPF_MAP_TYPE_RINGBUF:
    case BPF_MAP_TYPE_USER_RINGBUF:
      return false;
    default:
      return true;
  }
}

bool IsIndexed(uint32_t type) {
  switch (type) {
    case BPF_MAP_TYPE_ARRAY:
    case BPF_MAP_TYPE_PERCPU_ARRAY:
    case BPF_MAP_TYPE_PROG_ARRAY:
    case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
    case BPF_MAP_TYPE_CGROUP_ARRAY:
    case BPF_MAP_TYPE_ARRAY_OF_MAPS:
    case BPF_MAP_TYPE_DEVMAP:
    case BPF_MAP_TYPE_CPUMAP:
    case BPF_MAP_TYPE_XSKMAP:
    case BPF_MAP_TYPE_SOCKMAP:
    case BPF_MAP_TYPE_REUSEPORT_SOCKARRAY:
      return true;
    default:
      return false;
  }
}

bool IsLocalStorage(uint32_t type) {
  switch (type) {
    case BPF_MAP_TYPE_SK_STORAGE:
    case BPF_MAP_TYPE_INODE_STORAGE:
    case BPF_MAP_TYPE_TASK_STORAGE:
    case kMapTypeCgrpStorage:
      return true;
    default:
      return false;
  }
}

bool IsMapOfMaps(uint32_t type) {
  return type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
         type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

std::string MapTypeName(uint32_t type) {
  const MapTypeInfo* info = FindMapType(type);
  return info != nullptr ? std::string(info->name) : std::to_string(type);
}

Result<const MapTypeInfo*> ParseMapType(std::string_view name) {
  std::vector<std::string_view> names;
  for (const MapTypeInfo& info : AllMapTypes()) {
    if (info.name == name) return &info;
    names.push_back(info.name);
  }
  return Error::BadInput(
      fmt::format("unknown map type '{}' (types: {})", name, JoinNames(names)));
}

const std::vector<MapFlagInfo>& AllMapFlags() {
  static const std::vector<MapFlagInfo> kFlags = {
      {1u << 0, "no_prealloc"},  {1u << 1, "no_common_lru"},
      {1u << 2, "numa_node"},    {1u << 3, "rdonly"},
      {1u << 4, "wronly"},       {1u << 5, "stack_build_id"},
      {1u << 6, "zero_seed"},    {1u << 7, "rdonly_prog"},
      {1u << 8, "wronly_prog"},  {1u << 9, "clone"},
      {1u << 10, "mmapable"},    {1u << 11, "preserve_elems"},
      {1u << 12, "inner_map"},   {1u << 13, "link"},
  };
  return kFlags;
}

Result<uint32_t> ParseMapFlags(std::string_view text) {
  if (text.empty()) return Error::BadInput("flags: empty");
  if (text[0] >= '0' && text[0] <= '9') {
    std::optional<uint32_t> value = ParseUint32(text);
    if (!value) {
      return Error::BadInput(
          fmt::format("flags: '{}' is not a 32-bit number", text));
    }
    return *value;
  }
  uint32_t bits = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view name = text.substr(start, comma - start);
    const MapFlagInfo* found = nullptr;
    std::vector<std::string_view> names;
    for (const MapFlagInfo& flag : AllMapFlags()) {
      if (flag.name == name) found = &flag;
      names.push_back(flag.name);
    }
    if (found == nullptr) {
      return Error::BadInput(fmt::format(
          "flags: unknown flag '{}' (flags: {}, or a number)", name,
          JoinNames(names)));
    }
    bits |= found->bit;
    start = comma + 1;
  }
  return bits;
}

}  // namespace bpfmap
