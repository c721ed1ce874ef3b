// Raw bytes on the command line, in bpftool's grammar, and as hex text.
#ifndef BPFMAP_CORE_BYTE_CODEC_H_
#define BPFMAP_CORE_BYTE_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace bpfmap {

using Bytes = std::vector<uint8_t>;

// Parses BYTES := TOKEN... | hex HEXDIGITS...
// A TOKEN is one byte as strtoul reads it with base 0 (31, 0x1f, 037) and
// must be 0..255; after `hex` the remaining tokens are joined and read as
// pairs of hex digits. `what` ("key", "value") prefixes every error.
// Returns the bytes, or a kBadInput error naming the offending token.
Result<Bytes> ParseByteTokens(const std::vector<std::string>& tokens,
                              std::string_view what);

// Like ParseByteTokens, and checks the result is exactly `size` bytes long.
Result<Bytes> ParseBytesOfSize(const std::vector<std::string>& tokens,
                               size_t size, std::string_view what);

inline constexpr char kHexDigits[] = "0123456789abcdef";

// Appends `size` bytes as lowercase hex pairs to `out` (a std::string or an
// fmt::memory_buffer), with `separator` between pairs unless it is '\0'.
template <typename Buffer>
void AppendHexBytes(const uint8_t* data, size_t size, Buffer& out,
                    char separator = '\0') {
  for (size_t i = 0; i < size; ++i) {
    if (separator != '\0' && i > 0) out.push_back(separator);
    out.push_back(kHexDigits[data[i] >> 4]);
    out.push_back(kHexDigits[data[i] & 0xf]);
  }
}

// "01 02 ff": lowercase hex pairs separated by single spaces.
std::string SpacedHex(const uint8_t* data, size_t size);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_BYTE_CODEC_H_
