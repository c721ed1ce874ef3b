// Raw bytes on the command line, in bpftool's grammar.
#ifndef BPFMAP_CORE_CODEC_BYTE_CODEC_H_
#define BPFMAP_CORE_CODEC_BYTE_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/error.h"

namespace bpfmap {

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

}  // namespace bpfmap

#endif  // BPFMAP_CORE_CODEC_BYTE_CODEC_H_
