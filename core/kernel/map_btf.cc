#include "core/kernel/map_btf.h"

#include <fmt/format.h>

#include "core/kernel/bpf_adapter.h"

namespace bpfmap {

Result<MapTypes> LoadMapTypes(const MapInfo& info) {
  MapTypes types;
  if (info.btf_id == 0) return types;
  std::string context = fmt::format("{}: BTF {}", info.Label(), info.btf_id);
  Result<BtfPtr> btf = kernel::LoadBtfById(info.btf_id);
  if (!btf.ok()) return btf.error().WithContext(context);
  if (info.btf_key_type_id != 0) {
    Result<TypeRef> key = TypeFromBtf(btf->get(), info.btf_key_type_id);
    if (!key.ok()) return key.error().WithContext(context + ": key");
    types.key = *key;
  }
  if (info.btf_value_type_id != 0) {
    Result<TypeRef> value = TypeFromBtf(btf->get(), info.btf_value_type_id);
    if (!value.ok()) return value.error().WithContext(context + ": value");
    types.value = *value;
  }
  return types;
}

}  // namespace bpfmap
