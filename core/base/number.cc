#include "core/base/number.h"

#include <fmt/format.h>

#include <charconv>

namespace bpfmap {

std::optional<uint32_t> ParseUint32(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty() || text[0] == '+' || text[0] == '-') return std::nullopt;
  uint32_t value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

Result<uint32_t> ParseUint32Arg(std::string_view text, std::string_view what) {
  std::optional<uint32_t> value = ParseUint32(text);
  if (!value) {
    return Error::BadInput(fmt::format(
        "{}: '{}' is not a number from 0 to 4294967295", what, text));
  }
  return *value;
}

std::optional<Int128> ParseInteger(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  constexpr Int128 kCap = static_cast<Int128>(1) << 100;
  Int128 magnitude = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    if (magnitude < kCap) magnitude = magnitude * base + digit;
  }
  if (magnitude > kCap) magnitude = kCap;
  return negative ? -magnitude : magnitude;
}

}  // namespace bpfmap
