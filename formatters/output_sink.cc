#include "formatters/output_sink.h"

namespace bpfmap {

void OutputSink::Flush() {
  if (buffer_.size() > 0) {
    std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
    buffer_.clear();
  }
  std::fflush(file_);
}

}  // namespace bpfmap
