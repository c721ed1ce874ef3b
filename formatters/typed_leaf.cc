#include "formatters/typed_leaf.h"

#include <cmath>

#include "formatters/json_writer.h"

namespace bpfmap {
namespace {

// Length of the valid UTF-8 sequence at text[i], or 0 if there is none.
size_t Utf8SequenceLength(const uint8_t* text, size_t size, size_t i) {
  uint8_t c = text[i];
  size_t length;
  uint32_t min;
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0) {
    length = 2;
    min = 0x80;
  } else if ((c & 0xf0) == 0xe0) {
    length = 3;
    min = 0x800;
  } else if ((c & 0xf8) == 0xf0) {
    length = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > size) return 0;
  uint32_t code = c & (0x7f >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((text[i + k] & 0xc0) != 0x80) return 0;
    code = (code << 6) | (text[i + k] & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    return 0;
  }
  return length;
}

}  // namespace

std::optional<std::string_view> CharArrayText(const TypeNode& type,
                                              const uint8_t* data) {
  size_t end = 0;
  while (end < type.count && data[end] != 0) ++end;
  for (size_t i = end; i < type.count; ++i) {
    if (data[i] != 0) return std::nullopt;
  }
  for (size_t i = 0; i < end;) {
    size_t length = Utf8SequenceLength(data, end, i);
    if (length == 0) return std::nullopt;
    i += length;
  }
  return std::string_view(reinterpret_cast<const char*>(data), end);
}

std::optional<std::string_view> BpftoolCharArrayText(const TypeNode& type,
                                                     const uint8_t* data) {
  for (size_t i = 0; i < type.count; ++i) {
    if (data[i] == 0) {
      return std::string_view(reinterpret_cast<const char*>(data), i);
    }
    if (data[i] <= 0x1f || data[i] >= 0x7f) return std::nullopt;
  }
  return std::nullopt;
}

void AppendInteger(Int128 value, fmt::memory_buffer& out) {
  AppendDecimal(value, out);
}

}  // namespace bpfmap
