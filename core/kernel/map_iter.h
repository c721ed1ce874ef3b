// Reading a whole map through a BPF iterator (bpf_iter over map elements,
// Linux 5.9+): a program bpfmap assembles at run time, with the map's key
// and value sizes as constants, copies every key and value into the
// iterator's seq file, and user space reads them back in large read()
// calls. The kernel hands entries over faster this way than through
// BPF_MAP_LOOKUP_BATCH, and nothing needs compiling or installing.
#ifndef BPFMAP_CORE_KERNEL_MAP_ITER_H_
#define BPFMAP_CORE_KERNEL_MAP_ITER_H_

#include <linux/bpf.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/error.h"
#include "core/entries/entry_pipeline.h"
#include "core/kernel/map_handle.h"
#include "core/kernel/owned_fd.h"
#include "core/model/map_entry.h"

namespace bpfmap {

// The program: for each element, bpf_seq_write(seq, key, key_size) and
// bpf_seq_write(seq, value, value_bytes), so records are key then value,
// packed. `value_bytes` is the value buffer as a lookup fills it (every
// possible CPU's value, 8-byte aligned, for per-CPU maps).
std::vector<struct bpf_insn> MapElemIterProgram(uint32_t key_size,
                                                uint32_t value_bytes);

// Why a map cannot be read through an iterator, "" if it may be tried (the
// kernel and the privileges have the last word: Start fails then). `lock`:
// its values are read under their spin lock; `kernel_fields`: they hold
// fields a lookup zeroes and an iterator would not.
std::string IteratorUnfitReason(const MapInfo& info, bool lock,
                                bool kernel_fields);

// Reads a map's entries through a map-element iterator, a batch at a time
// (read() calls until a batch of records is in): the pipeline's source,
// like EntryBatches, with flat memory.
class EntryIterator : public EntrySource {
 public:
  // Loads the program, attaches it to `map` and opens the reader. Fails
  // with kUnsupported where the kernel is older than 5.9 or has no BTF, and
  // with the kernel's errno where the caller lacks CAP_BPF + CAP_PERFMON.
  static Result<std::unique_ptr<EntryIterator>> Start(const MapHandle& map);

  Result<uint32_t> Next() override;
  EntryView entry(uint32_t i) const override {
    const uint8_t* record = buffer_.data() + begin_ + record_size_ * i;
    return {record, key_size_, record + key_size_};
  }
  bool Exhausted() const override {
    return eof_ && filled_ - begin_ == handed_;
  }
  const ValueLayout& layout() const { return layout_; }

 private:
  EntryIterator(const MapHandle& map, ValueLayout layout, OwnedFd reader);

  const MapHandle* map_;
  ValueLayout layout_;
  OwnedFd reader_;
  uint32_t key_size_;
  size_t record_size_;
  Bytes buffer_;
  size_t begin_ = 0;   // where the batch handed out begins
  size_t handed_ = 0;  // its bytes
  size_t filled_ = 0;  // bytes read into buffer_
  bool eof_ = false;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_MAP_ITER_H_
