// Reads a type tree (core/types/type_node.h) out of libbpf's BTF.
#ifndef BPFMAP_CORE_BTF_BTF_TYPE_H_
#define BPFMAP_CORE_BTF_BTF_TYPE_H_

#include "core/base/error.h"
#include "core/types/type_node.h"

struct btf;

namespace bpfmap {

// Builds the tree for `type_id` in `btf`. kBadInput if the type cannot hold
// map data (void, a forward declaration, a function) or nests too deeply.
Result<TypeRef> TypeFromBtf(const struct btf* btf, uint32_t type_id);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_BTF_BTF_TYPE_H_
