// Errors as values: the result types every core function returns.
#ifndef BPFMAP_CORE_BASE_ERROR_H_
#define BPFMAP_CORE_BASE_ERROR_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace bpfmap {

// What went wrong, coarsely; cli/ maps each kind to one exit code.
enum class ErrorKind {
  kNo,        // The answer is no: key not found, queue empty, key exists.
  kBadInput,  // The user's input is malformed or does not fit the map.
  kSystem,    // The kernel or the system refused (errno is set if it said one).
  kUnsupported,  // This kernel, or this map type, cannot do that at all.
};

// The errno the kernel gives for an operation it does not have for a map
// (ENOTSUPP, which user space headers do not define and strerror() calls
// "Unknown error 524").
inline constexpr int kErrNotSupported = 524;

// An error with its kind, the errno it came from (0 if none) and a message
// that already carries the context of every layer it passed through.
class Error {
 public:
  static Error No(std::string message);
  static Error BadInput(std::string message);
  // `message` says what was attempted; Describe() appends the errno text.
  static Error System(int errno_value, std::string message);
  // What this kernel or this map type cannot do, decided by bpfmap (a
  // kernel's refusal becomes one through AsKind, its errno kept).
  static Error Unsupported(std::string message);

  ErrorKind kind() const { return kind_; }
  int errno_value() const { return errno_value_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is prefixed with "context: ".
  Error WithContext(std::string_view context) const;

  // Returns a copy that Describe() ends with "(hint)".
  Error WithHint(std::string hint) const;

  // Returns a copy whose Describe() says `cause` where it would say the
  // errno's strerror() text (libbpf's own codes have none).
  Error WithCause(std::string cause) const;

  // Returns a copy of kind `kind`, message and errno kept.
  Error AsKind(ErrorKind kind) const;

  // The one line shown to a user: message, errno text and, where one helps,
  // a hint ("needs root or CAP_BPF" for EPERM).
  std::string Describe() const;

 private:
  Error(ErrorKind kind, int errno_value, std::string message)
      : kind_(kind), errno_value_(errno_value), message_(std::move(message)) {}

  ErrorKind kind_;
  int errno_value_;
  std::string message_;
  std::string hint_;
  std::string cause_;
};

// Success, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

inline Status OkStatus() { return Status(); }

// A value of type T, or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : data_(std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Error& error() const { return std::get<Error>(data_); }
  Status status() const { return ok() ? Status() : Status(error()); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> data_;
};

namespace internal {
inline Status AsStatus(const Status& s) { return s; }
template <typename T>
Status AsStatus(const Result<T>& r) {
  return r.status();
}
}  // namespace internal

// `text` on one line: newlines, tabs and other control characters written
// as escapes (\\n, \\t, \\x01), so a message is one line whatever a user
// typed into it.
std::string OneLine(std::string_view text);

}  // namespace bpfmap

#define BPFMAP_CONCAT_INNER_(a, b) a##b
#define BPFMAP_CONCAT_(a, b) BPFMAP_CONCAT_INNER_(a, b)

// Returns the error of `expr` (a Status or Result) from the enclosing
// function if there is one.
#define BPFMAP_RETURN_IF_ERROR(expr)                                    \
  do {                                                                  \
    auto bpfmap_status_ = ::bpfmap::internal::AsStatus(expr);           \
    if (!bpfmap_status_.ok()) return bpfmap_status_.error();            \
  } while (0)

// Evaluates `expr` (a Result<T>); on error returns it, else moves the value
// into `lhs` (which may be a declaration).
#define BPFMAP_ASSIGN_OR_RETURN(lhs, expr) \
  BPFMAP_ASSIGN_OR_RETURN_IMPL_(BPFMAP_CONCAT_(bpfmap_result_, __LINE__), lhs, expr)
#define BPFMAP_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.error();                  \
  lhs = std::move(tmp).value()

#endif  // BPFMAP_CORE_BASE_ERROR_H_
