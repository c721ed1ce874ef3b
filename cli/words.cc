#include "cli/words.h"

#include <fmt/format.h>

#include <charconv>

namespace bpfmap::cli {

Result<MapRef> ParseSoleMapRef(const std::vector<std::string>& words) {
  size_t pos = 0;
  BPFMAP_ASSIGN_OR_RETURN(MapRef ref, ParseMapRef(words, pos));
  if (pos < words.size()) {
    return Error::BadInput(
        fmt::format("unexpected '{}' after {}", words[pos], ref.ToString()));
  }
  return ref;
}

Result<uint32_t> ParseUint32(std::string_view text, std::string_view what) {
  std::string_view digits = text;
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' &&
      (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(),
                                   value, base);
  if (digits.empty() || ec != std::errc() ||
      end != digits.data() + digits.size()) {
    return Error::BadInput(fmt::format(
        "{}: '{}' is not a number from 0 to 4294967295", what, text));
  }
  return value;
}

}  // namespace bpfmap::cli
