// The one place where libbpf is called: its negative-errno returns become
// Status and Result here and nowhere else. Messages name the operation;
// callers add which map.
#ifndef BPFMAP_CORE_KERNEL_BPF_ADAPTER_H_
#define BPFMAP_CORE_KERNEL_BPF_ADAPTER_H_

#include <linux/bpf.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/btf/btf_object.h"

struct btf;
struct perf_buffer;

namespace bpfmap::kernel {

// Opens the object pinned at `path`; read-only if `read_only`.
Result<int> ObjGet(const std::string& path, bool read_only);

// Pins `fd` at `path`.
Status ObjPin(int fd, const std::string& path);

// Opens the map with `id`; read-only if `read_only`.
Result<int> MapFdById(uint32_t id, bool read_only);

// The id of the next map after `start_id`, or nullopt after the last one.
Result<std::optional<uint32_t>> NextMapId(uint32_t start_id);

// Calls `visit(id, fd)` for every map the kernel holds, with a read-only fd
// that is closed after; maps that go away meanwhile are skipped. Stops at
// the first error, from the kernel or from `visit`.
Status ForEachMap(const std::function<Status(uint32_t id, int fd)>& visit);

// struct bpf_map_info as of Linux 6.18 (104 bytes; Debian 12's header has
// 88), so fields newer than the build machine's header are read where the
// kernel fills them. An older kernel fills a prefix: `filled` says how much.
struct MapInfoV618 {
  uint32_t type;
  uint32_t id;
  uint32_t key_size;
  uint32_t value_size;
  uint32_t max_entries;
  uint32_t map_flags;
  char name[BPF_OBJ_NAME_LEN];
  uint32_t ifindex;
  uint32_t btf_vmlinux_value_type_id;
  uint64_t netns_dev;
  uint64_t netns_ino;
  uint32_t btf_id;
  uint32_t btf_key_type_id;
  uint32_t btf_value_type_id;
  uint32_t btf_vmlinux_id;  // newer kernels; 0 where not filled
  uint64_t map_extra;       // Linux 5.16+ (bloom filter hash count)
  uint64_t hash;            // Linux 6.14+: user pointer for the map's hash
  uint32_t hash_size;
  uint32_t filled;  // not the kernel's: bytes the kernel wrote
} __attribute__((aligned(8)));

// What the kernel says about a map fd.
Result<MapInfoV618> MapInfoByFd(int fd);

// What /proc says `fd` is: "anon_inode:bpf-map", "anon_inode:bpf-prog", ...
Result<std::string> FdTarget(int fd);

// The index of the network interface `name`; kBadInput if there is none.
Result<uint32_t> InterfaceIndex(const std::string& name);

// The ids of the maps the program `fd` uses.
Result<std::vector<uint32_t>> ProgMapIds(int fd);

// libbpf's name of a program type ("xdp"), or its number.
std::string ProgTypeName(uint32_t type);

// Programs, as far as a map refers to them.
Result<int> ProgFdById(uint32_t id);
Result<std::optional<uint32_t>> NextProgId(uint32_t start_id);
// As ForEachMap, for every program the kernel holds.
Status ForEachProg(const std::function<Status(uint32_t id, int fd)>& visit);
struct ProgInfo {
  uint32_t id = 0;
  std::string name;
  uint32_t type = 0;  // enum bpf_prog_type
};
Result<ProgInfo> ProgInfoByFd(int fd);

struct CreateAttrs {
  uint32_t type = 0;
  std::string name;
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  uint32_t max_entries = 0;
  uint32_t flags = 0;
  int btf_fd = -1;  // with the two type ids, BTF for keys and values
  uint32_t btf_key_type_id = 0;
  uint32_t btf_value_type_id = 0;
  int inner_map_fd = -1;  // the template of a map of maps
};

// Creates a map and returns its fd.
Result<int> MapCreate(const CreateAttrs& attrs);

// The element calls; `key` may be null for keyless maps. An absent key is an
// ErrorKind::kSystem with errno ENOENT: callers decide what "no" means.
Status LookupElem(int fd, const void* key, void* value);
// A lookup with BPF_F_LOCK among `flags`: the value's bpf_spin_lock is
// taken while it is copied.
Status LookupElemFlags(int fd, const void* key, void* value, uint64_t flags);
Status UpdateElem(int fd, const void* key, const void* value, uint64_t flags);
Status DeleteElem(int fd, const void* key);
Status LookupAndDeleteElem(int fd, const void* key, void* value);
// Writes the key after `key` (the first key if `key` is null) into `next`.
Status GetNextKey(int fd, const void* key, void* next);

// Makes the map read-only for user space for good (BPF_MAP_FREEZE); BPF
// programs can still write to it.
Status MapFreeze(int fd);

// The batch calls. `count` goes in as the number of entries the buffers
// hold (or to write) and comes back as the number processed, also on
// error. LookupBatch reports the end of the map as ENOENT, with `count`
// entries in that last batch. `in_batch` is null for the first batch;
// `out_batch` receives the token for the next one.
Status LookupBatch(int fd, const void* in_batch, void* out_batch, void* keys,
                   void* values, uint32_t& count, bool and_delete,
                   uint64_t elem_flags = 0);
Status UpdateBatch(int fd, const void* keys, const void* values,
                   uint32_t& count, uint64_t elem_flags);
Status DeleteBatch(int fd, const void* keys, uint32_t& count);

// Loads the BTF object with `id` from the kernel.
Result<BtfPtr> LoadBtfById(uint32_t id);

// Loads `btf` into the kernel and returns its fd, owned by `btf`.
Result<int> LoadBtfIntoKernel(struct btf* btf);

// A perf buffer on a perf event array: libbpf opens one BPF-output perf
// event per CPU (samples carry a CLOCK_MONOTONIC time and the raw record)
// and installs it in the array at that CPU's index, replacing what the
// owner had there; the kernel removes them when the buffer is closed.
class PerfBuffer {
 public:
  // Called for every record the kernel wrote: its CPU and the raw perf
  // record (struct perf_event_header first).
  using OnRecord = std::function<void(int cpu, const void* header)>;
  static Result<std::unique_ptr<PerfBuffer>> Open(int map_fd, size_t pages,
                                                  OnRecord on_record);
  ~PerfBuffer();
  PerfBuffer(const PerfBuffer&) = delete;
  PerfBuffer& operator=(const PerfBuffer&) = delete;
  // Waits up to `timeout_ms` (-1: no limit) and hands over what arrived;
  // a signal ends the wait early without an error.
  Status Poll(int timeout_ms);

