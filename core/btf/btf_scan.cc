#include "core/btf/btf_scan.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/btf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bpfmap {
namespace {

template <typename T>
T Read(std::string_view raw, size_t at) {
  T value;
  std::memcpy(&value, raw.data() + at, sizeof(T));
  return value;
}

// Bytes that follow a type record of `kind` with `vlen` members; -1 for a
// kind this walk does not know.
long ExtraBytes(uint32_t kind, uint32_t vlen) {
  switch (kind) {
    case BTF_KIND_INT:
      return 4;
    case BTF_KIND_ARRAY:
      return sizeof(struct btf_array);
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
      return long{vlen} * sizeof(struct btf_member);
    case BTF_KIND_ENUM:
      return long{vlen} * sizeof(struct btf_enum);
    case BTF_KIND_FUNC_PROTO:
      return long{vlen} * sizeof(struct btf_param);
    case BTF_KIND_VAR:
      return sizeof(struct btf_var);
    case BTF_KIND_DATASEC:
      return long{vlen} * sizeof(struct btf_var_secinfo);
    case 17:
      return 4;  // BTF_KIND_DECL_TAG
    case 19:
      return long{vlen} * 12;  // BTF_KIND_ENUM64
    case BTF_KIND_PTR:
    case BTF_KIND_FWD:
    case BTF_KIND_TYPEDEF:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_CONST:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_FUNC:
    case BTF_KIND_FLOAT:
    case 18:  // BTF_KIND_TYPE_TAG
      return 0;
    default:
      return -1;
  }
}

}  // namespace

Result<uint32_t> FindTypeInRawBtf(std::string_view raw, uint32_t kind,
                                  std::string_view name) {
  if (raw.size() < sizeof(struct btf_header) ||
      Read<uint16_t>(raw, 0) != BTF_MAGIC) {
    return Error::BadInput("not BTF (no header in this byte order)");
  }
  auto header = Read<struct btf_header>(raw, 0);
  uint64_t types = uint64_t{header.hdr_len} + header.type_off;
  uint64_t types_end = types + header.type_len;
  uint64_t strings = uint64_t{header.hdr_len} + header.str_off;
  uint64_t strings_end = strings + header.str_len;
  if (types_end > raw.size() || strings_end > raw.size()) {
    return Error::BadInput("BTF sections run past its end");
  }
  uint32_t id = 1;
  for (uint64_t at = types; at < types_end; ++id) {
    if (at + sizeof(struct btf_type) > types_end) {
      return Error::BadInput(fmt::format("BTF type {} is cut short", id));
    }
    auto type = Read<struct btf_type>(raw, at);
    uint32_t this_kind = BTF_INFO_KIND(type.info);
    long extra = ExtraBytes(this_kind, BTF_INFO_VLEN(type.info));
    if (extra < 0) {
      return Error::BadInput(fmt::format(
          "BTF type {} is of kind {}, unknown here", id, this_kind));
    }
    if (this_kind == kind && type.name_off < header.str_len) {
      const char* text = raw.data() + strings + type.name_off;
      size_t room = header.str_len - type.name_off;
      size_t length = strnlen(text, room);
      if (length < room && std::string_view(text, length) == name) return id;
    }
    at += sizeof(struct btf_type) + static_cast<uint64_t>(extra);
  }
  return Error::No(fmt::format("no BTF type {} of kind {}", name, kind));
}

Result<uint32_t> FindVmlinuxType(uint32_t kind, std::string_view name) {
  const char* path = "/sys/kernel/btf/vmlinux";
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Error::System(errno, fmt::format("open {}", path));
  }
  // sysfs gives the size; a read past it returns 0.
  struct stat st {};
  fstat(fd, &st);
  std::string raw(static_cast<size_t>(st.st_size) + 4096, '\0');
  size_t filled = 0;
  while (filled < raw.size()) {
    ssize_t n = read(fd, raw.data() + filled, raw.size() - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n < 0) {
        int err = errno;
        close(fd);
        return Error::System(err, fmt::format("read {}", path));
      }
      break;
    }
    filled += static_cast<size_t>(n);
    if (filled == raw.size()) raw.resize(raw.size() * 2);
  }
  close(fd);
  raw.resize(filled);
  Result<uint32_t> id = FindTypeInRawBtf(raw, kind, name);
  if (!id.ok()) return id.error().WithContext(path);
  return id;
}

}  // namespace bpfmap
