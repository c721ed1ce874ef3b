// A buffered text sink over a FILE*: one per stream per run.
#ifndef BPFMAP_FORMATTERS_OUTPUT_SINK_H_
#define BPFMAP_FORMATTERS_OUTPUT_SINK_H_

#include <fmt/format.h>

#include <cstdio>
#include <string_view>

namespace bpfmap {

// Collects output in memory and writes it to the file in large blocks, so
// formatting an entry costs no system call and no allocation.
class OutputSink {
 public:
  explicit OutputSink(std::FILE* file) : file_(file) {}
  OutputSink(const OutputSink&) = delete;
  OutputSink& operator=(const OutputSink&) = delete;
  ~OutputSink() { Flush(); }

  void Write(std::string_view text) {
    buffer_.append(text.data(), text.data() + text.size());
    MaybeFlush();
  }
  void Put(char c) {
    buffer_.push_back(c);
    MaybeFlush();
  }
  template <typename... Args>
  void Format(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(buffer_), format,
                   std::forward<Args>(args)...);
    MaybeFlush();
  }

  // The pending bytes, for callers that append directly; call MaybeFlush()
  // after appending.
  fmt::memory_buffer& buffer() { return buffer_; }

  void MaybeFlush() {
    if (buffer_.size() >= kFlushAt) Flush();
  }
  // Writes everything pending to the file and flushes the file. After a
  // write fails, output is dropped and error() says why.
  void Flush();

  // The errno of the first write that failed (ENOSPC, EPIPE, ...), or 0.
  int error() const { return error_; }

 private:
  static constexpr size_t kFlushAt = 64 * 1024;
  std::FILE* file_;
  fmt::memory_buffer buffer_;
  int error_ = 0;
};

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_OUTPUT_SINK_H_