 private:
  explicit PerfBuffer(OnRecord on_record) : on_record_(std::move(on_record)) {}
  static int OnEvent(void* ctx, int cpu, void* header);
  ::perf_buffer* buffer_ = nullptr;
  OnRecord on_record_;
};

// Writes one record into a user ring buffer (the program drains it with
// bpf_user_ringbuf_drain). kSystem/ENOSPC when it is full.
Status SubmitUserRecord(int map_fd, const void* data, size_t size);

// Loads `insns` as a BPF iterator program (BPF_PROG_TYPE_TRACING,
// BPF_TRACE_ITER) for the target whose function has `attach_btf_id`, GPL
// (the seq helpers ask for it). `log`, if given, gets the verifier's log of
// a refusal.
Result<int> LoadIterProgram(const std::string& name,
                            const std::vector<struct bpf_insn>& insns,
                            uint32_t attach_btf_id, std::string* log);

// Attaches the map-element iterator `prog_fd` to the map `map_fd` and
// opens a reader on it: each read() runs the program over the next
// elements. The reader keeps the program and its link alive.
Result<int> OpenMapElemIter(int prog_fd, int map_fd);

// Number of possible CPUs, which sizes per-CPU value buffers.
Result<int> PossibleCpus();

}  // namespace bpfmap::kernel

#endif  // BPFMAP_CORE_KERNEL_BPF_ADAPTER_H_
