#include "core/entries/entry_order.h"

#include <algorithm>
#include <cstring>

namespace bpfmap {

SortingSink::SortingSink(EntrySink& next, EntryOrder order,
                         std::optional<size_t> limit,
                         const EntryShape& fields)
    : next_(next), order_(std::move(order)), limit_(limit), values_(fields) {}

void SortingSink::BeginDump(const EntryShape& shape) {
  shape_ = shape;
  key_size_ = shape.has_key ? shape.key_size : 0;
  slot_size_ = key_size_ + shape.layout.buffer_size();
  next_.BeginDump(shape);
}

void SortingSink::DumpEntry(const EntryView& entry) {
  if (limit_ && *limit_ == 0) return;
  size_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = store_.size() / std::max<size_t>(slot_size_, 1);
    store_.resize(store_.size() + slot_size_);
  }
  uint8_t* at = store_.data() + slot * slot_size_;
  if (key_size_ > 0) std::memcpy(at, entry.key, key_size_);
  std::memcpy(at + key_size_, entry.value, shape_.layout.buffer_size());
  Held held{slot, read_++, {}, {}};
  held.by = ReadField(order_.field, entry.key, values_.ValueOf(entry));
  if (held.by.kind == FieldKind::kText || held.by.kind == FieldKind::kBytes) {
    held.bytes.assign(held.by.bytes);
  }
  held_.push_back(std::move(held));
  if (limit_ && held_.size() >= 2 * *limit_ + 1024) Cut();
}

bool SortingSink::Before(const Held& a, const Held& b) const {
  FieldValue x = a.by, y = b.by;
  if (x.kind == FieldKind::kText || x.kind == FieldKind::kBytes) {
    x.bytes = a.bytes;
    y.bytes = b.bytes;
  }
  int order = CompareFieldValues(x, y);
  if (order != 0) return order_.ascending ? order < 0 : order > 0;
  return a.order < b.order;
}

void SortingSink::Cut() {
  auto before = [this](const Held& a, const Held& b) { return Before(a, b); };
  std::nth_element(held_.begin(), held_.begin() + *limit_, held_.end(),
                   before);
  for (auto it = held_.begin() + *limit_; it != held_.end(); ++it) {
    free_slots_.push_back(it->slot);
  }
  held_.erase(held_.begin() + *limit_, held_.end());
}

void SortingSink::EndDump() {
  if (limit_ && held_.size() > *limit_) Cut();
  std::sort(held_.begin(), held_.end(),
            [this](const Held& a, const Held& b) { return Before(a, b); });
  for (const Held& held : held_) {
    const uint8_t* at = store_.data() + held.slot * slot_size_;
    EntryView view{key_size_ > 0 ? at : nullptr,
                   static_cast<uint32_t>(key_size_), at + key_size_};
    next_.DumpEntry(view);
    if (!next_.Writable()) break;
  }
  held_.clear();
  store_.clear();
  free_slots_.clear();
  next_.EndDump();
}

}  // namespace bpfmap
