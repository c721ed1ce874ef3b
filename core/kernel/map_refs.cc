#include "core/kernel/map_refs.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include <linux/bpf.h>
#include <unistd.h>

#include "core/kernel/bpf_adapter.h"
#include "core/kernel/map_handle.h"

namespace bpfmap {
namespace {

Error NoSuch(ReferenceKind kind, uint32_t id, const Error& error) {
  if (error.errno_value() == ENOENT) {
    return Error::System(
        0, fmt::format("no {} has id {}", ReferenceKindName(kind), id));
  }
  return error.WithContext(fmt::format("{} {}", ReferenceKindName(kind), id));
}

// Whether `fd` is a program (its /proc link says so).
Result<bool> IsProgFd(int fd) {
  BPFMAP_ASSIGN_OR_RETURN(std::string target, kernel::FdTarget(fd));
  return target == "anon_inode:bpf-prog";
}

// The id of the program `ref` names.
Result<uint32_t> ProgramId(const MapRef& ref) {
  if (ref.kind == MapRef::Kind::kName) {
    // Programs by name: every program the kernel holds, as for maps.
    std::vector<uint32_t> matches;
    BPFMAP_RETURN_IF_ERROR(kernel::ForEachProg([&](uint32_t id, int fd) {
      Result<kernel::ProgInfo> info = kernel::ProgInfoByFd(fd);
      if (info.ok() && info->name == ref.name) matches.push_back(id);
      return OkStatus();
    }));
    if (matches.size() == 1) return matches[0];
    if (matches.empty()) {
      return Error::System(
          0, fmt::format("name {}: no program has this name", ref.name));
    }
    return Error::BadInput(fmt::format(
        "name {}: {} programs have this name (ids {}); use id ID", ref.name,
        matches.size(), fmt::join(matches, ", ")));
  }
  Result<int> fd = ref.kind == MapRef::Kind::kId
                       ? kernel::ProgFdById(ref.id)
                       : kernel::ObjGet(ref.path, /*read_only=*/false);
  if (!fd.ok()) {
    if (ref.kind == MapRef::Kind::kId) {
      return NoSuch(ReferenceKind::kProgram, ref.id, fd.error());
    }
    return fd.error().WithContext(ref.ToString());
  }
  OwnedFd owned(*fd);
  BPFMAP_ASSIGN_OR_RETURN(bool is_prog, IsProgFd(owned.get()));
  if (!is_prog) {
    return Error::BadInput(
        fmt::format("{}: not a BPF program", ref.ToString()));
  }
  BPFMAP_ASSIGN_OR_RETURN(kernel::ProgInfo info,
                          kernel::ProgInfoByFd(owned.get()));
  return info.id;
}

}  // namespace

bool WritesReferences(const MapInfo& info) {
  const ReferenceValue* ref = ReferenceValueOf(info.type, info.value_size);
  return ref != nullptr && ref->kind != ReferenceKind::kNone;
}

Status IdsToFds(const MapInfo& info, uint8_t* value,
                std::vector<OwnedFd>& held) {
  const ReferenceValue* ref = ReferenceValueOf(info.type, info.value_size);
  if (ref == nullptr || ref->kind == ReferenceKind::kNone) return OkStatus();
  if (ref->kind == ReferenceKind::kSocket) {
    return Error::Unsupported(fmt::format(
        "{} holds sockets: a lookup gives a socket's cookie, but no socket "
        "can be opened from it; the process that owns a socket, or a BPF "
        "program, adds it",
        info.Label()));
  }
  uint32_t id;
  std::memcpy(&id, value + ref->id_offset, sizeof(id));
  bool program = ref->kind == ReferenceKind::kProgram;
  if (id == 0) {
    // A devmap or cpumap entry without a program (fd 0 says none); a map
    // of maps or a program array entry always names one.
    if (program && info.type != BPF_MAP_TYPE_PROG_ARRAY) return OkStatus();
    return Error::BadInput(fmt::format(
        "{} id 0: an entry of {} holds a {}; to empty the slot, del its key",
        ReferenceKindName(ref->kind), info.Label(),
        ReferenceKindName(ref->kind)));
  }
  Result<int> fd = program ? kernel::ProgFdById(id)
                           : kernel::MapFdById(id, /*read_only=*/false);
  if (!fd.ok()) return NoSuch(ref->kind, id, fd.error());
  held.emplace_back(*fd);
  int32_t kernel_fd = *fd;
  std::memcpy(value + ref->id_offset, &kernel_fd, sizeof(kernel_fd));
  return OkStatus();
}

Result<uint32_t> ReferenceId(ReferenceKind kind, const MapRef& ref) {
  if (kind == ReferenceKind::kProgram) return ProgramId(ref);
  if (kind != ReferenceKind::kMap) {
    return Error::BadInput(fmt::format(
        "{}: these values are not maps or programs", ref.ToString()));
  }
  if (ref.kind == MapRef::Kind::kId) {
    // Checked now, so that a wrong id is said before anything is written.
    Result<int> fd = kernel::MapFdById(ref.id, /*read_only=*/true);
    if (!fd.ok()) return NoSuch(ReferenceKind::kMap, ref.id, fd.error());
    OwnedFd owned(*fd);
    return ref.id;
  }
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(ref, OpenMode::kReadOnly));
  return map.info().id;
}

Result<Bytes> ValueNaming(const MapInfo& info, const MapRef& ref) {
  const ReferenceValue* view = ReferenceValueOf(info.type, info.value_size);
  if (view == nullptr || (view->kind != ReferenceKind::kMap &&
                          view->kind != ReferenceKind::kProgram)) {
    return Error::BadInput(fmt::format(
        "{}: its values hold no maps or programs", info.Label()));
  }
  BPFMAP_ASSIGN_OR_RETURN(uint32_t id, ReferenceId(view->kind, ref));
  Bytes value(info.value_size, 0);
  std::memcpy(value.data() + view->id_offset, &id, sizeof(id));
  return value;
}

Result<Bytes> DeviceValue(const MapInfo& info, const std::string& ifname,
                          const std::optional<MapRef>& prog) {
  const ReferenceValue* view = ReferenceValueOf(info.type, info.value_size);
  if (view == nullptr) {
    return Error::BadInput(
        fmt::format("{}: its values hold no devices", info.Label()));
  }
  if (prog && view->kind != ReferenceKind::kProgram) {
    return Error::BadInput(fmt::format(
        "{} has 4-byte values: an interface, no program", info.Label()));
  }
  BPFMAP_ASSIGN_OR_RETURN(uint32_t ifindex, kernel::InterfaceIndex(ifname));
  Bytes value(info.value_size, 0);
  std::memcpy(value.data(), &ifindex, sizeof(ifindex));
  if (prog) {
    Result<uint32_t> id = ReferenceId(ReferenceKind::kProgram, *prog);
    if (!id.ok()) return id.error().WithContext("prog");
    std::memcpy(value.data() + view->id_offset, &*id, sizeof(uint32_t));
  }
  return value;
}

}  // namespace bpfmap
