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

namespace {

// An optional '-', then decimal digits or 0x and hex digits: false for
// anything else. `magnitude` stops at the largest 128-bit value, with
// `overflow` set, when the digits go past it.
bool ReadInteger(std::string_view text, bool& negative, Uint128& magnitude,
                 bool& overflow) {
  negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  unsigned base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return false;
  constexpr Uint128 kMax = ~static_cast<Uint128>(0);
  magnitude = 0;
  overflow = false;
  for (char c : text) {
    unsigned digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return false;
    }
    if (overflow || magnitude > (kMax - digit) / base) {
      overflow = true;
      magnitude = kMax;
    } else {
      magnitude = magnitude * base + digit;
    }
  }
  return true;
}

}  // namespace

std::optional<Int128> ParseInteger(std::string_view text) {
  bool negative = false, overflow = false;
  Uint128 magnitude = 0;
  if (!ReadInteger(text, negative, magnitude, overflow)) return std::nullopt;
  constexpr Uint128 kCap = static_cast<Uint128>(1) << 100;
  Int128 capped = static_cast<Int128>(magnitude > kCap ? kCap : magnitude);
  return negative ? -capped : capped;
}

bool ParseWideInteger(std::string_view text, bool& negative,
                      Uint128& magnitude) {
  bool overflow = false;
  return ReadInteger(text, negative, magnitude, overflow) && !overflow;
}

}  // namespace bpfmap
