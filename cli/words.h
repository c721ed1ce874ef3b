// Small readers shared by the commands' word grammars.
#ifndef BPFMAP_CLI_WORDS_H_
#define BPFMAP_CLI_WORDS_H_

#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/model/map_ref.h"

namespace bpfmap::cli {

// Reads a MAP reference that must be the only thing in `words`.
Result<MapRef> ParseSoleMapRef(const std::vector<std::string>& words);

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_WORDS_H_
