#include "core/codec/entry_spool.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <utility>

namespace bpfmap {
namespace {

// What each run starts with in the file.
struct RunHeader {
  uint64_t count;
  uint64_t first;
  uint64_t lines;
  uint64_t key_bytes;
  uint64_t value_bytes;
};

Status WriteAll(int fd, struct iovec* parts, int count,
                const std::string& directory) {
  while (count > 0) {
    ssize_t written = writev(fd, parts, count);
    if (written < 0) {
      if (errno == EINTR) continue;
      // Most often a full file system (ENOSPC), which another TMPDIR cures.
      return Error::System(
          errno, fmt::format("write a temporary file in {} (set TMPDIR "
                             "elsewhere)",
                             directory));
    }
    size_t left = static_cast<size_t>(written);
    while (count > 0 && left >= parts->iov_len) {
      left -= parts->iov_len;
      ++parts;
      --count;
    }
    if (count > 0) {
      parts->iov_base = static_cast<char*>(parts->iov_base) + left;
      parts->iov_len -= left;
    }
  }
  return OkStatus();
}

// Reads exactly `size` bytes; false at the end of the file before any.
Result<bool> ReadAll(int fd, void* out, size_t size,
                     const std::string& directory) {
  size_t done = 0;
  while (done < size) {
    ssize_t got = read(fd, static_cast<char*>(out) + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      return Error::System(
          errno, fmt::format("read a temporary file in {}", directory));
    }
    if (got == 0) {
      if (done == 0) return false;
      return Error::System(EIO, fmt::format("a temporary file in {} ends "
                                            "inside a run",
                                            directory));
    }
    done += static_cast<size_t>(got);
  }
  return true;
}

}  // namespace

Result<EntrySpool> EntrySpool::Create() {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string directory =
      tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  // O_EXCL: the file can never be linked into the directory.
  int fd =
      open(directory.c_str(), O_TMPFILE | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR)) {
    // A file system without O_TMPFILE: a named file, unlinked at once.
    std::string path = directory + "/bpfmap-spool.XXXXXX";
    fd = mkostemp(path.data(), O_CLOEXEC);
    if (fd >= 0) unlink(path.c_str());
  }
  if (fd < 0) {
    return Error::System(errno, fmt::format("create a temporary file in {} "
                                            "(set TMPDIR elsewhere)",
                                            directory));
  }
  return EntrySpool(fd, std::move(directory));
}

EntrySpool::EntrySpool(EntrySpool&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      directory_(std::move(other.directory_)) {}

EntrySpool& EntrySpool::operator=(EntrySpool&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    directory_ = std::move(other.directory_);
  }
  return *this;
}

EntrySpool::~EntrySpool() {
  if (fd_ >= 0) close(fd_);
}

Status EntrySpool::Append(const PackedEntries& run) {
  RunHeader header = {run.count, run.first, run.lines.size(),
                      run.key_size * run.count, run.value_stride * run.count};
  struct iovec parts[4] = {
      {&header, sizeof(header)},
      {const_cast<uint32_t*>(run.lines.data()),
       run.lines.size() * sizeof(uint32_t)},
      {const_cast<uint8_t*>(run.keys.data()), header.key_bytes},
      {const_cast<uint8_t*>(run.values.data()), header.value_bytes},
  };
  return WriteAll(fd_, parts, 4, directory_);
}

Status EntrySpool::Rewind() {
  if (lseek(fd_, 0, SEEK_SET) < 0) {
    return Error::System(
        errno, fmt::format("rewind a temporary file in {}", directory_));
  }
  return OkStatus();
}

Result<bool> EntrySpool::Next(PackedEntries& run) {
  RunHeader header;
  BPFMAP_ASSIGN_OR_RETURN(bool more,
                          ReadAll(fd_, &header, sizeof(header), directory_));
  if (!more) return false;
  // What this process wrote, checked anyway before anything is sized by
  // it: one shape, a line for every entry or none, no overflow.
  constexpr uint64_t kMaxEntries = uint64_t{1} << 32;
  if (header.count > kMaxEntries ||
      header.key_bytes != run.key_size * header.count ||
      header.value_bytes != run.value_stride * header.count ||
      (header.lines != 0 && header.lines != header.count)) {
    return Error::System(EIO, fmt::format("a temporary file in {} holds a "
                                          "run of another shape",
                                          directory_));
  }
  run.count = header.count;
  run.first = header.first;
  run.lines.resize(header.lines);
  run.keys.resize(header.key_bytes);
  run.values.resize(header.value_bytes);
  for (auto [out, size] :
       {std::pair<void*, size_t>{run.lines.data(),
                                 header.lines * sizeof(uint32_t)},
        {run.keys.data(), header.key_bytes},
        {run.values.data(), header.value_bytes}}) {
    BPFMAP_ASSIGN_OR_RETURN(bool read, ReadAll(fd_, out, size, directory_));
    if (!read && size > 0) {
      return Error::System(EIO, fmt::format("a temporary file in {} ends "
                                            "inside a run",
                                            directory_));
    }
  }
  return true;
}

}  // namespace bpfmap
