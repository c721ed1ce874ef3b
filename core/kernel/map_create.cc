#include "core/kernel/map_create.h"

#include <fmt/format.h>
#include <linux/bpf.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>

#include "core/base/debug_log.h"
#include "core/btf/btf_build.h"
#include "core/kernel/bpf_adapter.h"
#include "core/kernel/features.h"
#include "core/kernel/map_error.h"
#include "core/kernel/map_ops.h"
#include "core/model/map_types.h"

namespace bpfmap {
namespace {

std::string ParentOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

Status ValidateMapName(std::string_view name) {
  if (name.size() > 15) {
    return Error::BadInput(fmt::format(
        "name '{}' is {} characters long; the kernel takes at most 15", name,
        name.size()));
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok) {
      return Error::BadInput(fmt::format(
          "name '{}': character '{}' is not allowed (only A-Z a-z 0-9 _ .)",
          name, c));
    }
  }
  return OkStatus();
}

Status ValidateCreateFlags(uint32_t flags) {
  if (flags & BPF_F_WRONLY) {
    return Error::BadInput(
        "flags: wronly lasts only as long as the creating file descriptor, "
        "so a pinned map cannot be write-only for user space");
  }
  return OkStatus();
}

Status CheckPinPath(const std::string& path) {
  if (path.empty() || path.back() == '/') {
    return Error::BadInput(fmt::format("'{}' is not a file path to pin at", path));
  }
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    return Error::System(0, fmt::format("{}: refusing to replace what is "
                                        "already there",
                                        path));
  }
  std::string parent = ParentOf(path);
  struct statfs fs;
  if (statfs(parent.c_str(), &fs) != 0) {
    return Error::System(errno, fmt::format("{}: parent directory {}", path,
                                            parent));
  }
  if (static_cast<unsigned long>(fs.f_type) != BPF_FS_MAGIC) {
    return Error::System(
        0, fmt::format("{}: {} is not on a bpffs (mount one with 'mount -t "
                       "bpf bpf DIR')",
                       path, parent));
  }
  return OkStatus();
}

Status PinMap(const MapHandle& map, const std::string& path) {
  BPFMAP_RETURN_IF_ERROR(CheckPinPath(path));
  Status pinned = kernel::ObjPin(map.fd(), path);
  if (!pinned.ok()) {
    return pinned.error().WithContext(
        fmt::format("pin {} at {}", map.info().Label(), path));
  }
  return OkStatus();
}

