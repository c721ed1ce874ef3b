#include "core/kernel/map_holders.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "core/kernel/bpf_adapter.h"
#include "core/kernel/map_list.h"

namespace bpfmap {
namespace {

bool IsNumber(const char* name) {
  if (*name == '\0') return false;
  for (const char* p = name; *p != '\0'; ++p) {
    if (*p < '0' || *p > '9') return false;
  }
  return true;
}

// The map id in /proc/PID/fdinfo/FD, 0 if none.
uint32_t FdInfoMapId(const std::string& path) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("map_id:", 0) == 0) {
      return static_cast<uint32_t>(std::strtoul(line.c_str() + 7, nullptr, 10));
    }
  }
  return 0;
}

std::string Comm(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/comm");
  std::string comm;
  std::getline(in, comm);
  return comm;
}

// Each process's descriptors that are maps we look for.
void FindProcesses(std::map<uint32_t, MapHolders*>& wanted,
                   std::vector<MapHolders*>& all) {
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return;
  std::string self = std::to_string(getpid());
  while (struct dirent* entry = readdir(proc)) {
    if (!IsNumber(entry->d_name) || self == entry->d_name) continue;
    std::string pid = entry->d_name;
    std::string fd_dir = "/proc/" + pid + "/fd";
    DIR* fds = opendir(fd_dir.c_str());
    if (fds == nullptr) {
      if (errno == EACCES || errno == EPERM) {
        for (MapHolders* holders : all) ++holders->uninspected;
      }
      continue;  // or gone meanwhile
    }
    std::map<uint32_t, bool> seen;  // one entry per process and map
    std::string comm;
    while (struct dirent* fd = readdir(fds)) {
      if (!IsNumber(fd->d_name)) continue;
      char target[32];
      ssize_t n = readlinkat(dirfd(fds), fd->d_name, target, sizeof(target));
      if (n < 0 || std::string_view(target, n) != "anon_inode:bpf-map") {
        continue;
      }
      uint32_t id = FdInfoMapId("/proc/" + pid + "/fdinfo/" + fd->d_name);
      auto it = wanted.find(id);
      if (it == wanted.end() || seen[id]) continue;
      seen[id] = true;
      if (comm.empty()) comm = Comm(pid);
      it->second->processes.push_back(
          {static_cast<uint32_t>(std::strtoul(pid.c_str(), nullptr, 10)),
           comm});
    }
    closedir(fds);
  }
  closedir(proc);
}

// Every program that uses a map we look for. Without the privilege to
// open programs by id (CAP_SYS_ADMIN) the list stays empty.
void FindPrograms(std::map<uint32_t, MapHolders*>& wanted) {
  Status listed = kernel::ForEachProg([&](uint32_t id, int fd) {
    Result<std::vector<uint32_t>> map_ids = kernel::ProgMapIds(fd);
    if (!map_ids.ok()) return OkStatus();
    std::string name;
    for (uint32_t map_id : *map_ids) {
      auto it = wanted.find(map_id);
      if (it == wanted.end()) continue;
      if (name.empty()) {
        Result<kernel::ProgInfo> info = kernel::ProgInfoByFd(fd);
        if (info.ok()) name = info->name;
      }
      it->second->programs.push_back({id, name});
    }
    return OkStatus();
  });
  (void)listed;  // best effort, as said above
}

}  // namespace

Status FindHolders(const std::vector<MapInfo*>& maps) {
  std::map<uint32_t, MapHolders*> wanted;
  std::vector<MapHolders*> all;
  for (MapInfo* info : maps) {
    info->holders.emplace();
    wanted[info->id] = &*info->holders;
    all.push_back(&*info->holders);
  }
  if (wanted.empty()) return OkStatus();
  FindProcesses(wanted, all);
  FindPrograms(wanted);
  // Mount by mount: one that goes away meanwhile (another process's
  // private bpffs) must not hide the pins on the others.
  Result<std::vector<std::string>> mounts = BpffsMounts();
  if (!mounts.ok()) return OkStatus();
  for (const std::string& mount : *mounts) {
    Result<std::vector<PinnedMap>> pins = ListPinnedMaps({mount});
    if (!pins.ok()) continue;
    for (const PinnedMap& pin : *pins) {
      auto it = wanted.find(pin.info.id);
      if (pin.error.empty() && it != wanted.end()) {
        it->second->pins.push_back(pin.path);
      }
    }
  }
  return OkStatus();
}

}  // namespace bpfmap
