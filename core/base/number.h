// Numbers as the command line writes them: decimal or 0x hex.
#ifndef BPFMAP_CORE_BASE_NUMBER_H_
#define BPFMAP_CORE_BASE_NUMBER_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/base/error.h"

namespace bpfmap {

// Reads all of `text` as a decimal or 0x-prefixed hex number that fits in 32
// bits; nullopt for anything else (empty, a sign, junk, overflow).
std::optional<uint32_t> ParseUint32(std::string_view text);

// The same, with a kBadInput error naming `what` ("entries: '4x' is not a
// number from 0 to 4294967295").
Result<uint32_t> ParseUint32Arg(std::string_view text, std::string_view what);

// Wide enough for every 64-bit value of either sign, and for a sum of such
// values over all CPUs.
using Int128 = __int128;
using Uint128 = unsigned __int128;

// Reads all of `text` as an integer: an optional '-', then decimal digits or
// 0x and hex digits. Magnitudes beyond 2^100 come back as +-2^100, so any
// range check against a 64-bit type still fails. nullopt if not an integer.
std::optional<Int128> ParseInteger(std::string_view text);

// The same text, for integers of up to 128 bits: its sign and magnitude.
// False if not an integer, or if the magnitude is 2^128 or more.
bool ParseWideInteger(std::string_view text, bool& negative,
                      Uint128& magnitude);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_BASE_NUMBER_H_
