#include "cli/words.h"

#include <fmt/format.h>

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

}  // namespace bpfmap::cli
