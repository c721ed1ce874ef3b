// Reading an array created with BPF_F_MMAPABLE in place: its values are
// mapped into the process (mmap of the map's fd), and each batch is copied
// out of the mapping, with no syscall at all. The copy gives every stage
// after the source one unchanging value per entry, as a lookup's copy does,
// while programs go on writing the array.
#ifndef BPFMAP_CORE_KERNEL_MAP_MMAP_H_
#define BPFMAP_CORE_KERNEL_MAP_MMAP_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/error.h"
#include "core/entries/entry_pipeline.h"
#include "core/kernel/map_handle.h"
#include "core/model/map_entry.h"

namespace bpfmap {

class MappedArray : public EntrySource {
 public:
  // kUnsupported unless `map` is an array created with BPF_F_MMAPABLE
  // whose values hold no spin lock (`lock`); the kernel's error if mmap
  // fails.
  static Result<std::unique_ptr<MappedArray>> Start(const MapHandle& map,
                                                    bool lock);
  ~MappedArray() override;
  MappedArray(const MappedArray&) = delete;
  MappedArray& operator=(const MappedArray&) = delete;

  Result<uint32_t> Next() override;
  EntryView entry(uint32_t i) const override {
    return {reinterpret_cast<const uint8_t*>(&keys_[i]), sizeof(uint32_t),
            values_.data() + static_cast<size_t>(layout_.stride) * i};
  }
  bool Exhausted() const override { return next_ == entries_; }
  const ValueLayout& layout() const { return layout_; }

 private:
  MappedArray(ValueLayout layout, const uint8_t* base, size_t length,
              uint32_t entries, uint32_t element_size);

  ValueLayout layout_;
  const uint8_t* base_;
  size_t length_;
  uint32_t entries_;
  uint32_t element_size_;  // the value rounded up to 8 bytes, as mapped
  uint32_t next_ = 0;      // the index the next batch starts at
  std::vector<uint32_t> keys_;
  Bytes values_;
};

}  // namespace bpfmap

#endif  // BPFMAP_CORE_KERNEL_MAP_MMAP_H_
