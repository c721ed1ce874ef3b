// A typed key or value as JSON, in bpfmap's form or in the form of
// bpftool's "formatted" member.
#ifndef BPFMAP_FORMATTERS_TYPED_JSON_H_
#define BPFMAP_FORMATTERS_TYPED_JSON_H_

#include "core/codec/leaf_text.h"
#include "core/types/type_node.h"
#include "core/types/typed_scalar.h"
#include "formatters/json_writer.h"

namespace bpfmap {

enum class JsonDialect {
  // Numbers (bitfields too) as numbers, enums by name, char arrays as
  // strings when that loses nothing, anonymous members merged into their
  // parent.
  kBpfmap,
  // As bpftool's btf_dumper: bitfields as "0x.." strings, char arrays as
  // strings when printable ASCII up to a NUL, anonymous members under "".
  kBpftool,
};

// Writes the `type` at `place` in `base` as one JSON value. Formatted
// leaves (kBpfmap only) read `context` (null: none: ages as stamps, symbols as addresses).
void WriteTypedJson(JsonWriter& json, const TypeNode& type,
                    const uint8_t* base, LeafPlace place, JsonDialect dialect,
                    const LeafContext* context = nullptr);

}  // namespace bpfmap

#endif  // BPFMAP_FORMATTERS_TYPED_JSON_H_
