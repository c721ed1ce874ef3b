#include "core/kernel/features.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <map>

#include "core/base/debug_log.h"
#include "core/model/map_types.h"

namespace bpfmap {

std::string KernelRelease() {
  struct utsname name {};
  if (uname(&name) != 0) return "unknown";
  return name.release;
}

Error FeatureMissing(std::string_view feature, std::string_view since) {
  return Error::Unsupported(fmt::format("{} needs Linux {}; this kernel is {}",
                                        feature, since, KernelRelease()));
}

namespace {

// Types newer than this libbpf's probe (Debian 12's libbpf 1.1 stops at
// cgrp_storage): a map made with the attributes the type needs. EINVAL
// then means the kernel does not know the type. 1 yes, 0 no, <0 unknown.
int ProbeNewerMapType(uint32_t type) {
  constexpr uint32_t kArena = 33;
  if (type != kArena) return -EOPNOTSUPP;
  LIBBPF_OPTS(bpf_map_create_opts, opts);
  opts.map_flags = BPF_F_MMAPABLE;
  int fd = bpf_map_create(static_cast<bpf_map_type>(type), nullptr, 0, 0, 1,
                          &opts);
  if (fd >= 0) {
    close(fd);
    return 1;
  }
  return errno == EINVAL ? 0 : -errno;
}

}  // namespace

Status ProbeMapType(uint32_t type) {
  static std::map<uint32_t, int> probed;  // type -> 1 yes, 0 no, <0 unknown
  auto [it, fresh] = probed.try_emplace(type, 0);
  if (fresh) {
    it->second = libbpf_probe_bpf_map_type(static_cast<bpf_map_type>(type),
                                           nullptr);
    if (it->second == -EOPNOTSUPP) it->second = ProbeNewerMapType(type);
    LogDebug(fmt::format("probe: map type {}: {}", MapTypeName(type),
                         it->second == 1   ? "present"
                         : it->second == 0 ? "missing"
                                           : "cannot tell"));
  }
  if (it->second != 0) return OkStatus();  // present, or cannot tell
  std::string feature = "BPF_MAP_TYPE_";
  for (char c : MapTypeName(type)) feature += std::toupper(c);
  const MapTypeInfo* info = FindMapType(type);
  return FeatureMissing(feature, info != nullptr ? info->since : "?");
}

namespace {

// Whether the kernel loads a BTF holding one type of `kind`: 1 yes, 0 no
// (EINVAL), -1 cannot tell.
int LoadsBtfKind(uint32_t kind) {
  struct btf* btf = btf__new_empty();
  if (btf == nullptr) return -1;
  int added = kind == BTF_KIND_FLOAT ? btf__add_float(btf, "double", 8)
                                     : btf__add_enum64(btf, "e", 8, false);
  if (added > 0 && kind == BTF_KIND_ENUM64) {
    added = btf__add_enum64_value(btf, "E", uint64_t{1} << 40);
  }
  int loaded = added < 0 ? added : btf__load_into_kernel(btf);
  btf__free(btf);
  if (loaded == 0) return 1;
  return loaded == -EINVAL ? 0 : -1;
}

}  // namespace

Status ProbeBtfKinds(const struct btf* btf) {
  static std::map<uint32_t, int> probed;  // kind -> LoadsBtfKind()
  struct Kind {
    uint32_t kind;
    const char* feature;
    const char* since;
  };
  for (Kind kind : {Kind{BTF_KIND_FLOAT, "BTF_KIND_FLOAT", "5.13"},
                    Kind{BTF_KIND_ENUM64, "BTF_KIND_ENUM64", "6.0"}}) {
    bool used = false;
    for (uint32_t id = 1; id < btf__type_cnt(btf) && !used; ++id) {
      used = btf_kind(btf__type_by_id(btf, id)) == kind.kind;
    }
    if (!used) continue;
    auto [it, fresh] = probed.try_emplace(kind.kind, 0);
    if (fresh) {
      it->second = LoadsBtfKind(kind.kind);
      LogDebug(fmt::format("probe: {}: {}", kind.feature,
                           it->second == 1   ? "present"
                           : it->second == 0 ? "missing"
                                             : "cannot tell"));
    }
    if (it->second == 0) return FeatureMissing(kind.feature, kind.since);
  }
  return OkStatus();
}

}  // namespace bpfmap
