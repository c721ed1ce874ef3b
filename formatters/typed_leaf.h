// Leaf rendering shared by the typed formatters: strings out of char
// arrays, numbers into text.
#ifndef BPFMAP_FORMATTERS_TYPED_LEAF_H_
#define BPFMAP_FORMATTERS_TYPED_LEAF_H_

#include <fmt/format.h>

#include <optional>
#include <string_view>

#include "core/types/type_node.h"
#include "core/types/typed_scalar.h"

namespace bpfmap {

// The text of a char array, if showing it as a string loses nothing
// (TextOfBytes in core/codec/leaf_text.h); otherwise nullopt (show the
// numbers).
std::optional<std::string_view> CharArrayText(const TypeNode& type,
                                              const uint8_t* data);

// bpftool's test for the same: a NUL within the array and only printable
// ASCII before it (bytes after the NUL are ignored).
std::optional<std::string_view> BpftoolCharArrayText(const TypeNode& type,
                                                     const uint8_t* data);

// Appends an integer as JSON and plain text both write it (doubles:
// AppendDouble in json_writer.h).
void AppendInteger(Int128 value, fmt::memory_buffer& out);

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_TYPED_LEAF_H_