Result<MapInfo> CreatePinnedMap(const CreateRequest& request) {
  BPFMAP_RETURN_IF_ERROR(ValidateMapName(request.name));
  BPFMAP_RETURN_IF_ERROR(ValidateCreateFlags(request.flags));
  const MapTypeInfo* type = FindMapType(request.type);
  if (type != nullptr && !type->create_blocker.empty()) {
    // Not the user's mistake: a kind bpfmap cannot make.
    return Error::Unsupported(fmt::format("type {} {}", type->name,
                                          type->create_blocker));
  }
  bool of_maps = IsMapOfMaps(request.type);
  if (of_maps && !request.inner_map) {
    return Error::BadInput(fmt::format(
        "type {} needs inner_map MAP: a map like those it will hold (its "
        "type, sizes and flags)",
        MapTypeName(request.type)));
  }
  if (!of_maps && request.inner_map) {
    return Error::BadInput(
        "inner_map is for array_of_maps and hash_of_maps only");
  }
  BPFMAP_RETURN_IF_ERROR(CheckPinPath(request.path));
  // Kept open until the map is created.
  std::optional<MapHandle> inner;
  if (request.inner_map) {
    Result<MapHandle> opened =
        MapHandle::Open(*request.inner_map, OpenMode::kReadOnly);
    if (!opened.ok()) return opened.error().WithContext("inner_map");
    inner = std::move(*opened);
  }

  kernel::CreateAttrs attrs;
  attrs.type = request.type;
  attrs.name = request.name;
  attrs.key_size = request.key_size;
  attrs.value_size = request.value_size;
  attrs.max_entries = request.max_entries;
  attrs.flags = request.flags & ~static_cast<uint32_t>(BPF_F_RDONLY);
  bool freeze = (request.flags & BPF_F_RDONLY) != 0;
  if (inner) attrs.inner_map_fd = inner->fd();
  bool storage = IsLocalStorage(request.type);
  if ((request.type == BPF_MAP_TYPE_LPM_TRIE || storage) &&
      !(attrs.flags & BPF_F_NO_PREALLOC)) {
    // The kernel refuses these without it; there is no other choice.
    attrs.flags |= BPF_F_NO_PREALLOC;
    LogDebug(fmt::format("create: {} needs no_prealloc; adding it",
                         MapTypeName(request.type)));
  }
  if (storage) {
    // The kernel checks the value's BTF (it may hold a spin lock) and takes
    // the key as an fd: say so before it answers a bare EINVAL.
    if (!request.types.value) {
      return Error::BadInput(fmt::format(
          "type {} needs its value as a C type (the kernel requires BTF for "
          "it): value 'struct {{ u64 packets; }}', say",
          MapTypeName(request.type)));
    }
    if (request.key_size != 4) {
      return Error::BadInput(fmt::format(
          "type {} is keyed by a 4-byte int (a file descriptor); key {} "
          "bytes given",
          MapTypeName(request.type), request.key_size));
    }
    if (request.max_entries != 0) {
      return Error::BadInput(fmt::format(
          "type {} holds one value per object and takes entries 0",
          MapTypeName(request.type)));
    }
  }
  std::string what = fmt::format("create {} map at {}",
                                 MapTypeName(request.type), request.path);
  // Kept until the map is created: the map holds its own reference then.
  BuiltBtf btf;
  bool typed = request.types.key || request.types.value;
  if (typed && !TakesKeyValueBtf(request.type)) {
    // The kernel refuses BTF for these (ENOTSUPP): the types given were
    // sizes, as far as the kernel is concerned.
    LogDebug(fmt::format("create: {} maps take no BTF; the key and value "
                         "types given count as their sizes",
                         MapTypeName(request.type)));
    typed = false;
  }
  if (typed) {
    Result<BuiltBtf> built =
        BuildBtf(request.types.key.get(), request.types.value.get());
    if (!built.ok()) return built.error().WithContext(what);
    btf = std::move(*built);
    Result<int> btf_fd = kernel::LoadBtfIntoKernel(btf.btf.get());
    if (!btf_fd.ok()) {
      // A kernel older than a BTF kind the types need refuses with EINVAL.
      if (btf_fd.error().errno_value() == EINVAL) {
        Status kinds = ProbeBtfKinds(btf.btf.get());
        if (!kinds.ok()) return kinds.error().WithContext(what);
      }
      return btf_fd.error().WithContext(what);
    }
    attrs.btf_fd = *btf_fd;
    attrs.btf_key_type_id = btf.key_type_id;
    attrs.btf_value_type_id = btf.value_type_id;
    LogDebug(fmt::format("create: BTF loaded, key type {}, value type {}",
                         btf.key_type_id, btf.value_type_id));
  }
  Result<int> fd = kernel::MapCreate(attrs);
  if (!fd.ok()) {
    // The kernel says EINVAL for a type it does not know and for attributes
    // a type refuses alike: the probe tells the two apart.
    if (fd.error().errno_value() == EINVAL) {
      Status has_type = ProbeMapType(request.type);
      if (!has_type.ok()) return has_type.error().WithContext(what);
    }
    Error error = Error::System(fd.error().errno_value(), what);
    if (LacksCall(error) && error.errno_value() != EINVAL) {
      return error.AsKind(ErrorKind::kUnsupported);
    }
    if (error.errno_value() == EINVAL) {
      return error.WithHint(
          attrs.btf_fd >= 0
              ? "the kernel refused these sizes, entries, flags or types for "
                "this map type"
              : "the kernel refused these sizes, entries or flags for this "
                "type");
    }
    return error;
  }
  Result<MapHandle> map = MapHandle::FromFd(*fd);
  if (!map.ok()) return map.error().WithContext(what);
  MapInfo info = map->info();
  if (freeze) {
    // Before the pin: no one can write to it between the two.
    LogDebug("create: rdonly is kept by freezing the map before pinning it");
    Status frozen = FreezeMap(*map);
    if (!frozen.ok()) return frozen.error().WithContext(what);
    info.frozen = true;
  }
  Status pinned = kernel::ObjPin(map->fd(), request.path);
  if (!pinned.ok()) return pinned.error().WithContext(what);
  return info;
}

}  // namespace bpfmap
