// Bytes, and bytes written as hex text.
#ifndef BPFMAP_CORE_BASE_BYTES_H_
#define BPFMAP_CORE_BASE_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bpfmap {

using Bytes = std::vector<uint8_t>;

inline constexpr char kHexDigits[] = "0123456789abcdef";

// Appends `size` bytes as lowercase hex pairs to `out` (a std::string or an
// fmt::memory_buffer), with `separator` between pairs unless it is '\0'.
template <typename Buffer>
void AppendHexBytes(const uint8_t* data, size_t size, Buffer& out,
                    char separator = '\0') {
  if (size == 0) return;
  // Grown once and written through a pointer: this runs for every key and
  // value an untyped dump prints.
  size_t at = out.size();
  out.resize(at + (separator != '\0' ? 3 * size - 1 : 2 * size));
  char* to = out.data() + at;
  for (size_t i = 0; i < size; ++i) {
    if (separator != '\0' && i > 0) *to++ = separator;
    *to++ = kHexDigits[data[i] >> 4];
    *to++ = kHexDigits[data[i] & 0xf];
  }
}

// "01 02 ff": lowercase hex pairs separated by single spaces.
inline std::string SpacedHex(const uint8_t* data, size_t size) {
  std::string out;
  out.reserve(size * 3);
  AppendHexBytes(data, size, out, ' ');
  return out;
}

}  // namespace bpfmap

#endif  // BPFMAP_CORE_BASE_BYTES_H_
