#include "formatters/json_formatter.h"

#include <algorithm>
#include <cmath>

#include "core/model/map_types.h"
#include "formatters/typed_json.h"

namespace bpfmap {

void JsonFormatterBase::PrintEntry(const EntryView& entry,
                                   const EntryShape& shape) {
  started_ = true;
  WriteEntry(entry, shape);
  json_.EndDocument();
}

void JsonFormatterBase::PrintNextKey(const uint8_t* key, const uint8_t* next,
                                     uint32_t size, const TypeRef& type,
                                     const LeafContext& context) {
  started_ = true;
  json_.BeginObject();
  json_.Key("key");
  if (key != nullptr) {
    WriteKey(type, key, size, context);
  } else {
    json_.Null();
  }
  json_.Key("next_key");
  WriteKey(type, next, size, context);
  json_.EndObject();
  json_.EndDocument();
}

void JsonFormatterBase::BeginDump(const EntryShape& shape) {
  started_ = true;
  shape_ = shape;
  // An inner map's entries are a list in every JSON format.
  if (!lines_ || !outer_.empty()) json_.BeginArray();
}

void JsonFormatterBase::DumpEntry(const EntryView& entry) {
  WriteEntry(entry, shape_);
  if (lines_ && outer_.empty()) json_.EndDocument();
}

void JsonFormatterBase::EndDump() {
  if (!outer_.empty()) {
    json_.EndArray();
    return;
  }
  if (lines_) return;
  json_.EndArray();
  json_.EndDocument();
}

void JsonFormatterBase::BeginInnerDump(const EntryView& entry,
                                       uint32_t map_id) {
  json_.BeginObject();
  json_.Key("key");
  WriteKey(shape_.types.key, entry.key, entry.key_size, shape_.leaf_context);
  json_.Key("value");
  json_.BeginObject();
  json_.Key("map_id");
  json_.Uint(map_id);
  json_.Key("entries");
  outer_.push_back(shape_);
}

void JsonFormatterBase::EndInnerDump() {
  shape_ = outer_.back();
  outer_.pop_back();
  json_.EndObject();
  json_.EndObject();
  if (lines_ && outer_.empty()) json_.EndDocument();
}

void JsonFormatterBase::BeginEvents(bool, const LeafContext& context) {
  events_context_ = context;
  started_ = true;
  if (!lines_) json_.BeginArray();
  sink_.Flush();
}

void JsonFormatterBase::PrintEvent(const EventRecord& record,
                                   const TypeRef& type) {
  WriteEvent(record, type);
  if (lines_) json_.EndDocument();
  sink_.Flush();
}

void JsonFormatterBase::EndEvents() {
  if (lines_) return;
  json_.EndArray();
  json_.EndDocument();
}

void JsonFormatterBase::PrintHistograms(const HistogramReport& report,
                                        const EntryShape& shape) {
  started_ = true;
  bool array = report.per_key && !lines_;
  if (array) json_.BeginArray();
  for (const Histogram& histogram : report.histograms) {
    json_.BeginObject();
    if (report.per_key) {
      json_.Key("key");
      WriteKey(shape.types.key, histogram.key.data(), histogram.key.size(),
               shape.leaf_context);
    }
    json_.Key("label");
    json_.String(report.label);
    json_.Key("buckets");
    json_.BeginArray();
    for (const HistogramBucket& bucket :
         BucketsOf(histogram, report.scale, report.step)) {
      json_.BeginObject();
      json_.Key("low");
      json_.Uint(bucket.low);
      json_.Key("high");
      json_.Uint(bucket.high);
      json_.Key("count");
      json_.Uint(bucket.count);
      json_.EndObject();
    }
    json_.EndArray();
    json_.EndObject();
    if (lines_) json_.EndDocument();
  }
  if (array) json_.EndArray();
  if (!lines_) json_.EndDocument();
}

void JsonFormatterBase::PrintMapInfo(const MapInfo& info) {
  started_ = true;
  json_.BeginObject();
  WriteInfoFields(info);
  json_.EndObject();
  json_.EndDocument();
}

void JsonFormatterBase::PrintMapList(const std::vector<PinnedMap>& maps) {
  started_ = true;
  if (!lines_) json_.BeginArray();
  for (const PinnedMap& map : maps) {
    if (!map.error.empty() && !ListsUnopenedPins()) continue;
    WriteListItem(map);
    if (lines_) json_.EndDocument();
  }
  if (lines_) return;
  json_.EndArray();
  json_.EndDocument();
}

void JsonFormatterBase::BeginDiff() {
  started_ = true;
  if (!lines_) json_.BeginArray();
}

void JsonFormatterBase::PrintDifference(const EntryDifference& difference) {
  using Kind = EntryDifference::Kind;
  json_.BeginObject();
  json_.Key("change");
  json_.String(difference.kind == Kind::kAdded     ? "added"
               : difference.kind == Kind::kRemoved ? "removed"
                                                   : "changed");
  json_.Key("key");
  json_.Raw(difference.key_json);
  switch (difference.kind) {
    case Kind::kAdded:
      json_.Key(difference.member);
      json_.Raw(difference.new_json);
      break;
    case Kind::kRemoved:
      json_.Key(difference.member);
      json_.Raw(difference.old_json);
      break;
    case Kind::kChanged:
      json_.Key("old");
      json_.Raw(difference.old_json);
      json_.Key("new");
      json_.Raw(difference.new_json);
      json_.Key("delta");
      json_.BeginObject();
      for (const LeafChange& leaf : difference.leaves) {
        if (leaf.delta.empty()) continue;
        json_.Key(leaf.path);
        json_.Raw(leaf.delta);
      }
      json_.EndObject();
      break;
  }
  json_.EndObject();
  if (lines_) {
    json_.EndDocument();
  } else {
    sink_.MaybeFlush();
  }
}

void JsonFormatterBase::EndDiff() {
  if (lines_) return;
  json_.EndArray();
  json_.EndDocument();
}

void JsonFormatterBase::PrintWatch(WatchSampler& read,
                                   const EntryShape& shape, double time,
                                   size_t limit) {
  started_ = true;
  const std::vector<NumericLeaf>& leaves = read.leaves();
  std::vector<std::string> names;
  for (const NumericLeaf& leaf : leaves) {
    names.push_back(leaf.path.empty() ? std::string("value") : leaf.path);
  }
  size_t count = std::min(limit, read.rows().size());
  for (size_t r = 0; r < count; ++r) {
    const WatchRow& row = read.rows()[r];
    json_.BeginObject();
    json_.Key("t");
    json_.Double(time);
    WriteEntryMembers(read.view(row), shape);
    bool reset = false;
    for (const char* member : {"delta", "rate"}) {
      json_.Key(member);
      json_.BeginObject();
      for (size_t i = 0; i < leaves.size(); ++i) {
        const LeafMotion& motion = read.motion(row)[i];
        if (motion.state == LeafMotion::State::kFirst) continue;
        json_.Key(names[i]);
        if (motion.state == LeafMotion::State::kReset) {
          reset = true;
          json_.Null();
        } else if (member[0] == 'r') {
          json_.Double(std::round(motion.rate * 1000) / 1000);
        } else if (leaves[i].type->kind == TypeKind::kFloat) {
          json_.Double(motion.real_delta);
        } else {
          json_.Integer(motion.delta);
        }
      }
      json_.EndObject();
    }
    if (reset) {
      json_.Key("reset");
      json_.BeginArray();
      for (size_t i = 0; i < leaves.size(); ++i) {
        if (read.motion(row)[i].state == LeafMotion::State::kReset) {
          json_.String(names[i]);
        }
      }
      json_.EndArray();
    }
    json_.EndObject();
    json_.EndDocument();
  }
  sink_.Flush();
}

void JsonFormatterBase::PrintCount(size_t count) {
  started_ = true;
  json_.BeginObject();
  json_.Key("count");
  json_.Uint(count);
  json_.EndObject();
  json_.EndDocument();
}

void JsonFormatterBase::PrintDone() {
  started_ = true;
  if (lines_) return;
  json_.Null();
  json_.EndDocument();
}

void JsonFormatterBase::PrintError(const Error& error) {
  if (started_ && !lines_) return;
  started_ = true;
  if (error.kind() == ErrorKind::kNo) {
    if (lines_) return;
    json_.Null();
  } else {
    json_.BeginObject();
    json_.Key("error");
    json_.String(error.Describe());
    json_.EndObject();
  }
  json_.EndDocument();
}

void JsonFormatter::WriteData(const TypeRef& type, const uint8_t* data,
                              size_t size, const LeafContext* context) {
  if (type) {
    WriteTypedJson(json_, *type, data, LeafPlace{}, JsonDialect::kBpfmap,
                   context);
  } else {
    json_.HexString(data, size);
  }
}

void JsonFormatter::WriteEntry(const EntryView& entry,
                               const EntryShape& shape) {
  json_.BeginObject();
  WriteEntryMembers(entry, shape);
  json_.EndObject();
}

void JsonFormatter::WriteEntryMembers(const EntryView& entry,
                                      const EntryShape& shape) {
  const ValueLayout& layout = shape.layout;
  if (entry.key_size != 0) {
    json_.Key("key");
    WriteData(shape.types.key, entry.key, entry.key_size,
              &shape.leaf_context);
  }
  if (layout.per_cpu) {
    WritePerCpuValues(layout, entry.value, [&](const uint8_t* data) {
      WriteData(shape.types.value, data, layout.value_size,
                &shape.leaf_context);
    });
  } else if (shape.stack_values) {
    // [{"address": "0x...", "symbol": "sym+0x1a"}, ...]: addresses as
    // strings, since they do not fit a double.
    json_.Key("value");
    json_.BeginArray();
    for (const StackFrame& frame : StackFrames(
             entry.value, layout.value_size, shape.symbols.get())) {
      json_.BeginObject();
      json_.Key("address");
      json_.String(frame.address);
      if (!frame.symbol.empty()) {
        json_.Key("symbol");
        json_.String(frame.symbol);
      }
      json_.EndObject();
    }
    json_.EndArray();
  } else {
    json_.Key("value");
    WriteData(shape.types.value, entry.value, layout.value_size,
              &shape.leaf_context);
  }
}

void JsonFormatter::WriteEvent(const EventRecord& record,
                               const TypeRef& type) {
  json_.BeginObject();
  if (record.cpu >= 0) {
    json_.Key("cpu");
    json_.Uint(static_cast<uint64_t>(record.cpu));
    json_.Key("time_ns");
    json_.Uint(record.time_ns);
  }
  json_.Key("size");
  json_.Uint(record.size);
  json_.Key("record");
  WriteData(type, record.data, record.size, &events_context_);
  json_.EndObject();
}

void JsonFormatter::WriteInfoFields(const MapInfo& info) {
  json_.Key("id");
  json_.Uint(info.id);
  json_.Key("type");
  json_.String(MapTypeName(info.type));
  json_.Key("name");
  json_.String(info.name);
  json_.Key("flags");
  json_.Uint(info.flags);
  json_.Key("key_size");
  json_.Uint(info.key_size);
  json_.Key("value_size");
  json_.Uint(info.value_size);
  json_.Key("max_entries");
  json_.Uint(info.max_entries);
  if (info.entries) {
    json_.Key("entries");
    json_.Uint(*info.entries);
    if (std::optional<double> full = info.PercentFull()) {
      json_.Key("percent_full");
      json_.Double(std::round(*full * 100) / 100);  // 2 decimals
    }
  }
  json_.Key("btf_id");
  json_.Uint(info.btf_id);
  json_.Key("frozen");
  json_.Bool(info.frozen);
  if (info.hash_funcs != 0) {
    json_.Key("hash_funcs");
    json_.Uint(info.hash_funcs);
  }
  if (!info.key_type_name.empty()) {
    json_.Key("key_type");
    json_.String(info.key_type_name);
  }
  if (!info.value_type_name.empty()) {
    json_.Key("value_type");
    json_.String(info.value_type_name);
  }
  if (!info.owner_prog_type.empty()) {
    json_.Key("owner_prog_type");
    json_.String(info.owner_prog_type);
    json_.Key("owner_jited");
    json_.Bool(info.owner_jited);
  }
  if (info.holders) {
    const MapHolders& holders = *info.holders;
    // {"pid": N, "comm": "..."} and {"id": N, "name": "..."}.
    auto write_object = [&](std::string_view number_key, uint64_t number,
                            std::string_view text_key, std::string_view text) {
      json_.BeginObject();
      json_.Key(number_key);
      json_.Uint(number);
      json_.Key(text_key);
      json_.String(text);
      json_.EndObject();
    };
    json_.Key("pids");
    json_.BeginArray();
    for (const MapHolders::Process& process : holders.processes) {
      write_object("pid", process.pid, "comm", process.comm);
    }
    json_.EndArray();
    json_.Key("pids_uninspected");
    json_.Uint(holders.uninspected);
    json_.Key("programs");
    json_.BeginArray();
    for (const MapHolders::Program& program : holders.programs) {
      write_object("id", program.id, "name", program.name);
    }
    json_.EndArray();
    json_.Key("pinned");
    json_.BeginArray();
    for (const std::string& pin : holders.pins) json_.String(pin);
    json_.EndArray();
  }
}

void JsonFormatter::WriteListItem(const PinnedMap& map) {
  json_.BeginObject();
  if (!map.path.empty()) {  // empty for show with no MAP
    json_.Key("path");
    json_.String(map.path);
  }
  if (!map.error.empty()) {
    json_.Key("error");
    json_.String(map.error);
  } else {
    WriteInfoFields(map.info);
  }
  json_.EndObject();
}

}  // namespace bpfmap
