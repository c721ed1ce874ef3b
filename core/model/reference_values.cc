#include "core/model/reference_values.h"

#include <linux/bpf.h>

namespace bpfmap {

const ReferenceValue* ReferenceValueOf(uint32_t map_type,
                                       uint32_t value_size) {
  // Member names follow the kernel's UAPI structs where it has them
  // (struct bpf_devmap_val, struct bpf_cpumap_val), with the program as
  // the id the kernel reports.
  static constexpr ReferenceValue kInnerMap = {
      "struct inner_map { __u32 map_id; }", ReferenceKind::kMap, 0};
  static constexpr ReferenceValue kTailCall = {
      "struct tail_call { __u32 prog_id; }", ReferenceKind::kProgram, 0};
  static constexpr ReferenceValue kDevice = {
      "struct bpf_devmap_val { __u32 ifindex; }", ReferenceKind::kNone, 0};
  static constexpr ReferenceValue kDeviceProgram = {
      "struct bpf_devmap_val { __u32 ifindex; __u32 prog_id; }",
      ReferenceKind::kProgram, 4};
  static constexpr ReferenceValue kCpu = {
      "struct bpf_cpumap_val { __u32 qsize; }", ReferenceKind::kNone, 0};
  static constexpr ReferenceValue kCpuProgram = {
      "struct bpf_cpumap_val { __u32 qsize; __u32 prog_id; }",
      ReferenceKind::kProgram, 4};
  static constexpr ReferenceValue kSocket = {
      "struct socket { __u64 cookie; }", ReferenceKind::kSocket, 0};
  switch (map_type) {
    case BPF_MAP_TYPE_ARRAY_OF_MAPS:
    case BPF_MAP_TYPE_HASH_OF_MAPS:
      return value_size == 4 ? &kInnerMap : nullptr;
    case BPF_MAP_TYPE_PROG_ARRAY:
      return value_size == 4 ? &kTailCall : nullptr;
    case BPF_MAP_TYPE_DEVMAP:
    case BPF_MAP_TYPE_DEVMAP_HASH:
      return value_size == 4   ? &kDevice
             : value_size == 8 ? &kDeviceProgram
                               : nullptr;
    case BPF_MAP_TYPE_CPUMAP:
      return value_size == 4   ? &kCpu
             : value_size == 8 ? &kCpuProgram
                               : nullptr;
    case BPF_MAP_TYPE_SOCKMAP:
    case BPF_MAP_TYPE_SOCKHASH:
      return value_size == 8 ? &kSocket : nullptr;
    default:
      return nullptr;
  }
}

std::string_view ReferenceKindName(ReferenceKind kind) {
  switch (kind) {
    case ReferenceKind::kMap:
      return "map";
    case ReferenceKind::kProgram:
      return "program";
    case ReferenceKind::kSocket:
      return "socket";
    case ReferenceKind::kNone:
      break;
  }
  return "";
}

}  // namespace bpfmap
