#include "core/entries/prefetch_source.h"

#include <cstring>
#include <utility>

namespace bpfmap {
namespace {

// Batches in flight: one printed, one read, one ready between them.
constexpr size_t kSlots = 3;

}  // namespace

PrefetchSource::PrefetchSource(std::unique_ptr<EntrySource> inner,
                               uint32_t key_size, size_t value_bytes)
    : inner_(std::move(inner)),
      key_size_(key_size),
      record_size_(key_size + value_bytes),
      slots_(kSlots) {}

PrefetchSource::~PrefetchSource() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PrefetchSource::Fill(Slot& slot, uint32_t count) {
  slot.records.resize(record_size_ * count);
  uint8_t* out = slot.records.data();
  for (uint32_t i = 0; i < count; ++i) {
    EntryView entry = inner_->entry(i);
    std::memcpy(out, entry.key, key_size_);
    std::memcpy(out + key_size_, entry.value, record_size_ - key_size_);
    out += record_size_;
  }
  slot.count = count;
}

void PrefetchSource::ReadAhead() {
  for (size_t index = 1;; index = (index + 1) % kSlots) {
    Slot& slot = slots_[index];
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || !slot.filled; });
      if (stop_) return;
    }
    // The slot is the reader's alone until it is marked filled.
    Result<uint32_t> got = inner_->Next();
    if (got.ok()) {
      Fill(slot, *got);
      slot.status = OkStatus();
    } else {
      slot.count = 0;
      slot.status = got.error();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      slot.filled = true;
    }
    changed_.notify_all();
    if (!got.ok() || *got == 0) return;  // the end, or an error: said
  }
}

Result<uint32_t> PrefetchSource::Next() {
  if (direct_) return inner_->Next();
  if (!started_) {
    started_ = true;
    Result<uint32_t> first = inner_->Next();
    if (!first.ok() || *first == 0 || inner_->Exhausted()) {
      // An error at once, or a map of one batch: no thread.
      direct_ = true;
      return first;
    }
    // The first batch is copied out, so the reader may go on at once.
    Fill(slots_[0], *first);
    slots_[0].filled = true;
    current_ = &slots_[0];
    next_slot_ = 1;
    thread_ = std::thread([this] { ReadAhead(); });
    return *first;
  }
  if (current_ != nullptr && (!current_->status.ok() || current_->count == 0)) {
    // The read is over: the reader is gone, and this is what it said.
    if (!current_->status.ok()) return current_->status.error();
    return 0u;
  }
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (current_ != nullptr) {
      current_->filled = false;  // printed: the reader may refill it
      changed_.notify_all();
    }
    Slot& slot = slots_[next_slot_];
    changed_.wait(lock, [&] { return slot.filled; });
    current_ = &slot;
    next_slot_ = (next_slot_ + 1) % kSlots;
  }
  if (!current_->status.ok()) return current_->status.error();
  return current_->count;
}

EntryView PrefetchSource::entry(uint32_t i) const {
  if (direct_) return inner_->entry(i);
  const uint8_t* record = current_->records.data() + record_size_ * i;
  return {record, key_size_, record + key_size_};
}

}  // namespace bpfmap
