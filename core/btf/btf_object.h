// libbpf's BTF objects, owned, with its NULL-plus-errno returns turned into
// results. Data only: nothing here makes a system call (loading BTF into the
// kernel, or from it, is core/kernel's).
#ifndef BPFMAP_CORE_BTF_BTF_OBJECT_H_
#define BPFMAP_CORE_BTF_BTF_OBJECT_H_

#include <memory>
#include <string>

#include "core/base/error.h"

struct btf;

namespace bpfmap {

struct BtfDeleter {
  void operator()(struct btf* btf) const;
};
// An owned libbpf BTF object.
using BtfPtr = std::unique_ptr<struct btf, BtfDeleter>;

// Reads BTF from a file: an ELF object's .BTF section or raw BTF (such as
// /sys/kernel/btf/vmlinux). kBadInput if it holds none, saying why.
Result<BtfPtr> ParseBtfFile(const std::string& path);

// A new, empty BTF object to add types to.
Result<BtfPtr> NewBtf();

// The result of a libbpf btf__add_*() call: the new type's id, or the
// error it returned, naming `what` was being added.
Result<uint32_t> BtfTypeIdOf(int ret, const char* what);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_BTF_BTF_OBJECT_H_
