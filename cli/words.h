// Small readers shared by the commands' word grammars.
#ifndef BPFMAP_CLI_WORDS_H_
#define BPFMAP_CLI_WORDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/map_ref.h"

namespace bpfmap::cli {

// Reads a MAP reference that must be the only thing in `words`.
Result<MapRef> ParseSoleMapRef(const std::vector<std::string>& words);

// Reads a decimal (or 0x hex) unsigned 32-bit number; `what` names it in
// the error.
Result<uint32_t> ParseUint32(std::string_view text, std::string_view what);

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_WORDS_H_
