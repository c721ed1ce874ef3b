#include "core/kernel/storage_keys.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/bpf.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/base/number.h"
#include "core/model/map_types.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

namespace bpfmap {
namespace {

Bytes KeyOf(int fd) {
  Bytes key(sizeof(int));
  std::memcpy(key.data(), &fd, sizeof(fd));
  return key;
}

Result<int> ParsePid(const std::string& text) {
  std::optional<uint32_t> pid = ParseUint32(text);
  if (!pid || *pid == 0 || *pid > 0x3fffffff) {
    return Error::BadInput(fmt::format("key: '{}' is not a process id", text));
  }
  return static_cast<int>(*pid);
}

Result<OwnedFd> OpenPidfd(int pid) {
  int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0 && errno == ENOSYS) {
    return Error::Unsupported(
        fmt::format("key: process {}: pidfd_open needs Linux 5.3", pid));
  }
  if (fd < 0) {
    // A process that is not there names no value: the key is wrong.
    if (errno == ESRCH) {
      return Error::BadInput(fmt::format("key: there is no process {}", pid));
    }
    return Error::System(errno, fmt::format("key: process {}", pid));
  }
  return OwnedFd(fd);
}

}  // namespace

std::string StorageKeyGrammar(uint32_t type) {
  switch (type) {
    case BPF_MAP_TYPE_TASK_STORAGE:
      return "pid PID";
    case kMapTypeCgrpStorage:
      return "cgroup PATH";
    case BPF_MAP_TYPE_INODE_STORAGE:
      return "file PATH";
    case BPF_MAP_TYPE_SK_STORAGE:
      return "socket PID FD";
    default:
      return "";
  }
}

Result<StorageKey> OpenStorageKey(const std::vector<std::string>& words,
                                  const MapInfo& info) {
  std::string grammar = StorageKeyGrammar(info.type);
  std::string kind = grammar.substr(0, grammar.find(' '));
  size_t arity = kind == "socket" ? 3 : 2;
  if (words.size() != arity || words[0] != kind) {
    return Error::BadInput(fmt::format(
        "key: {} is a {} map, keyed by the object a value belongs to: key {}",
        info.Label(), MapTypeName(info.type), grammar));
  }
  StorageKey key;
  if (kind == "pid") {
    BPFMAP_ASSIGN_OR_RETURN(int pid, ParsePid(words[1]));
    BPFMAP_ASSIGN_OR_RETURN(key.object, OpenPidfd(pid));
  } else if (kind == "socket") {
    BPFMAP_ASSIGN_OR_RETURN(int pid, ParsePid(words[1]));
    std::optional<uint32_t> target = ParseUint32(words[2]);
    if (!target || *target > 0x7fffffff) {
      return Error::BadInput(
          fmt::format("key: '{}' is not a file descriptor number", words[2]));
    }
    BPFMAP_ASSIGN_OR_RETURN(OwnedFd pidfd, OpenPidfd(pid));
    int fd = static_cast<int>(
        syscall(SYS_pidfd_getfd, pidfd.get(), static_cast<int>(*target), 0));
    if (fd < 0) {
      std::string what =
          fmt::format("key: descriptor {} of process {}", *target, pid);
      switch (errno) {
        case EBADF:
          return Error::BadInput(fmt::format(
              "key: process {} has no descriptor {}", pid, *target));
        case ENOSYS:
          return Error::Unsupported(
              what + ": pidfd_getfd needs Linux 5.6");
        case EPERM:
          return Error::System(errno, what)
              .WithHint("taking another process's descriptor needs ptrace "
                        "access (CAP_SYS_PTRACE)");
        default:
          return Error::System(errno, what);
      }
    }
    key.object = OwnedFd(fd);
  } else {
    // O_PATH: the kernel takes any descriptor of the inode, and opening a
    // FIFO or a device for real could block or have side effects.
    int fd = open(words[1].c_str(),
                  (kind == "cgroup" ? O_RDONLY | O_DIRECTORY : O_PATH) |
                      O_CLOEXEC);
    if (fd < 0) return Error::System(errno, fmt::format("key: {}", words[1]));
    key.object = OwnedFd(fd);
    if (kind == "cgroup") {
      struct statfs fs;
      if (fstatfs(fd, &fs) != 0 ||
          static_cast<unsigned long>(fs.f_type) != CGROUP2_SUPER_MAGIC) {
        return Error::BadInput(fmt::format(
            "key: {} is not a cgroup v2 directory (one on a cgroup2 mount)",
            words[1]));
      }
    }
  }
  key.key = KeyOf(key.object.get());
  return key;
}

}  // namespace bpfmap
