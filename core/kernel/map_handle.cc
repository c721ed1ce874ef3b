#include "core/kernel/map_handle.h"

#include <fmt/format.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/magic.h>

#include <cerrno>
#include <fstream>
#include <vector>

#include "core/base/debug_log.h"
#include "core/kernel/bpf_adapter.h"

namespace bpfmap {
namespace {

// frozen and memlock are only in /proc/self/fdinfo, as bpftool reads them.
// A kernel without a field (frozen came in Linux 5.2) leaves it at its
// default; a file that cannot be read is an error, never "not frozen".
Status ReadFdInfo(int fd, MapInfo& info) {
  std::string path = fmt::format("/proc/self/fdinfo/{}", fd);
  std::ifstream in(path);
  if (!in) {
    return Error::System(errno, fmt::format("read {} (is /proc mounted?)",
                                            path));
  }
  std::string line;
  while (std::getline(in, line)) {
    auto value_of = [&](std::string_view key) -> const char* {
      if (line.compare(0, key.size(), key) != 0) return nullptr;
      return line.c_str() + key.size();
    };
    if (const char* v = value_of("frozen:")) {
      info.frozen = std::strtoul(v, nullptr, 10) != 0;
    } else if (const char* v = value_of("memlock:")) {
      info.memlock = std::strtoull(v, nullptr, 10);
    } else if (const char* v = value_of("owner_prog_type:")) {
      info.owner_prog_type =
          kernel::ProgTypeName(static_cast<uint32_t>(std::strtoul(v, nullptr, 10)));
    } else if (const char* v = value_of("owner_jited:")) {
      info.owner_jited = std::strtoul(v, nullptr, 10) != 0;
    }
  }
  if (in.bad()) return Error::System(EIO, fmt::format("read {}", path));
  return OkStatus();
}

// The ids of maps named `name` (the kernel's copy, at most 15 characters).
Result<std::vector<uint32_t>> MapsNamed(std::string_view name) {
  std::vector<uint32_t> matches;
  Status listed = kernel::ForEachMap([&](uint32_t id, int fd) -> Status {
    Result<kernel::MapInfoV618> info = kernel::MapInfoByFd(fd);
    if (info.ok() && name == info->name) matches.push_back(id);
    return OkStatus();
  });
  if (!listed.ok()) {
    return listed.error().WithContext(fmt::format("name {}", name));
  }
  return matches;
}

Result<MapHandle> OpenByName(const std::string& name, OpenMode mode) {
  BPFMAP_ASSIGN_OR_RETURN(std::vector<uint32_t> matches, MapsNamed(name));
  constexpr size_t kKept = BPF_OBJ_NAME_LEN - 1;
  if (matches.empty() && name.size() > kKept) {
    // The kernel cut the name when the map was made: say so rather than
    // "no such map", and name what it kept.
    std::string_view kept = std::string_view(name).substr(0, kKept);
    BPFMAP_ASSIGN_OR_RETURN(std::vector<uint32_t> cut, MapsNamed(kept));
    if (!cut.empty()) {
      return Error::BadInput(fmt::format(
          "name {}: the kernel keeps the first {} characters of a map's "
          "name; use name {} (map{} {})",
          name, kKept, kept, cut.size() == 1 ? "" : "s",
          fmt::join(cut, ", ")));
    }
  }
  if (matches.empty()) {
    return Error::System(0, fmt::format("name {}: no map has this name",
                                             name));
  }
  if (matches.size() > 1) {
    return Error::BadInput(fmt::format(
        "name {}: {} maps have this name (ids {}); use id ID", name,
        matches.size(), fmt::join(matches, ", ")));
  }
  BPFMAP_ASSIGN_OR_RETURN(
      int fd, kernel::MapFdById(matches[0], mode == OpenMode::kReadOnly));
  return MapHandle::FromFd(fd);
}

}  // namespace

Result<bool> IsMapFd(int fd) {
  BPFMAP_ASSIGN_OR_RETURN(std::string target, kernel::FdTarget(fd));
  return target == "anon_inode:bpf-map";
}

Result<MapHandle> MapHandle::FromFd(int raw_fd) {
  OwnedFd fd(raw_fd);
  BPFMAP_ASSIGN_OR_RETURN(bool is_map, IsMapFd(fd.get()));
  if (!is_map) return Error::BadInput("not a BPF map");
  BPFMAP_ASSIGN_OR_RETURN(kernel::MapInfoV618 raw,
                          kernel::MapInfoByFd(fd.get()));
  MapInfo info;
  info.id = raw.id;
  info.type = raw.type;
  info.name = raw.name;
  info.flags = raw.map_flags;
  info.key_size = raw.key_size;
  info.value_size = raw.value_size;
  info.max_entries = raw.max_entries;
  info.btf_id = raw.btf_id;
  info.btf_key_type_id = raw.btf_key_type_id;
  info.btf_value_type_id = raw.btf_value_type_id;
  if (raw.type == BPF_MAP_TYPE_BLOOM_FILTER &&
      raw.filled >= offsetof(kernel::MapInfoV618, map_extra) + 8) {
    uint32_t hashes = static_cast<uint32_t>(raw.map_extra & 0xf);
    info.hash_funcs = hashes != 0 ? hashes : 5;
  }
  BPFMAP_RETURN_IF_ERROR(ReadFdInfo(fd.get(), info));
  return MapHandle(std::move(fd), std::move(info));
}

Result<MapHandle> MapHandle::Open(const MapRef& ref, OpenMode mode) {
  if (ref.kind == MapRef::Kind::kName) {
    Result<MapHandle> named = OpenByName(ref.name, mode);
    // Opened again by its id: a name may come to mean another map.
    if (named.ok()) {
      named->ref_ = MapRef{MapRef::Kind::kId, "", named->info().id, ""};
    }
    return named;
  }
  bool read_only = mode == OpenMode::kReadOnly;
  Result<int> fd = ref.kind == MapRef::Kind::kPinned
                       ? kernel::ObjGet(ref.path, read_only)
                       : kernel::MapFdById(ref.id, read_only);
  if (!fd.ok()) {
    Error error = fd.error().WithContext(ref.ToString());
    if (error.errno_value() == EACCES && ref.kind == MapRef::Kind::kPinned) {
      // The pin's file permissions, checked before bpf() privileges.
      error = error.WithHint(fmt::format(
          "needs {} permission on the pin, and root or CAP_BPF",
          read_only ? "read" : "read and write"));
    }
    return error;
  }
  Result<MapHandle> handle = FromFd(*fd);
  if (!handle.ok()) return handle.error().WithContext(ref.ToString());
  if (DebugLogEnabled()) {
    LogDebug(fmt::format("opened {} {} as {}", ref.ToString(),
                         read_only ? "read-only" : "read-write",
                         handle->info().Label()));
  }
  handle->ref_ = ref;
  return handle;
}

Result<MapHandle> MapHandle::Reopen(OpenMode mode) const {
  if (!ref_) {
    return Error::Unsupported(
        fmt::format("{} was not opened by a reference", info_.Label()));
  }
  BPFMAP_ASSIGN_OR_RETURN(MapHandle again, Open(*ref_, mode));
  if (again.info().id != info_.id) {
    return Error::System(ENOENT, fmt::format("{} now names map {}, not {}",
                                             ref_->ToString(),
                                             again.info().id, info_.Label()));
  }
  return again;
}

bool IsOnBpffs(const std::string& path) {
  struct statfs fs;
  return statfs(path.c_str(), &fs) == 0 &&
         static_cast<unsigned long>(fs.f_type) == BPF_FS_MAGIC;
}

}  // namespace bpfmap
