// BTF built from type trees, so a map created from C types carries them and
// every BTF-aware tool shows it typed.
#ifndef BPFMAP_CORE_BTF_BTF_BUILD_H_
#define BPFMAP_CORE_BTF_BTF_BUILD_H_

#include "core/base/error.h"
#include "core/btf/btf_object.h"
#include "core/types/type_node.h"

namespace bpfmap {

struct BuiltBtf {
  BtfPtr btf;
  uint32_t key_type_id = 0;    // 0 if no key type was given
  uint32_t value_type_id = 0;  // 0 if no value type was given
};

// A BTF object holding `key` and `value` (either may be null), not yet
// loaded into the kernel.
Result<BuiltBtf> BuildBtf(const TypeNode* key, const TypeNode* value);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_BTF_BTF_BUILD_H_
