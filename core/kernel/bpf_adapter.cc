#include "core/kernel/bpf_adapter.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>

#include <linux/perf_event.h>
#include <net/if.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include "core/kernel/libbpf_log.h"

namespace bpfmap::kernel {
namespace {

// libbpf 1.x (libbpf 1.0 mode is its only mode) returns -errno on failure.
int ErrnoOf(int ret) { return -ret; }

// An errno, or one of libbpf's own codes (which strerror() does not know),
// as an error naming `what` was attempted.
Error ErrorOf(int err, const char* what) {
  Error error = Error::System(err, what);
  if (err >= __LIBBPF_ERRNO__START && err < __LIBBPF_ERRNO__END) {
    char text[128];
    libbpf_strerror(err, text, sizeof(text));
    error = error.WithCause(text);
  }
  return error;
}

Status StatusOf(int ret, const char* what) {
  if (ret >= 0) return OkStatus();
  return ErrorOf(ErrnoOf(ret), what);
}

Result<int> FdOf(int ret, const char* what) {
  if (ret >= 0) return ret;
  return ErrorOf(ErrnoOf(ret), what);
}

// The line of a libbpf warning that says why: libbpf wraps the kernel's
// BTF log in "-- BEGIN BTF LOAD LOG ---" ... "-- END BTF LOAD LOG --",
// whose last line is the kernel's reason. Errors stay one line.
std::string LastReason(const std::string& warning) {
  std::string reason;
  size_t start = 0;
  while (start <= warning.size()) {
    size_t end = warning.find('\n', start);
    if (end == std::string::npos) end = warning.size();
    std::string line = warning.substr(start, end - start);
    if (!line.empty() && line.rfind("-- ", 0) != 0) reason = line;
    start = end + 1;
  }
  return reason;
}

}  // namespace

Result<int> ObjGet(const std::string& path, bool read_only) {
  LIBBPF_OPTS(bpf_obj_get_opts, opts);
  opts.file_flags = read_only ? BPF_F_RDONLY : 0;
  return FdOf(bpf_obj_get_opts(path.c_str(), &opts), "open pinned object");
}

Status ObjPin(int fd, const std::string& path) {
  return StatusOf(bpf_obj_pin(fd, path.c_str()), "pin");
}

Result<int> MapFdById(uint32_t id, bool read_only) {
  LIBBPF_OPTS(bpf_get_fd_by_id_opts, opts);
  opts.open_flags = read_only ? BPF_F_RDONLY : 0;
  Result<int> fd = FdOf(bpf_map_get_fd_by_id_opts(id, &opts), "open map by id");
  if (!fd.ok() && fd.error().errno_value() == EPERM) {
    return fd.error().WithHint("opening a map by id needs CAP_SYS_ADMIN");
  }
  return fd;
}

// The id after `start_id` from libbpf's `next_id` call, nullopt after the
// last.
Result<std::optional<uint32_t>> NextId(int (*next_id)(uint32_t, uint32_t*),
                                       uint32_t start_id, const char* what) {
  uint32_t next = 0;
  int ret = next_id(start_id, &next);
  if (ret == 0) return std::optional<uint32_t>(next);
  int err = ErrnoOf(ret);
  if (err == ENOENT) return std::optional<uint32_t>();
  return Error::System(err, what);
}

Result<std::optional<uint32_t>> NextMapId(uint32_t start_id) {
  return NextId(bpf_map_get_next_id, start_id, "list map ids");
}

namespace {

// Calls `visit(id, fd)` for every object `next_id` lists and `open` opens,
// closing each fd after; objects gone meanwhile are skipped.
template <typename NextId, typename Open>
Status ForEachObject(NextId next_id, Open open, const char* what,
                     const std::function<Status(uint32_t id, int fd)>& visit) {
  uint32_t id = 0;
  while (true) {
    BPFMAP_ASSIGN_OR_RETURN(std::optional<uint32_t> next, next_id(id));
    if (!next) return OkStatus();
    id = *next;
    Result<int> fd = open(id);
    if (!fd.ok()) {
      if (fd.error().errno_value() == ENOENT) continue;  // gone meanwhile
      return fd.error().WithContext(std::string(what) + " " +
                                    std::to_string(id));
    }
    Status visited = visit(id, *fd);
    close(*fd);
    BPFMAP_RETURN_IF_ERROR(visited);
  }
}

}  // namespace

Status ForEachMap(const std::function<Status(uint32_t id, int fd)>& visit) {
  return ForEachObject(
      NextMapId, [](uint32_t id) { return MapFdById(id, /*read_only=*/true); },
      "map", visit);
}

Status ForEachProg(const std::function<Status(uint32_t id, int fd)>& visit) {
  return ForEachObject(NextProgId, ProgFdById, "program", visit);
}

Result<int> ProgFdById(uint32_t id) {
  Result<int> fd = FdOf(bpf_prog_get_fd_by_id(id), "open program by id");
  if (!fd.ok() && fd.error().errno_value() == EPERM) {
    return fd.error().WithHint("opening a program by id needs CAP_SYS_ADMIN");
  }
  return fd;
}

Result<std::optional<uint32_t>> NextProgId(uint32_t start_id) {
  return NextId(bpf_prog_get_next_id, start_id, "list program ids");
}

Result<std::vector<uint32_t>> ProgMapIds(int fd) {
  struct bpf_prog_info info;
  std::memset(&info, 0, sizeof(info));
  uint32_t len = sizeof(info);
  int ret = bpf_obj_get_info_by_fd(fd, &info, &len);
  if (ret < 0) return ErrorOf(ErrnoOf(ret), "read program info");
  std::vector<uint32_t> ids(info.nr_map_ids);
  if (ids.empty()) return ids;
  uint32_t count = info.nr_map_ids;
  std::memset(&info, 0, sizeof(info));
  info.nr_map_ids = count;
  info.map_ids = reinterpret_cast<uint64_t>(ids.data());
  len = sizeof(info);
  ret = bpf_obj_get_info_by_fd(fd, &info, &len);
  if (ret < 0) return ErrorOf(ErrnoOf(ret), "read program map ids");
  ids.resize(std::min(count, info.nr_map_ids));
  return ids;
}

std::string ProgTypeName(uint32_t type) {
  const char* name = libbpf_bpf_prog_type_str(static_cast<bpf_prog_type>(type));
  return name != nullptr ? name : std::to_string(type);
}

Result<uint32_t> InterfaceIndex(const std::string& name) {
  uint32_t index = if_nametoindex(name.c_str());
  if (index == 0) {
    return Error::BadInput(
        fmt::format("dev {}: no network interface has this name", name));
  }
  return index;
}

Result<std::string> FdTarget(int fd) {
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  char target[64];
  ssize_t n = readlink(path.c_str(), target, sizeof(target) - 1);
  if (n < 0) {
    return Error::System(errno, "read " + path + " (is /proc mounted?)");
  }
  return std::string(target, n);
}

Result<ProgInfo> ProgInfoByFd(int fd) {
  struct bpf_prog_info raw;
  std::memset(&raw, 0, sizeof(raw));
  uint32_t len = sizeof(raw);
  int ret = bpf_obj_get_info_by_fd(fd, &raw, &len);
  if (ret < 0) return ErrorOf(ErrnoOf(ret), "read program info");
  ProgInfo info;
  info.id = raw.id;
  info.name = std::string(raw.name, strnlen(raw.name, sizeof(raw.name)));
  info.type = raw.type;
  return info;
}

Result<MapInfoV618> MapInfoByFd(int fd) {
  MapInfoV618 info;
  std::memset(&info, 0, sizeof(info));
  // The kernel's part ends before `filled`; it reads no more than it knows
  // and refuses a larger size only if the excess is not zero.
  uint32_t len = offsetof(MapInfoV618, filled);
  int ret = bpf_obj_get_info_by_fd(fd, &info, &len);
  if (ret < 0) return ErrorOf(ErrnoOf(ret), "read map info");
  info.filled = len;
  return info;
}

Result<int> MapCreate(const CreateAttrs& attrs) {
  LIBBPF_OPTS(bpf_map_create_opts, opts);
  opts.map_flags = attrs.flags;
  if (attrs.btf_fd >= 0) {
    opts.btf_fd = attrs.btf_fd;
    opts.btf_key_type_id = attrs.btf_key_type_id;
    opts.btf_value_type_id = attrs.btf_value_type_id;
  }
  if (attrs.inner_map_fd >= 0) opts.inner_map_fd = attrs.inner_map_fd;
  return FdOf(bpf_map_create(static_cast<bpf_map_type>(attrs.type),
                             attrs.name.empty() ? nullptr : attrs.name.c_str(),
                             attrs.key_size, attrs.value_size,
                             attrs.max_entries, &opts),
              "create map");
}

Status LookupElem(int fd, const void* key, void* value) {
  return StatusOf(bpf_map_lookup_elem(fd, key, value), "lookup");
}

Status LookupElemFlags(int fd, const void* key, void* value, uint64_t flags) {
  return StatusOf(bpf_map_lookup_elem_flags(fd, key, value, flags), "lookup");
}

Status UpdateElem(int fd, const void* key, const void* value,
                  uint64_t flags) {
  return StatusOf(bpf_map_update_elem(fd, key, value, flags), "update");
}

Status DeleteElem(int fd, const void* key) {
  return StatusOf(bpf_map_delete_elem(fd, key), "delete");
}

Status LookupAndDeleteElem(int fd, const void* key, void* value) {
  return StatusOf(bpf_map_lookup_and_delete_elem(fd, key, value),
                  "lookup and delete");
}

Status GetNextKey(int fd, const void* key, void* next) {
  return StatusOf(bpf_map_get_next_key(fd, key, next), "get next key");
}

Status MapFreeze(int fd) { return StatusOf(bpf_map_freeze(fd), "freeze"); }

Status LookupBatch(int fd, const void* in_batch, void* out_batch, void* keys,
                   void* values, uint32_t& count, bool and_delete,
                   uint64_t elem_flags) {
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  opts.elem_flags = elem_flags;
  // libbpf's prototypes take `void* in_batch` though the kernel only reads
  // it.
  void* in = const_cast<void*>(in_batch);
  int ret = and_delete ? bpf_map_lookup_and_delete_batch(
                             fd, in, out_batch, keys, values, &count, &opts)
                       : bpf_map_lookup_batch(fd, in, out_batch, keys, values,
                                              &count, &opts);
  return StatusOf(ret, and_delete ? "lookup and delete batch"
                                  : "lookup batch");
}

Status UpdateBatch(int fd, const void* keys, const void* values,
                   uint32_t& count, uint64_t elem_flags) {
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  opts.elem_flags = elem_flags;
  return StatusOf(bpf_map_update_batch(fd, keys, values, &count, &opts),
                  "update batch");
}

Status DeleteBatch(int fd, const void* keys, uint32_t& count) {
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  return StatusOf(bpf_map_delete_batch(fd, keys, &count, &opts),
                  "delete batch");
}

Result<BtfPtr> LoadBtfById(uint32_t id) {
  struct btf* btf = btf__load_from_kernel_by_id(id);
  // Returns NULL with errno set (libbpf 1.0 mode).
  if (btf == nullptr) {
    int err = errno;
    Error error = ErrorOf(err, "load BTF");
    // The kernel hands out BTF by id only to CAP_SYS_ADMIN.
    return err == EPERM ? error.WithHint("reading BTF needs CAP_SYS_ADMIN")
                        : error;
  }
  return BtfPtr(btf);
}

Result<int> LoadBtfIntoKernel(struct btf* btf) {
  TakeLibbpfWarning();
  int err = btf__load_into_kernel(btf);
  if (err < 0) {
    // libbpf's warning carries the kernel's reason, from its BTF log.
    Error error = ErrorOf(-err, "load BTF into the kernel");
    std::string said = LastReason(TakeLibbpfWarning());
    return said.empty() ? error : error.WithHint("libbpf: " + said);
  }
  return btf__fd(btf);
}

int PerfBuffer::OnEvent(void* ctx, int cpu, void* header) {
  static_cast<PerfBuffer*>(ctx)->on_record_(cpu, header);
  return LIBBPF_PERF_EVENT_CONT;
}

Result<std::unique_ptr<PerfBuffer>> PerfBuffer::Open(int map_fd, size_t pages,
                                                     OnRecord on_record) {
  std::unique_ptr<PerfBuffer> buffer(new PerfBuffer(std::move(on_record)));
  // As bpftool's event_pipe, with the time on CLOCK_MONOTONIC so that it
  // can be compared with what programs read from bpf_ktime_get_ns().
  struct perf_event_attr attr = {};
  attr.size = sizeof(attr);
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_BPF_OUTPUT;
  attr.sample_type = PERF_SAMPLE_RAW | PERF_SAMPLE_TIME;
  attr.sample_period = 1;
  attr.wakeup_events = 1;
  attr.use_clockid = 1;
  attr.clockid = CLOCK_MONOTONIC;
  LIBBPF_OPTS(perf_buffer_raw_opts, opts);
  TakeLibbpfWarning();
  struct perf_buffer* pb = perf_buffer__new_raw(
      map_fd, pages, &attr,
      [](void* ctx, int cpu, struct perf_event_header* header) {
        return static_cast<enum bpf_perf_event_ret>(
            OnEvent(ctx, cpu, header));
      },
      buffer.get(), &opts);
  if (pb == nullptr) {
    Error error = ErrorOf(errno, "open perf buffers");
    std::string said = LastReason(TakeLibbpfWarning());
    return said.empty() ? error : error.WithHint("libbpf: " + said);
  }
  buffer->buffer_ = pb;
  return buffer;
}

PerfBuffer::~PerfBuffer() { perf_buffer__free(buffer_); }

Status PerfBuffer::Poll(int timeout_ms) {
  int ret = perf_buffer__poll(buffer_, timeout_ms);
  if (ret == -EINTR) return OkStatus();
  return StatusOf(ret, "poll perf buffers");
}

Status SubmitUserRecord(int map_fd, const void* data, size_t size) {
  struct user_ring_buffer* ring = user_ring_buffer__new(map_fd, nullptr);
  if (ring == nullptr) return ErrorOf(errno, "open user ring buffer");
  void* slot = user_ring_buffer__reserve(ring, static_cast<uint32_t>(size));
  if (slot == nullptr) {
    int err = errno;
    user_ring_buffer__free(ring);
    return ErrorOf(err, "reserve in user ring buffer");
  }
  std::memcpy(slot, data, size);
  user_ring_buffer__submit(ring, slot);
  user_ring_buffer__free(ring);
  return OkStatus();
}

Result<int> LoadIterProgram(const std::string& name,
                            const std::vector<struct bpf_insn>& insns,
                            uint32_t attach_btf_id, std::string* log) {
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.expected_attach_type = BPF_TRACE_ITER;
  opts.attach_btf_id = attach_btf_id;
  std::vector<char> buffer;
  if (log != nullptr) {
    buffer.assign(16384, 0);
    opts.log_buf = buffer.data();
    opts.log_size = static_cast<uint32_t>(buffer.size());
    opts.log_level = 0;  // a log only when the verifier refuses
  }
  int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, name.c_str(), "GPL",
                         insns.data(), insns.size(), &opts);
  if (fd < 0 && log != nullptr) *log = buffer.data();
  return FdOf(fd, "load the iterator program");
}

Result<int> OpenMapElemIter(int prog_fd, int map_fd) {
  union bpf_iter_link_info info;
  std::memset(&info, 0, sizeof(info));
  info.map.map_fd = static_cast<uint32_t>(map_fd);
  LIBBPF_OPTS(bpf_link_create_opts, opts);
  opts.iter_info = &info;
  opts.iter_info_len = sizeof(info);
  int link = bpf_link_create(prog_fd, 0, BPF_TRACE_ITER, &opts);
  if (link < 0) return ErrorOf(ErrnoOf(link), "attach the iterator to the map");
  int reader = bpf_iter_create(link);
  close(link);  // the reader holds the link
  return FdOf(reader, "open the iterator");
}

Result<int> PossibleCpus() {
  int n = libbpf_num_possible_cpus();
  if (n <= 0) return Error::System(-n, "count possible CPUs");
  return n;
}

}  // namespace bpfmap::kernel
