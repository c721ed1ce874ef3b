#include "core/entries/watch_sample.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <ctime>
#include <string>

#include "core/types/typed_scalar.h"

namespace bpfmap {
namespace {

uint64_t MonotonicNow() {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1000000000ull +
         static_cast<uint64_t>(now.tv_nsec);
}

}  // namespace

Result<uint32_t> TimedSource::Next() {
  Result<uint32_t> got = source_.Next();
  batch_time_ = MonotonicNow();
  return got;
}

WatchSampler::WatchSampler(const EntryShape& fields, const TimedSource* times)
    : fields_(fields),
      times_(times),
      values_(fields),
      old_values_(fields) {
  // Counters and measures: integers and floats (an enum or a bool is a
  // state, with no rate).
  if (fields.types.value) {
    for (NumericLeaf& leaf : NumericLeaves(*fields.types.value)) {
      if (leaf.type->kind == TypeKind::kInt ||
          leaf.type->kind == TypeKind::kFloat) {
        leaves_.push_back(std::move(leaf));
      }
    }
  }
}

void WatchSampler::BeginDump(const EntryShape& shape) {
  key_size_ = shape.has_key ? shape.key_size : 0;
  slot_size_ = key_size_ + shape.layout.buffer_size();
  next_.store.clear();
  next_.times.clear();
  next_.motion.clear();
  next_.rows.clear();
}

std::optional<size_t> WatchSampler::OldSlotOf(const uint8_t* key,
                                              size_t position) {
  if (position < last_.times.size() &&
      std::memcmp(SlotOf(last_, position), key, key_size_) == 0) {
    return position;
  }
  if (!indexed_) {
    index_.clear();
    index_.reserve(last_.times.size());
    for (size_t slot = 0; slot < last_.times.size(); ++slot) {
      index_.emplace(std::string_view(
                         reinterpret_cast<const char*>(SlotOf(last_, slot)),
                         key_size_),
                     slot);
    }
    indexed_ = true;
  }
  auto found = index_.find(
      std::string_view(reinterpret_cast<const char*>(key), key_size_));
  if (found == index_.end()) return std::nullopt;
  return found->second;
}

void WatchSampler::DumpEntry(const EntryView& entry) {
  size_t slot = next_.rows.size();
  next_.store.resize(next_.store.size() + slot_size_);
  uint8_t* at = next_.store.data() + slot * slot_size_;
  if (key_size_ > 0) std::memcpy(at, entry.key, key_size_);
  std::memcpy(at + key_size_, entry.value, slot_size_ - key_size_);
  uint64_t now = times_ != nullptr ? times_->batch_time() : MonotonicNow();
  next_.times.push_back(now);
  next_.rows.push_back(WatchRow{slot});
  next_.motion.resize(next_.motion.size() + leaves_.size());
  if (leaves_.empty()) return;
  LeafMotion* motion = next_.motion.data() + slot * leaves_.size();
  std::optional<size_t> old_slot = OldSlotOf(entry.key, slot);
  if (!old_slot) return;  // first seen
  double seconds = static_cast<double>(now - last_.times[*old_slot]) / 1e9;
  const uint8_t* value = values_.ValueOf(entry);
  const uint8_t* old_at = SlotOf(last_, *old_slot);
  const uint8_t* old_value = old_values_.ValueOf(
      {old_at, static_cast<uint32_t>(key_size_), old_at + key_size_});
  for (size_t i = 0; i < leaves_.size(); ++i) {
    const NumericLeaf& leaf = leaves_[i];
    LeafMotion& m = motion[i];
    if (leaf.type->kind == TypeKind::kFloat) {
      m.real_delta = ReadFloat(*leaf.type, value, leaf.place) -
                     ReadFloat(*leaf.type, old_value, leaf.place);
      m.state = LeafMotion::State::kMoved;
      m.rate = seconds > 0 ? m.real_delta / seconds : 0;
      continue;
    }
    Int128 now_value = ReadInteger(*leaf.type, value, leaf.place);
    Int128 then = ReadInteger(*leaf.type, old_value, leaf.place);
    if (now_value < then && !leaf.type->is_signed) {
      m.state = LeafMotion::State::kReset;
      continue;
    }
    m.state = LeafMotion::State::kMoved;
    m.delta = now_value - then;
    m.rate = seconds > 0 ? static_cast<double>(m.delta) / seconds : 0;
  }
}

void WatchSampler::EndDump() {
  next_.end_time = MonotonicNow();
  std::swap(last_, next_);
  index_.clear();
  indexed_ = false;
}

EntryView WatchSampler::view(const WatchRow& row) const {
  const uint8_t* at = SlotOf(last_, row.slot);
  return {key_size_ > 0 ? at : nullptr, static_cast<uint32_t>(key_size_),
          at + key_size_};
}

const uint8_t* WatchSampler::value_of(const WatchRow& row) {
  return values_.ValueOf(view(row));
}

void SortRows(WatchSampler& sampler, const WatchOrder& order) {
  std::vector<WatchRow>& rows = sampler.rows();
  if (order.rate_of) {
    size_t leaf = *order.rate_of;
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const WatchRow& a, const WatchRow& b) {
                       const LeafMotion& x = sampler.motion(a)[leaf];
                       const LeafMotion& y = sampler.motion(b)[leaf];
                       // A NaN rate (a float gone NaN) is as good as none:
                       // the order stays total.
                       bool has_a = x.state == LeafMotion::State::kMoved &&
                                    !std::isnan(x.rate);
                       bool has_b = y.state == LeafMotion::State::kMoved &&
                                    !std::isnan(y.rate);
                       if (has_a != has_b) return has_a;
                       if (!has_a) return false;
                       return order.ascending ? x.rate < y.rate
                                              : x.rate > y.rate;
                     });
    return;
  }
  if (!order.field) return;
  // Read each row's field once; text and bytes are copied (a summed
  // per-CPU value lives in a buffer the next read reuses).
  std::vector<std::pair<FieldValue, size_t>> keys;
  std::vector<std::string> held;
  keys.reserve(rows.size());
  held.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EntryView view = sampler.view(rows[i]);
    const uint8_t* value = sampler.value_of(rows[i]);
    FieldValue field = ReadField(*order.field, view.key, value);
    if (field.kind == FieldKind::kText || field.kind == FieldKind::kBytes) {
      held.emplace_back(field.bytes);
      field.bytes = held.back();
    }
    keys.emplace_back(field, i);
  }
  std::stable_sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
    int c = CompareFieldValues(a.first, b.first);
    return order.ascending ? c < 0 : c > 0;
  });
  std::vector<WatchRow> sorted;
  sorted.reserve(rows.size());
  for (const auto& [field, i] : keys) sorted.push_back(std::move(rows[i]));
  rows = std::move(sorted);
}

}  // namespace bpfmap
