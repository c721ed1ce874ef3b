// What this kernel can do, probed when it matters (after a failure, or
// before a choice) and at most once per run, as cilium/ebpf's
// internal/feature does. Support is decided by probing, never by the
// version string; the release is only named in messages.
#ifndef BPFMAP_CORE_KERNEL_FEATURES_H_
#define BPFMAP_CORE_KERNEL_FEATURES_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/error.h"

struct btf;

namespace bpfmap {

// The running kernel's release, as uname(2) gives it ("6.1.0-28-amd64").
std::string KernelRelease();

// kUnsupported: "`feature` needs Linux `since`; this kernel is RELEASE".
Error FeatureMissing(std::string_view feature, std::string_view since);

// OK if this kernel has maps of `type` (or if the probe cannot tell);
// else FeatureMissing() naming BPF_MAP_TYPE_... and the first release that
// has it. The probe makes a throwaway map, so it needs the privileges a
// create does: call it after a create failed with EINVAL (libbpf's probe
// reads any failure, EPERM too, as "missing").
Status ProbeMapType(uint32_t type);

// OK if this kernel loads the BTF kinds newer than BTF itself that `btf`
// uses (BTF_KIND_FLOAT, Linux 5.13; BTF_KIND_ENUM64, 6.0), or if a probe
// cannot tell; else FeatureMissing() for the first it lacks. For after a
// load of `btf` failed.
Status ProbeBtfKinds(const struct btf* btf);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_FEATURES_H_
