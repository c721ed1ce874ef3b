#include "core/kernel/map_mmap.h"

#include <linux/bpf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/kernel/map_ops.h"

namespace bpfmap {

Result<std::unique_ptr<MappedArray>> MappedArray::Start(const MapHandle& map,
                                                        bool lock) {
  const MapInfo& info = map.info();
  if (info.type != BPF_MAP_TYPE_ARRAY || !(info.flags & BPF_F_MMAPABLE)) {
    return Error::Unsupported("only arrays created mmapable are mapped");
  }
  if (lock) {
    return Error::Unsupported(
        "its values hold a bpf_spin_lock, which only a lookup takes");
  }
  BPFMAP_ASSIGN_OR_RETURN(ValueLayout layout, LayoutFor(info));
  uint32_t element_size = (info.value_size + 7) / 8 * 8;
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t length =
      (static_cast<size_t>(element_size) * info.max_entries + page - 1) / page *
      page;
  void* base = mmap(nullptr, length, PROT_READ, MAP_SHARED, map.fd(), 0);
  if (base == MAP_FAILED && errno == EINVAL) {
    // The kernel maps a map only from an fd open for writing (mmap drops
    // MAP_SHARED for a read-only file), however it is mapped: open it
    // again read-write, for the mapping alone, which keeps the map.
    Result<MapHandle> writable = map.Reopen(OpenMode::kReadWrite);
    if (!writable.ok()) {
      return writable.error().WithContext(
          "mapping an array needs it open read-write");
    }
    base = mmap(nullptr, length, PROT_READ, MAP_SHARED, writable->fd(), 0);
  }
  if (base == MAP_FAILED) {
    return Error::System(errno, "map the array's values (mmap)");
  }
  return std::unique_ptr<MappedArray>(
      new MappedArray(layout, static_cast<const uint8_t*>(base), length,
                      info.max_entries, element_size));
}

MappedArray::MappedArray(ValueLayout layout, const uint8_t* base, size_t length,
                         uint32_t entries, uint32_t element_size)
    : layout_(layout),
      base_(base),
      length_(length),
      entries_(entries),
      element_size_(element_size) {}

MappedArray::~MappedArray() { munmap(const_cast<uint8_t*>(base_), length_); }

Result<uint32_t> MappedArray::Next() {
  uint32_t count = std::min(entries_ - next_, kSourceBatchEntries);
  keys_.resize(count);
  values_.resize(static_cast<size_t>(layout_.stride) * count);
  const uint8_t* from = base_ + static_cast<size_t>(element_size_) * next_;
  uint8_t* to = values_.data();
  if (element_size_ == layout_.stride) {
    std::memcpy(to, from, static_cast<size_t>(element_size_) * count);
  }
  for (uint32_t i = 0; i < count; ++i) {
    keys_[i] = next_ + i;
    if (element_size_ != layout_.stride) {
      std::memcpy(to + static_cast<size_t>(layout_.stride) * i,
                  from + static_cast<size_t>(element_size_) * i,
                  layout_.stride);
    }
  }
  next_ += count;
  return count;
}

}  // namespace bpfmap
