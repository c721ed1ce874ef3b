#include "formatters/output_sink.h"

#include <cerrno>

namespace bpfmap {

void OutputSink::Flush() {
  errno = 0;
  if (error_ == 0 && buffer_.size() > 0 &&
      std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    error_ = errno != 0 ? errno : EIO;
  }
  buffer_.clear();
  errno = 0;
  if (error_ == 0 && std::fflush(file_) != 0) error_ = errno != 0 ? errno : EIO;
}

}  // namespace bpfmap
