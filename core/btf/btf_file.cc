#include "core/btf/btf_file.h"

#include <bpf/btf.h>
#include <fmt/format.h>

#include "core/btf/btf_type.h"

namespace bpfmap {

Result<BtfFile> BtfFile::Open(const std::string& path) {
  Result<BtfPtr> btf = ParseBtfFile(path);
  if (!btf.ok()) return btf.error().WithContext(fmt::format("--btf {}", path));
  return BtfFile(std::move(*btf), path);
}

Result<TypeRef> BtfFile::Find(std::string_view keyword,
                              std::string_view name) const {
  std::vector<uint32_t> kinds;
  if (keyword == "struct") kinds = {BTF_KIND_STRUCT};
  if (keyword == "union") kinds = {BTF_KIND_UNION};
  if (keyword == "enum") kinds = {BTF_KIND_ENUM, BTF_KIND_ENUM64};
  if (keyword == "typedef") kinds = {BTF_KIND_TYPEDEF};
  std::string wanted(name);
  for (uint32_t kind : kinds) {
    int id = btf__find_by_name_kind(btf_.get(), wanted.c_str(), kind);
    if (id > 0) {
      Result<TypeRef> type = TypeFromBtf(btf_.get(), id);
      if (!type.ok()) {
        return type.error().WithContext(
            fmt::format("{} {} in {}", keyword, name, path_));
      }
      return type;
    }
  }
  return Error::BadInput(
      fmt::format("{} {}: not found in {}", keyword, name, path_));
}

NamedTypeLookup BtfFile::Lookup() const {
  return [this](std::string_view keyword, std::string_view name) {
    return Find(keyword, name);
  };
}

}  // namespace bpfmap
