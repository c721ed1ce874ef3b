#include "formatters/output_sink.h"

#include <unistd.h>

namespace bpfmap {

void OutputSink::Flush() {
  if (buffer_.size() > 0) {
    std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
    buffer_.clear();
  }
  std::fflush(file_);
}

bool OutputSink::IsTerminal() const { return isatty(fileno(file_)) == 1; }

}  // namespace bpfmap
