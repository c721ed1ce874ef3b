// A typed key or value as one compact line of text, for the plain and
// table formats: {ip=1 port=80 proto=6}, [1 2 3 4], "abc", MODE_ON.
#ifndef BPFMAP_FORMATTERS_TYPED_TEXT_H_
#define BPFMAP_FORMATTERS_TYPED_TEXT_H_

#include <fmt/format.h>

#include "core/codec/leaf_text.h"
#include "core/types/type_node.h"
#include "core/types/typed_scalar.h"

namespace bpfmap {

// Appends the `type` at `place` in `base`. Strings are quoted (JSON
// escapes) unless `bare_strings`, which the table uses for its cells (a
// string with a control character or a space at either end is quoted
// there too). Formatted leaves read `context` (null: none: ages as stamps, symbols as addresses).
void AppendTypedText(const TypeNode& type, const uint8_t* base,
                     LeafPlace place, bool bare_strings,
                     fmt::memory_buffer& out,
                     const LeafContext* context = nullptr);

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_TYPED_TEXT_H_
