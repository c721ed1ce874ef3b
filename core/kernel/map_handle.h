// An open map: the fd it owns and what the kernel says about it.
#ifndef BPFMAP_CORE_KERNEL_MAP_HANDLE_H_
#define BPFMAP_CORE_KERNEL_MAP_HANDLE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "core/base/error.h"
#include "core/kernel/owned_fd.h"
#include "core/model/map_info.h"
#include "core/model/map_ref.h"

namespace bpfmap {

enum class OpenMode { kReadOnly, kReadWrite };

// Whether `path` lies on a bpffs (a pin, or where one would be), not on an
// ordinary file system: what tells a map from a snapshot file.
bool IsOnBpffs(const std::string& path);

// Owns a map fd (closed on destruction) and caches the map's info.
class MapHandle {
 public:
  // Opens the map `ref` names. Errors say which reference failed; a name that
  // matches no map is kSystem/ENOENT, one that matches several is kBadInput
  // listing their ids.
  static Result<MapHandle> Open(const MapRef& ref, OpenMode mode);

  // Takes ownership of `fd` and reads its info; fails if it is not a map.
  static Result<MapHandle> FromFd(int fd);

  int fd() const { return fd_.get(); }
  const MapInfo& info() const { return info_; }

  // The same map opened again with `mode` (by its pin, or by its id if it
  // was named), as a handle of its own: kUnsupported for a handle made
  // from an fd; an error if the map the reference names now is another.
  Result<MapHandle> Reopen(OpenMode mode) const;

 private:
  MapHandle(OwnedFd fd, MapInfo info)
      : fd_(std::move(fd)), info_(std::move(info)) {}

  OwnedFd fd_;
  MapInfo info_;
  std::optional<MapRef> ref_;  // how Open() found it
};

// Whether `fd` refers to a BPF map (and not a program, link or BTF object),
// or an error if /proc cannot say.
Result<bool> IsMapFd(int fd);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_MAP_HANDLE_H_
