// Unsigned numbers as the command line writes them: decimal or 0x hex.
#ifndef BPFMAP_CORE_NUMBER_H_
#define BPFMAP_CORE_NUMBER_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/error.h"

namespace bpfmap {

// Reads all of `text` as a decimal or 0x-prefixed hex number that fits in 32
// bits; nullopt for anything else (empty, a sign, junk, overflow).
std::optional<uint32_t> ParseUint32(std::string_view text);

// The same, with a kBadInput error naming `what` ("entries: '4x' is not a
// number from 0 to 4294967295").
Result<uint32_t> ParseUint32Arg(std::string_view text, std::string_view what);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_NUMBER_H_
