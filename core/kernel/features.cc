#include "core/kernel/features.h"

#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <sys/utsname.h>

#include <cctype>
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

Status ProbeMapType(uint32_t type) {
  static std::map<uint32_t, int> probed;  // type -> libbpf's answer
  auto [it, fresh] = probed.try_emplace(type, 0);
  if (fresh) {
    it->second = libbpf_probe_bpf_map_type(static_cast<bpf_map_type>(type),
                                           nullptr);
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

}  // namespace bpfmap
