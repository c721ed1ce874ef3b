#include "core/kernel/map_list.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/kernel/bpf_adapter.h"
#include "core/kernel/map_handle.h"

namespace bpfmap {
namespace fs = std::filesystem;

Result<std::vector<std::string>> BpffsMounts() {
  std::ifstream in("/proc/self/mounts");
  if (!in) return Error::System(errno, "read /proc/self/mounts");
  std::vector<std::string> mounts;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string source, target, fstype;
    fields >> source >> target >> fstype;
    if (fstype == "bpf") mounts.push_back(target);
  }
  std::sort(mounts.begin(), mounts.end());
  mounts.erase(std::unique(mounts.begin(), mounts.end()), mounts.end());
  return mounts;
}

Result<std::vector<PinnedMap>> ListPinnedMaps(
    const std::vector<std::string>& dirs) {
  std::vector<std::string> roots = dirs;
  bool every_mount = roots.empty();
  if (every_mount) {
    BPFMAP_ASSIGN_OR_RETURN(roots, BpffsMounts());
  }
  std::vector<PinnedMap> maps;
  for (const std::string& root : roots) {
    std::error_code ec;
    fs::recursive_directory_iterator it(root, ec), end;
    // A mount that went away since /proc/self/mounts was read (another
    // process's private bpffs) is not an error when listing every mount.
    auto gone = [&] { return every_mount && ec == std::errc::no_such_file_or_directory; };
    if (ec) {
      if (gone()) continue;
      return Error::System(ec.value(), fmt::format("list {}", root));
    }
    for (; it != end; it.increment(ec)) {
      if (ec && gone()) break;
      if (ec) return Error::System(ec.value(), fmt::format("list {}", root));
      if (!it->is_regular_file(ec)) continue;
      std::string path = it->path().string();
      Result<int> fd = kernel::ObjGet(path, /*read_only=*/true);
      if (!fd.ok() && fd.error().errno_value() == EINVAL) {
        // Programs and links refuse read-only opens: open it as it is to
        // tell them from a map that cannot be opened.
        fd = kernel::ObjGet(path, /*read_only=*/false);
      }
      if (!fd.ok()) {
        // ENOENT: no live object behind the file (the kernel's own
        // maps.debug and progs.debug iterators say so): nothing to list.
        if (fd.error().errno_value() != ENOENT) {
          maps.push_back({path, MapInfo{}, fd.error().Describe()});
        }
        continue;
      }
      Result<bool> is_map = IsMapFd(*fd);
      if (!is_map.ok() || !*is_map) {
        close(*fd);
        if (!is_map.ok()) {
          maps.push_back({path, MapInfo{}, is_map.error().Describe()});
        }
        continue;
      }
      Result<MapHandle> map = MapHandle::FromFd(*fd);
      if (!map.ok()) {
        maps.push_back({path, MapInfo{}, map.error().Describe()});
        continue;
      }
      maps.push_back({path, map->info(), ""});
    }
  }
  std::sort(maps.begin(), maps.end(),
            [](const PinnedMap& a, const PinnedMap& b) { return a.path < b.path; });
  return maps;
}

Result<std::vector<MapInfo>> ListLiveMaps() {
  std::vector<MapInfo> maps;
  BPFMAP_RETURN_IF_ERROR(kernel::ForEachMap([&](uint32_t, int fd) -> Status {
    // FromFd owns the fd it is given: hand it a copy.
    int copy = dup(fd);
    if (copy < 0) return Error::System(errno, "dup");
    BPFMAP_ASSIGN_OR_RETURN(MapHandle map, MapHandle::FromFd(copy));
    maps.push_back(map.info());
    return OkStatus();
  }));
  return maps;
}

}  // namespace bpfmap
