#include "core/kernel/map_error.h"

#include <fmt/format.h>
#include <linux/bpf.h>

#include <cerrno>

#include "core/model/map_types.h"

namespace bpfmap {
namespace {

bool IsUnsupported(int err) {
  return err == kErrNotSupported || err == EOPNOTSUPP;
}

bool IsWrite(std::string_view operation) {
  return operation == "put" || operation == "push" || operation == "add";
}

bool IsRead(std::string_view operation) {
  return operation == "get" || operation == "dump" || operation == "drain" ||
         operation == "peek";
}

}  // namespace

std::string WhatInstead(uint32_t type) {
  switch (type) {
    case BPF_MAP_TYPE_RINGBUF:
      return "read its records with 'bpfmap events MAP'";
    case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
      return "read its records with 'bpfmap events MAP --take'";
    case BPF_MAP_TYPE_USER_RINGBUF:
      return "only the program reads it; write a record with 'bpfmap put MAP "
             "value V'";
    case BPF_MAP_TYPE_TASK_STORAGE:
      return "read one task's value with 'bpfmap get MAP key pid PID'";
    case kMapTypeCgrpStorage:
      return "read one cgroup's value with 'bpfmap get MAP key cgroup PATH'";
    case BPF_MAP_TYPE_INODE_STORAGE:
      return "read one file's value with 'bpfmap get MAP key file PATH'";
    case BPF_MAP_TYPE_SK_STORAGE:
      return "read one socket's value with 'bpfmap get MAP key socket PID FD'";
    default:
      return "";
  }
}

bool LacksCall(const Error& error) {
  int e = error.errno_value();
  return IsUnsupported(e) || e == EINVAL;
}

Error MapOpError(const Error& error, std::string_view operation,
                 const MapInfo& info) {
  return ExplainMapError(
      error.WithContext(fmt::format("{} in {}", operation, info.Label())),
      operation, info);
}

Error ExplainMapError(const Error& error, std::string_view operation,
                      const MapInfo& info) {
  Error in_map = error;
  int err = error.errno_value();
  if (IsUnsupported(err)) {
    in_map = in_map.AsKind(ErrorKind::kUnsupported);
    if (operation == "freeze") {
      return in_map.WithHint(
          info.type == BPF_MAP_TYPE_STRUCT_OPS
              ? "maps of type struct_ops cannot be frozen"
              : "the kernel does not freeze maps whose values hold a "
                "bpf_spin_lock, timer or kernel pointer");
    }
    if (IsRead(operation)) {
      std::string instead = WhatInstead(info.type);
      return in_map.WithHint(
          fmt::format("the kernel does not let user space read entries of {} "
                      "maps{}{}",
                      MapTypeName(info.type), instead.empty() ? "" : "; ",
                      instead));
    }
    return in_map.WithHint(fmt::format("the kernel has no {} for {} maps",
                                       operation, MapTypeName(info.type)));
  }
  if (err == EPERM && info.frozen) {
    // Not a privilege problem: the kernel refuses every change.
    return in_map.WithHint("the map is frozen: it can be read, not changed");
  }
  if (err == E2BIG && IsWrite(operation) && IsIndexed(info.type)) {
    // The key did not fit the map: the user's input, not the system.
    return in_map.AsKind(ErrorKind::kBadInput)
        .WithHint(fmt::format("the index is past the last: the map has {} "
                              "entries, 0 to {}",
                              info.max_entries, info.max_entries - 1));
  }
  if (err == EINVAL && IsWrite(operation) && IsMapOfMaps(info.type)) {
    // The map given does not match the outer map's template: the input.
    return in_map.AsKind(ErrorKind::kBadInput)
        .WithHint("the inner map must match the map the outer map was "
                  "created with (inner_map): type, key and value sizes and "
                  "flags, entries for arrays, and on older kernels (6.1) "
                  "whether it has BTF");
  }
  if (err == EINVAL && IsWrite(operation) &&
      info.type == BPF_MAP_TYPE_PROG_ARRAY) {
    return in_map.AsKind(ErrorKind::kBadInput)
        .WithHint("a program array holds programs of one type (that of the "
                  "first program put in it, or of the program that uses "
                  "it)");
  }
  bool device_or_cpu = info.type == BPF_MAP_TYPE_DEVMAP ||
                       info.type == BPF_MAP_TYPE_DEVMAP_HASH ||
                       info.type == BPF_MAP_TYPE_CPUMAP;
  if (err == EINVAL && IsWrite(operation) && device_or_cpu &&
      info.value_size == 8) {
    return in_map.AsKind(ErrorKind::kBadInput)
        .WithHint(info.type == BPF_MAP_TYPE_CPUMAP
                      ? "a program in a cpumap entry must be an XDP program "
                        "loaded for it (SEC(\"xdp/cpumap\"))"
                      : "a program in a devmap entry must be an XDP program "
                        "loaded for it (SEC(\"xdp/devmap\")), and the device "
                        "must exist");
  }
  if (err == E2BIG && IsWrite(operation)) {
    return in_map.WithHint(
        fmt::format("the map is full ({} entries)", info.max_entries));
  }
  if (err == EBUSY && operation == "freeze") {
    return in_map.WithHint(
        "a process has the map mapped writable (mmap), or froze it just now");
  }
  return in_map;
}

}  // namespace bpfmap
