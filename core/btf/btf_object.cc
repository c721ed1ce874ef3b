#include "core/btf/btf_object.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>

#include <cerrno>

namespace bpfmap {

void BtfDeleter::operator()(struct btf* btf) const { btf__free(btf); }

Result<BtfPtr> ParseBtfFile(const std::string& path) {
  struct btf* btf = btf__parse(path.c_str(), nullptr);
  if (btf != nullptr) return BtfPtr(btf);
  // libbpf's own codes (LIBBPF_ERRNO__FORMAT: "not an ELF file", ...) have
  // no strerror() text; libbpf_strerror() knows them.
  int err = errno;
  char text[128];
  libbpf_strerror(err, text, sizeof(text));
  return Error::BadInput(fmt::format("no BTF could be read: {}", text));
}

Result<BtfPtr> NewBtf() {
  struct btf* btf = btf__new_empty();
  if (btf == nullptr) return Error::System(errno, "create BTF");
  return BtfPtr(btf);
}

Result<uint32_t> BtfTypeIdOf(int ret, const char* what) {
  if (ret < 0) return Error::System(-ret, std::string("add BTF ") + what);
  return static_cast<uint32_t>(ret);
}

}  // namespace bpfmap
