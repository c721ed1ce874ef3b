// Named types from a BTF file, for --btf FILE: a BPF object's .BTF section
// or raw BTF such as /sys/kernel/btf/vmlinux.
#ifndef BPFMAP_CORE_BTF_BTF_FILE_H_
#define BPFMAP_CORE_BTF_BTF_FILE_H_

#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/btf/btf_object.h"
#include "core/types/c_type.h"
#include "core/types/type_node.h"

namespace bpfmap {

class BtfFile {
 public:
  // Reads `path`. kBadInput naming the file if it holds no readable BTF.
  static Result<BtfFile> Open(const std::string& path);

  // The type `keyword` ("struct", "union", "enum", "typedef") `name`;
  // kBadInput naming the file if there is none.
  Result<TypeRef> Find(std::string_view keyword, std::string_view name) const;

  // Find() as ParseCType() takes it; valid while this BtfFile lives.
  NamedTypeLookup Lookup() const;

 private:
  BtfFile(BtfPtr btf, std::string path)
      : btf_(std::move(btf)), path_(std::move(path)) {}
  BtfPtr btf_;
  std::string path_;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_BTF_BTF_FILE_H_
