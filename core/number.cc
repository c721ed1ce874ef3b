#include "core/number.h"

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

}  // namespace bpfmap
