#include "core/base/error.h"

#include <cerrno>
#include <cstring>

namespace bpfmap {

Error Error::No(std::string message) {
  return Error(ErrorKind::kNo, 0, std::move(message));
}

Error Error::BadInput(std::string message) {
  return Error(ErrorKind::kBadInput, 0, std::move(message));
}

Error Error::System(int errno_value, std::string message) {
  return Error(ErrorKind::kSystem, errno_value, std::move(message));
}

Error Error::Unsupported(std::string message) {
  return Error(ErrorKind::kUnsupported, 0, std::move(message));
}

Error Error::WithContext(std::string_view context) const {
  std::string message(context);
  message += ": ";
  message += message_;
  Error copy = *this;
  copy.message_ = std::move(message);
  return copy;
}

Error Error::WithHint(std::string hint) const {
  Error copy = *this;
  copy.hint_ = std::move(hint);
  return copy;
}

Error Error::WithCause(std::string cause) const {
  Error copy = *this;
  copy.cause_ = std::move(cause);
  return copy;
}

Error Error::AsKind(ErrorKind kind) const {
  Error copy = *this;
  copy.kind_ = kind;
  return copy;
}

std::string Error::Describe() const {
  std::string line = message_;
  if (!cause_.empty()) {
    line += ": ";
    line += cause_;
  } else if (errno_value_ != 0) {
    line += ": ";
    line += errno_value_ == kErrNotSupported
                ? "Operation not supported"
                : std::strerror(errno_value_);
  }
  std::string_view hint = hint_;
  if (hint.empty() && errno_value_ == EPERM) hint = "needs root or CAP_BPF";
  if (!hint.empty()) {
    line += " (";
    line += hint;
    line += ")";
  }
  return line;
}

std::string OneLine(std::string_view text) {
  std::string line;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\n') {
      line += "\\n";
    } else if (c == '\t') {
      line += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      line += "\\x";
      line += kHex[u >> 4];
      line += kHex[u & 0xf];
    } else {
      line += c;
    }
  }
  return line;
}

}  // namespace bpfmap
