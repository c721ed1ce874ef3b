#include "core/kernel/kernel_names.h"

#include <net/if.h>

#include "core/kernel/bpf_adapter.h"
#include "core/kernel/map_handle.h"
#include "core/kernel/owned_fd.h"
#include "core/model/map_types.h"

namespace bpfmap {
namespace {

std::string MapName(uint32_t id) {
  Result<MapHandle> map =
      MapHandle::Open(MapRef{MapRef::Kind::kId, "", id, ""},
                      OpenMode::kReadOnly);
  if (!map.ok()) return "";
  const MapInfo& info = map->info();
  return (info.name.empty() ? "-" : info.name) + " " + MapTypeName(info.type);
}

std::string ProgName(uint32_t id) {
  Result<int> fd = kernel::ProgFdById(id);
  if (!fd.ok()) return "";
  OwnedFd owned(*fd);
  Result<kernel::ProgInfo> info = kernel::ProgInfoByFd(owned.get());
  if (!info.ok()) return "";
  return (info->name.empty() ? "-" : info->name) + " " +
         kernel::ProgTypeName(info->type);
}

std::string DeviceName(uint32_t index) {
  char name[IF_NAMESIZE] = {};
  if (if_indextoname(index, name) == nullptr) return "";
  return name;
}

}  // namespace

std::string KernelNames::NameOf(std::string_view member, uint64_t id) const {
  if (id == 0 || id > UINT32_MAX || !IsNamedReference(member)) return "";
  auto key = std::make_pair(std::string(member), id);
  auto cached = cache_.find(key);
  if (cached != cache_.end()) return cached->second;
  uint32_t id32 = static_cast<uint32_t>(id);
  std::string name = member == "map_id"    ? MapName(id32)
                     : member == "prog_id" ? ProgName(id32)
                                           : DeviceName(id32);
  cache_.emplace(std::move(key), name);
  return name;
}

}  // namespace bpfmap
