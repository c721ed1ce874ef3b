#include "formatters/typed_leaf.h"

#include "core/codec/leaf_text.h"
#include "formatters/json_writer.h"

namespace bpfmap {

std::optional<std::string_view> CharArrayText(const TypeNode& type,
                                              const uint8_t* data) {
  return TextOfBytes(data, type.count);
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
