#include "core/kernel/map_ops.h"

#include <fmt/format.h>
#include <linux/bpf.h>

#include <cerrno>

#include "core/base/debug_log.h"
#include "core/kernel/bpf_adapter.h"
#include "core/kernel/map_error.h"
#include "core/kernel/map_refs.h"

namespace bpfmap {
namespace {

std::string_view AccessNoun(MapAccess access) {
  switch (access) {
    case MapAccess::kKeyed:
      return "keys";
    case MapAccess::kQueue:
      return "push, peek and pop";
    case MapAccess::kBloomFilter:
      return "add and membership tests";
    case MapAccess::kNone:
      return "no element access";
  }
  return "";
}

Error KeyNotFound(std::string_view operation, const Bytes& key,
                  const MapInfo& info) {
  return Error::No(fmt::format("{}: key {} not found in {}", operation,
                               SpacedHex(key.data(), key.size()),
                               info.Label()));
}


Result<Bytes> ReadValue(const MapHandle& map, const Bytes* key,
                        bool and_delete, std::string_view operation,
                        bool lock = false) {
  BPFMAP_ASSIGN_OR_RETURN(ValueLayout layout, LayoutFor(map.info()));
  Bytes value(layout.buffer_size());
  const void* key_ptr = key != nullptr ? key->data() : nullptr;
  Status status = and_delete
                      ? kernel::LookupAndDeleteElem(map.fd(), key_ptr,
                                                    value.data())
                  : lock ? kernel::LookupElemFlags(map.fd(), key_ptr,
                                                   value.data(), BPF_F_LOCK)
                         : kernel::LookupElem(map.fd(), key_ptr, value.data());
  if (status.ok()) return value;
  if (status.error().errno_value() == ENOENT) {
    if (key == nullptr) {
      return Error::No(fmt::format("{}: {} is empty", operation,
                                   map.info().Label()));
    }
    return KeyNotFound(operation, *key, map.info());
  }
  return MapOpError(status.error(), operation, map.info());
}

Status WriteValue(const MapHandle& map, const Bytes* key, const Bytes& value,
                  UpdateMode mode, std::string_view operation,
                  bool lock = false) {
  BPFMAP_RETURN_IF_ERROR(CheckUpdateMode(map.info(), mode));
  // Ids of maps and programs go to the kernel as fds.
  Bytes kernel_value = value;
  std::vector<OwnedFd> held;
  BPFMAP_RETURN_IF_ERROR(IdsToFds(map.info(), kernel_value.data(), held));
  Status status = kernel::UpdateElem(
      map.fd(), key != nullptr ? key->data() : nullptr, kernel_value.data(),
      UpdateFlags(mode) | (lock ? BPF_F_LOCK : 0));
  if (status.ok()) return status;
  int err = status.error().errno_value();
  std::string key_text =
      key != nullptr ? SpacedHex(key->data(), key->size()) : "";
  if (key != nullptr && mode == UpdateMode::kNoExist && err == EEXIST) {
    return Error::No(fmt::format("{}: key {} already exists in {} (noexist)",
                                 operation, key_text, map.info().Label()));
  }
  if (key != nullptr && mode == UpdateMode::kExist && err == ENOENT) {
    return Error::No(fmt::format("{}: key {} not found in {} (exist)",
                                 operation, key_text, map.info().Label()));
  }
  return MapOpError(status.error(), operation, map.info());
}

}  // namespace

Status CheckUpdateMode(const MapInfo& info, UpdateMode mode) {
  // The arrays whose values are descriptors take BPF_ANY only (EINVAL
  // otherwise, which would read as a wrong value).
  bool any_only = info.type == BPF_MAP_TYPE_PROG_ARRAY ||
                  info.type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
                  info.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY ||
                  info.type == BPF_MAP_TYPE_CGROUP_ARRAY;
  if (any_only && mode != UpdateMode::kAny) {
    return Error::BadInput(fmt::format(
        "{}: {} maps take no exist or noexist (the kernel writes them as any)",
        info.Label(), MapTypeName(info.type)));
  }
  return OkStatus();
}

uint64_t UpdateFlags(UpdateMode mode) {
  switch (mode) {
    case UpdateMode::kAny:
      return BPF_ANY;
    case UpdateMode::kNoExist:
      return BPF_NOEXIST;
    case UpdateMode::kExist:
      return BPF_EXIST;
  }
  return BPF_ANY;
}

Status FreezeMap(const MapHandle& map) {
  if (map.info().frozen) {
    LogDebug(fmt::format("freeze: {} is frozen already", map.info().Label()));
    return OkStatus();
  }
  Status frozen = kernel::MapFreeze(map.fd());
  if (frozen.ok()) return OkStatus();
  return MapOpError(frozen.error(), "freeze", map.info());
}

Result<ValueLayout> LayoutFor(const MapInfo& info) {
  ValueLayout layout;
  layout.value_size = info.value_size;
  const MapTypeInfo* type = FindMapType(info.type);
  layout.per_cpu = type != nullptr && type->per_cpu;
  if (layout.per_cpu) {
    BPFMAP_ASSIGN_OR_RETURN(int cpus, kernel::PossibleCpus());
    layout.cpus = static_cast<uint32_t>(cpus);
    layout.stride = (info.value_size + 7) / 8 * 8;
  } else {
    layout.stride = info.value_size;
  }
  return layout;
}

Status RequireAccess(const MapInfo& info, MapAccess access,
                     std::string_view operation) {
  MapAccess actual = AccessOf(info.type);
  if (actual == access) return OkStatus();
  Error error = Error::Unsupported(
      fmt::format("{}: {} is of type {}, which supports {}", operation,
                  info.Label(), MapTypeName(info.type), AccessNoun(actual)));
  std::string instead = WhatInstead(info.type);
  return instead.empty() ? error : error.WithHint(instead);
}

Status RequireDeletable(const MapInfo& info, std::string_view operation) {
  if (info.type == BPF_MAP_TYPE_ARRAY ||
      info.type == BPF_MAP_TYPE_PERCPU_ARRAY) {
    return Error::Unsupported(fmt::format(
        "{}: {} is of type {}, which has no delete: every index always "
        "exists (write zeros instead)",
        operation, info.Label(), MapTypeName(info.type)));
  }
  return OkStatus();
}

Status RequireLockable(const MapInfo& info) {
  if (info.btf_value_type_id != 0) return OkStatus();
  return Error::BadInput(fmt::format(
      "lock: {} has no BTF for its values, so they hold no bpf_spin_lock",
      info.Label()));
}

Result<Bytes> LookupValue(const MapHandle& map, const Bytes& key, bool lock) {
  BPFMAP_RETURN_IF_ERROR(RequireAccess(map.info(), MapAccess::kKeyed, "get"));
  if (lock) BPFMAP_RETURN_IF_ERROR(RequireLockable(map.info()));
  return ReadValue(map, &key, /*and_delete=*/false, "get", lock);
}

Status UpdateValue(const MapHandle& map, const Bytes& key, const Bytes& value,
                   UpdateMode mode, bool lock) {
  BPFMAP_RETURN_IF_ERROR(RequireAccess(map.info(), MapAccess::kKeyed, "put"));
  if (lock) BPFMAP_RETURN_IF_ERROR(RequireLockable(map.info()));
  return WriteValue(map, &key, value, mode, "put", lock);
}

Status DeleteKey(const MapHandle& map, const Bytes& key) {
  BPFMAP_RETURN_IF_ERROR(RequireAccess(map.info(), MapAccess::kKeyed, "del"));
  BPFMAP_RETURN_IF_ERROR(RequireDeletable(map.info(), "del"));
  Status status = kernel::DeleteElem(map.fd(), key.data());
  if (status.ok()) return status;
  if (status.error().errno_value() == ENOENT) {
    return KeyNotFound("del", key, map.info());
  }
  return MapOpError(status.error(), "del", map.info());
}

Result<Bytes> NextKey(const MapHandle& map, const Bytes* key) {
  BPFMAP_RETURN_IF_ERROR(
      RequireAccess(map.info(), MapAccess::kKeyed, "getnext"));
  Bytes next(map.info().key_size, 0);
  Status status = kernel::GetNextKey(
      map.fd(), key != nullptr ? key->data() : nullptr, next.data());
  if (status.ok()) return next;
  if (status.error().errno_value() == ENOENT) {
    return Error::No(
        key != nullptr
            ? fmt::format("getnext: no key after {} in {}",
                          SpacedHex(key->data(), key->size()),
                          map.info().Label())
            : fmt::format("getnext: {} is empty", map.info().Label()));
  }
  return MapOpError(status.error(), "getnext", map.info());
}

Status PushValue(const MapHandle& map, const Bytes& value, UpdateMode mode) {
  BPFMAP_RETURN_IF_ERROR(RequireAccess(map.info(), MapAccess::kQueue, "push"));
  return WriteValue(map, nullptr, value, mode, "push");
}

Result<Bytes> PeekValue(const MapHandle& map) {
  BPFMAP_RETURN_IF_ERROR(RequireAccess(map.info(), MapAccess::kQueue, "peek"));
  return ReadValue(map, nullptr, /*and_delete=*/false, "peek");
}

Result<Bytes> PopValue(const MapHandle& map) {
  BPFMAP_RETURN_IF_ERROR(RequireAccess(map.info(), MapAccess::kQueue, "pop"));
  return ReadValue(map, nullptr, /*and_delete=*/true, "pop");
}

Status AddToBloomFilter(const MapHandle& map, const Bytes& value) {
  BPFMAP_RETURN_IF_ERROR(
      RequireAccess(map.info(), MapAccess::kBloomFilter, "add"));
  return WriteValue(map, nullptr, value, UpdateMode::kAny, "add");
}

Status TestBloomFilter(const MapHandle& map, const Bytes& value) {
  BPFMAP_RETURN_IF_ERROR(
      RequireAccess(map.info(), MapAccess::kBloomFilter, "test"));
  Bytes copy = value;
  Status status = kernel::LookupElem(map.fd(), nullptr, copy.data());
  if (status.ok()) return status;
  if (status.error().errno_value() == ENOENT) {
    return Error::No(fmt::format("get: value {} is not in {}",
                                 SpacedHex(value.data(), value.size()),
                                 map.info().Label()));
  }
  return MapOpError(status.error(), "test", map.info());
}

}  // namespace bpfmap
