// A file descriptor that closes itself: opening a thousand inner maps leaks
// none.
#ifndef BPFMAP_CORE_KERNEL_OWNED_FD_H_
#define BPFMAP_CORE_KERNEL_OWNED_FD_H_

#include <unistd.h>

#include <utility>

namespace bpfmap {

// Owns one fd (or none: -1), closed when the owner goes; move-only.
class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    if (this != &other) Reset(std::exchange(other.fd_, -1));
    return *this;
  }
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;
  ~OwnedFd() { Reset(); }

  int get() const { return fd_; }
  // Closes the fd held, if any, and holds `fd` instead.
  void Reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_OWNED_FD_H_
