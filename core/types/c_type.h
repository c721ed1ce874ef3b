// C type expressions, as --key-type, --value-type and `create` take them:
// u32, char[16], unsigned long, 'struct { u64 packets; u64 bytes; }',
// 'enum color { RED, GREEN = 4 }', or a named type (struct flow_key,
// typedef pid_t) looked up in a BTF file. Layout follows the C ABI of the
// BPF target (natural alignment, bitfields packed within their type).
#ifndef BPFMAP_CORE_TYPES_C_TYPE_H_
#define BPFMAP_CORE_TYPES_C_TYPE_H_

#include <functional>
#include <string_view>

#include "core/base/error.h"
#include "core/types/type_node.h"

namespace bpfmap {

// Finds a named type: `keyword` is "struct", "union", "enum" or "typedef".
// Returns kBadInput if there is no such type.
using NamedTypeLookup =
    std::function<Result<TypeRef>(std::string_view keyword,
                                  std::string_view name)>;

// Parses `text` into a type tree. Named types that are not defined inline
// come from `lookup` (which may be empty: no BTF file given). kBadInput
// names the word that was wrong.
Result<TypeRef> ParseCType(std::string_view text,
                           const NamedTypeLookup& lookup);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_TYPES_C_TYPE_H_
