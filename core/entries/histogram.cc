#include "core/entries/histogram.h"

#include <fmt/format.h>

#include "core/base/number.h"
#include "core/types/type_paths.h"

namespace bpfmap {
namespace {

bool IsCounter(const TypeNode& type) {
  return (type.kind == TypeKind::kInt || type.kind == TypeKind::kChar) &&
         type.size <= 8;
}

bool IsCounterArray(const TypeNode& type) {
  return type.kind == TypeKind::kArray && type.format == LeafFormat::kNone &&
         IsCounter(*type.element) && type.element->format != LeafFormat::kStr;
}

// What --hist takes without being told: counters of 2 bytes or more (a
// u8[6] is a MAC, a char[16] a name, far more often than counters).
bool IsLikelyCounterArray(const TypeNode& type) {
  return IsCounterArray(type) && type.element->size >= 2 &&
         type.element->kind == TypeKind::kInt;
}

std::string LastName(const std::string& path) {
  size_t dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

// The counter arrays and integers in the value, for messages.
std::string CandidateFields(const std::vector<NamedNode>& nodes) {
  std::vector<std::string_view> names;
  for (const NamedNode& node : nodes) {
    bool counter = IsCounter(*node.type) && node.type->kind == TypeKind::kInt;
    if (node.path.rfind("value", 0) == 0 &&
        (counter || IsLikelyCounterArray(*node.type))) {
      names.push_back(node.path);
    }
  }
  return names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

Result<HistogramSpec> ParseHistogramWords(
    const std::vector<std::string>& words) {
  HistogramSpec spec;
  size_t at = 0;
  if (at < words.size() && words[at] == "log2") {
    ++at;
  } else if (at < words.size() && words[at].rfind("linear", 0) == 0 &&
             (words[at].size() == 6 || words[at][6] == ':')) {
    spec.scale = HistogramScale::kLinear;
    if (words[at].size() > 6) {
      std::optional<Int128> step = ParseInteger(words[at].substr(7));
      if (!step || *step < 1 || *step > UINT32_MAX) {
        return Error::BadInput(fmt::format(
            "--hist: '{}': STEP is a number from 1 to 4294967295",
            words[at]));
      }
      spec.step = static_cast<uint64_t>(*step);
    }
    ++at;
  }
  if (at < words.size()) spec.field = words[at++];
  if (at < words.size()) {
    return Error::BadInput(fmt::format(
        "--hist: '{}' after the field; it takes [log2|linear[:STEP]] [FIELD]",
        words[at]));
  }
  return spec;
}

std::vector<HistogramBucket> BucketsOf(const Histogram& histogram,
                                       HistogramScale scale, uint64_t step) {
  std::vector<HistogramBucket> buckets;
  const std::vector<uint64_t>& counts = histogram.counts;
  int last = -1, first = -1;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    last = static_cast<int>(i);
    if (first < 0) first = static_cast<int>(i);
  }
  if (last < 0) return buckets;
  if (scale == HistogramScale::kLog2) {
    for (int i = 0; i <= last && i < 64; ++i) {
      // As bcc's print_log2_hist: slot 0 is 0 -> 1, slot i 2^i -> 2^(i+1)-1.
      uint64_t high = i == 63 ? UINT64_MAX : (uint64_t{1} << (i + 1)) - 1;
      uint64_t low = i == 0 ? 0 : uint64_t{1} << i;
      buckets.push_back({low, high, counts[i]});
    }
    return buckets;
  }
  for (int i = first; i <= last; ++i) {
    if (counts[i] == 0) continue;  // as bcc's print_linear_hist
    uint64_t low = static_cast<uint64_t>(i) * step;
    buckets.push_back({low, low + step - 1, counts[i]});
  }
  return buckets;
}

Result<HistogramPlan> HistogramPlan::For(const EntryShape& shape,
                                         const HistogramSpec& spec) {
  HistogramPlan plan;
  plan.spec_ = spec;
  plan.layout_ = shape.layout;
  const MapTypes& types = shape.types;
  if (!types.value) {
    return Error::BadInput(
        "--hist needs the value's type, and the map has no BTF for it; give "
        "--value-type (e.g. --value-type 'struct { u32 slots[27]; }')");
  }
  std::vector<NamedNode> nodes = NamedNodes(types);
  NamedNode counters{"", nullptr, {}};
  if (!spec.field.empty()) {
    BPFMAP_ASSIGN_OR_RETURN(counters,
                            FindNamedNode(nodes, spec.field, "--hist"));
    if (counters.path.rfind("value", 0) != 0) {
      return Error::BadInput(fmt::format(
          "--hist: {} is in the key; the counters are in the value ({})",
          counters.path, CandidateFields(nodes)));
    }
  } else {
    // The value's one array of counters; else the one counter.
    std::vector<const NamedNode*> arrays, integers;
    for (const NamedNode& node : nodes) {
      if (node.path.rfind("value", 0) != 0) continue;
      if (IsLikelyCounterArray(*node.type)) arrays.push_back(&node);
      if (IsCounter(*node.type) && node.type->kind == TypeKind::kInt &&
          node.place.bit_size == 0) {
        integers.push_back(&node);
      }
    }
    if (arrays.size() == 1) {
      counters = *arrays[0];
    } else if (arrays.empty() && integers.size() == 1) {
      counters = *integers[0];
    } else {
      return Error::BadInput(fmt::format(
          "--hist: which field holds the counters? (fields: {}); give it: "
          "--hist log2 FIELD",
          CandidateFields(nodes)));
    }
  }
  plan.field_ = counters.path;
  const TypeNode& type = *counters.type;
  LeafFormat unit = LeafFormat::kNone;
  if (IsCounterArray(type) && counters.place.bit_size == 0) {
    plan.per_key_ = shape.has_key;
    plan.counter_ = type.element.get();
    plan.counter_place_ = counters.place;
    plan.slots_ = type.count;
    plan.counter_stride_ = type.element->size * 8;
    unit = type.element->format;
    plan.label_ = LastName(counters.path);
  } else if (IsCounter(type) && counters.place.bit_size == 0) {
    const TypeRef& key = types.key;
    if (!key || !IsCounter(*key) || key->big_endian) {
      return Error::BadInput(fmt::format(
          "--hist: {} is one counter, so the key must be its slot (an "
          "integer), but the key is {}",
          counters.path, key ? key->name : "untyped"));
    }
    plan.key_ = key.get();
    plan.counter_ = &type;
    plan.counter_place_ = counters.place;
    unit = key->format;
    plan.label_ = "slot";
  } else {
    return Error::BadInput(fmt::format(
        "--hist: {} is {}, not an array of integers or an integer",
        counters.path, type.name));
  }
  // As bcc's tools label theirs.
  if (unit == LeafFormat::kNs) plan.label_ = "nsecs";
  if (unit == LeafFormat::kUs) plan.label_ = "usecs";
  if (unit == LeafFormat::kMs) plan.label_ = "msecs";
  return plan;
}

uint64_t HistogramCollector::Counter(const uint8_t* value,
                                     uint32_t slot) const {
  const ValueLayout& layout = plan_.layout_;
  LeafPlace place{plan_.counter_place_.bit_offset + slot * plan_.counter_stride_,
                  0};
  Int128 sum = 0;
  for (uint32_t cpu = 0; cpu < layout.cpus; ++cpu) {
    Int128 count = ReadInteger(*plan_.counter_, layout.value_of(value, cpu),
                               place);
    if (count > 0) sum += count;  // a negative count counts nothing
  }
  return sum > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(sum);
}

void HistogramCollector::DumpEntry(const EntryView& entry) {
  if (!status_.ok()) return;
  if (plan_.key_ == nullptr) {
    Histogram histogram;
    histogram.key.assign(entry.key, entry.key + entry.key_size);
    histogram.counts.resize(plan_.slots_);
    for (uint32_t slot = 0; slot < plan_.slots_; ++slot) {
      histogram.counts[slot] = Counter(entry.value, slot);
    }
    per_key_.push_back(std::move(histogram));
    return;
  }
  Int128 slot = ReadInteger(*plan_.key_, entry.key, LeafPlace{});
  if (slot < 0 || slot >= static_cast<Int128>(kMaxHistogramSlots)) {
    status_ = Error::BadInput(fmt::format(
        "--hist: key {} is not a slot (0 to {}): is this map a histogram?",
        static_cast<int64_t>(slot), kMaxHistogramSlots - 1));
    return;
  }
  std::vector<uint64_t>& counts = keyed_by_slot_.counts;
  if (counts.size() <= slot) counts.resize(static_cast<size_t>(slot) + 1);
  counts[static_cast<size_t>(slot)] += Counter(entry.value, 0);
}

Result<std::vector<Histogram>> HistogramCollector::Finish() {
  if (!status_.ok()) return status_.error();
  // Slot 64 would count from 2^64: no 64-bit value is that large.
  auto past_log2 = [&](const Histogram& histogram) -> Status {
    if (plan_.spec_.scale != HistogramScale::kLog2) return OkStatus();
    for (size_t slot = 64; slot < histogram.counts.size(); ++slot) {
      if (histogram.counts[slot] != 0) {
        return Error::BadInput(fmt::format(
            "--hist: slot {} has a count, but log2 slots end at 63 (2^63 to "
            "2^64-1); is it linear? (--hist linear:STEP)",
            slot));
      }
    }
    return OkStatus();
  };
  BPFMAP_RETURN_IF_ERROR(past_log2(keyed_by_slot_));
  for (const Histogram& histogram : per_key_) {
    BPFMAP_RETURN_IF_ERROR(past_log2(histogram));
  }
  if (plan_.key_ != nullptr) return std::vector<Histogram>{keyed_by_slot_};
  return std::move(per_key_);
}

}  // namespace bpfmap
