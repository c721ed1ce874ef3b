#include "core/kernel/map_iter.h"

#include <fmt/format.h>
#include <linux/btf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/base/debug_log.h"
#include "core/btf/btf_scan.h"
#include "core/kernel/bpf_adapter.h"
#include "core/kernel/map_error.h"
#include "core/kernel/map_ops.h"
#include "core/kernel/map_refs.h"
#include "core/model/map_types.h"

namespace bpfmap {
namespace {

// The kernel's seq file hands over at most this much per read() (its
// buffer, eight pages); the reader asks for more only while that fits.
constexpr size_t kKernelChunk = 32 * 1024;
constexpr size_t kBatchEntries = kSourceBatchEntries;

// Instructions, as the kernel's filter.h macros write them.
struct bpf_insn Insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off,
                     int32_t imm) {
  struct bpf_insn insn {};
  insn.code = code;
  insn.dst_reg = dst & 0xf;
  insn.src_reg = src & 0xf;
  insn.off = off;
  insn.imm = imm;
  return insn;
}
struct bpf_insn LoadU64(uint8_t dst, uint8_t src, int16_t off) {
  return Insn(BPF_LDX | BPF_MEM | BPF_DW, dst, src, off, 0);
}
struct bpf_insn MovReg(uint8_t dst, uint8_t src) {
  return Insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}
struct bpf_insn MovImm(uint8_t dst, int32_t imm) {
  return Insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}
struct bpf_insn JumpIfZero(uint8_t reg, int16_t off) {
  return Insn(BPF_JMP | BPF_JEQ | BPF_K, reg, 0, off, 0);
}
struct bpf_insn Call(int32_t helper) {
  return Insn(BPF_JMP | BPF_CALL, 0, 0, 0, helper);
}
struct bpf_insn Exit() {
  return Insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

}  // namespace

std::vector<struct bpf_insn> MapElemIterProgram(uint32_t key_size,
                                                uint32_t value_bytes) {
  // struct bpf_iter__bpf_map_elem { meta; map; key; value; } (8 bytes
  // each), and struct bpf_iter_meta begins with its seq_file.
  enum : uint8_t { R0, R1, R2, R3, R4, R5, R6, R7, R8 };
  return {
      LoadU64(R6, R1, 0),   // meta
      LoadU64(R7, R1, 16),  // key (NULL once the walk is over)
      LoadU64(R8, R1, 24),  // value
      JumpIfZero(R7, 9),    // to "return 0"
      JumpIfZero(R8, 8),
      LoadU64(R1, R6, 0),  // meta->seq
      MovReg(R2, R7),
      MovImm(R3, static_cast<int32_t>(key_size)),
      Call(BPF_FUNC_seq_write),
      LoadU64(R1, R6, 0),
      MovReg(R2, R8),
      MovImm(R3, static_cast<int32_t>(value_bytes)),
      Call(BPF_FUNC_seq_write),
      MovImm(R0, 0),
      Exit(),
  };
}

std::string IteratorUnfitReason(const MapInfo& info, bool lock,
                                bool kernel_fields) {
  switch (info.type) {
    case BPF_MAP_TYPE_HASH:
    case BPF_MAP_TYPE_PERCPU_HASH:
    case BPF_MAP_TYPE_LRU_HASH:
    case BPF_MAP_TYPE_LRU_PERCPU_HASH:
    case BPF_MAP_TYPE_ARRAY:
    case BPF_MAP_TYPE_PERCPU_ARRAY:
      break;
    default:
      return fmt::format("the kernel has no element iterator for {} maps",
                         MapTypeName(info.type));
  }
  if (lock) {
    return "its values hold a bpf_spin_lock, which only a lookup takes";
  }
  if (kernel_fields) {
    return "its values hold fields only the kernel may read (a lock, timer "
           "or kptr), which a lookup zeroes and an iterator would not";
  }
  if (info.flags & BPF_F_WRONLY) {
    return "it is write-only to user space";
  }
  return "";
}

EntryIterator::EntryIterator(const MapHandle& map, ValueLayout layout,
                             OwnedFd reader)
    : map_(&map),
      layout_(layout),
      reader_(std::move(reader)),
      key_size_(map.info().key_size),
      record_size_(key_size_ + layout.buffer_size()) {
  // What the reader holds: less than a batch of records left over (the
  // last one partial, perhaps), and room on top for one more read() of
  // the kernel's buffer.
  buffer_.resize(record_size_ * (kBatchEntries + 1) + kKernelChunk);
}

Result<std::unique_ptr<EntryIterator>> EntryIterator::Start(
    const MapHandle& map) {
  const MapInfo& info = map.info();
  std::string unfit = IteratorUnfitReason(info, false, false);
  if (!unfit.empty()) return Error::Unsupported(unfit);
  BPFMAP_ASSIGN_OR_RETURN(ValueLayout layout, LayoutFor(info));
  if (info.key_size + layout.buffer_size() > kKernelChunk) {
    // The kernel's seq buffer must hold one whole element.
    return Error::Unsupported(
        fmt::format("an entry ({} bytes) is larger than the iterator's buffer",
                    info.key_size + layout.buffer_size()));
  }
  // The iterator's target, a kernel function found by name in its BTF
  // (once per process: watch starts a read every interval).
  static const Result<uint32_t> target =
      FindVmlinuxType(BTF_KIND_FUNC, "bpf_iter_bpf_map_elem");
  if (!target.ok()) {
    return Error::Unsupported(
        fmt::format("the kernel's BTF has no map-element iterator ({})",
                    target.error().Describe()));
  }
  std::string log;
  Result<int> prog = kernel::LoadIterProgram(
      "bpfmap_dump",
      MapElemIterProgram(info.key_size,
                         static_cast<uint32_t>(layout.buffer_size())),
      *target, &log);
  if (!prog.ok()) {
    if (!log.empty()) LogDebug("the verifier said: " + log);
    return prog.error();
  }
  OwnedFd program(*prog);
  BPFMAP_ASSIGN_OR_RETURN(int reader,
                          kernel::OpenMapElemIter(program.get(), map.fd()));
  return std::unique_ptr<EntryIterator>(
      new EntryIterator(map, layout, OwnedFd(reader)));
}

Result<uint32_t> EntryIterator::Next() {
  begin_ += handed_;  // the records handed out last time are done with
  handed_ = 0;
  const size_t batch_bytes = record_size_ * kBatchEntries;
  if (!eof_ && filled_ - begin_ < batch_bytes) {
    // Running low: keep the rest (a partial record, perhaps) at the front
    // and read until a whole batch is here or the walk is over. No more:
    // with a thread reading ahead (PrefetchSource), reading far ahead
    // would leave it waiting on a full ring while the batches read are
    // printed, where it should be reading the next.
    std::memmove(buffer_.data(), buffer_.data() + begin_, filled_ - begin_);
    filled_ -= begin_;
    begin_ = 0;
    while (!eof_ && filled_ < batch_bytes &&
           buffer_.size() - filled_ >= kKernelChunk) {
      ssize_t n = read(reader_.get(), buffer_.data() + filled_,
                       buffer_.size() - filled_);
      if (n < 0) {
        if (errno == EINTR) continue;
        return MapOpError(Error::System(errno, "read the iterator"), "dump",
                          map_->info());
      }
      if (n == 0) {
        eof_ = true;
        break;
      }
      filled_ += static_cast<size_t>(n);
    }
  }
  size_t available = (filled_ - begin_) / record_size_;
  if (available == 0 && filled_ != begin_) {
    return MapOpError(
        Error::System(EIO, "read the iterator: it ended inside an entry"),
        "dump", map_->info());
  }
  // Batches of the batch calls' size, so what follows holds no more.
  uint32_t count =
      static_cast<uint32_t>(std::min<size_t>(available, kBatchEntries));
  handed_ = static_cast<size_t>(count) * record_size_;
  return count;
}

}  // namespace bpfmap
