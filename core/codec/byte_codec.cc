#include "core/codec/byte_codec.h"

#include <fmt/format.h>

namespace bpfmap {
namespace {

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One byte token as strtoul(..., 0) reads it, but strict: the whole token
// must be a number and it must fit in a byte (bpftool silently truncates).
Result<uint8_t> ParseByteToken(const std::string& token, size_t index,
                               std::string_view what) {
  auto bad = [&](std::string_view why) {
    return Error::BadInput(
        fmt::format("{}: byte {} \"{}\" {}", what, index + 1, token, why));
  };
  if (token.empty()) return bad("is empty");
  unsigned base = 10;
  size_t pos = 0;
  if (token.size() > 2 && token[0] == '0' &&
      (token[1] == 'x' || token[1] == 'X')) {
    base = 16;
    pos = 2;
  } else if (token.size() > 1 && token[0] == '0') {
    base = 8;
    pos = 1;
  }
  unsigned value = 0;
  for (; pos < token.size(); ++pos) {
    int digit = HexDigitValue(token[pos]);
    if (digit < 0 || static_cast<unsigned>(digit) >= base) {
      return bad(base == 16   ? "is not a hex byte"
                 : base == 8  ? "is not an octal byte"
                              : "is not a byte (decimal, 0x hex or 0 octal)");
    }
    value = value * base + static_cast<unsigned>(digit);
    if (value > 0xff) return bad("is out of range (0-255)");
  }
  return static_cast<uint8_t>(value);
}

Result<Bytes> ParseHexDigits(const std::vector<std::string>& tokens,
                             std::string_view what) {
  std::string digits;
  for (const std::string& token : tokens) digits += token;
  if (digits.empty()) {
    return Error::BadInput(fmt::format("{}: 'hex' needs hex digits", what));
  }
  for (char c : digits) {
    if (HexDigitValue(c) < 0) {
      return Error::BadInput(
          fmt::format("{}: hex: '{}' is not a hex digit", what, c));
    }
  }
  if (digits.size() % 2 != 0) {
    return Error::BadInput(fmt::format(
        "{}: hex: odd number of digits ({}); each byte takes two", what,
        digits.size()));
  }
  Bytes bytes(digits.size() / 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<uint8_t>(HexDigitValue(digits[2 * i]) * 16 +
                                    HexDigitValue(digits[2 * i + 1]));
  }
  return bytes;
}

}  // namespace

Result<Bytes> ParseByteTokens(const std::vector<std::string>& tokens,
                              std::string_view what) {
  if (tokens.empty()) {
    return Error::BadInput(fmt::format("{}: no bytes given", what));
  }
  if (tokens[0] == "hex") {
    return ParseHexDigits({tokens.begin() + 1, tokens.end()}, what);
  }
  Bytes bytes;
  bytes.reserve(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    BPFMAP_ASSIGN_OR_RETURN(uint8_t byte, ParseByteToken(tokens[i], i, what));
    bytes.push_back(byte);
  }
  return bytes;
}

Result<Bytes> ParseBytesOfSize(const std::vector<std::string>& tokens,
                               size_t size, std::string_view what) {
  BPFMAP_ASSIGN_OR_RETURN(Bytes bytes, ParseByteTokens(tokens, what));
  if (bytes.size() != size) {
    return Error::BadInput(fmt::format("{}: the map takes {} byte{}, got {}",
                                       what, size, size == 1 ? "" : "s",
                                       bytes.size()));
  }
  return bytes;
}

}  // namespace bpfmap
