#include "formatters/json_formatter.h"

#include "core/map_types.h"

namespace bpfmap {

void JsonFormatterBase::WriteEntry(const MapEntry& entry,
                                   const ValueLayout& layout) {
  json_.BeginObject();
  if (!entry.key.empty() || KeylessEntriesHaveKey()) {
    json_.Key("key");
    WriteBytes(entry.key.data(), entry.key.size());
  }
  if (layout.per_cpu) {
    json_.Key("values");
    json_.BeginArray();
    for (uint32_t cpu = 0; cpu < layout.cpus; ++cpu) {
      json_.BeginObject();
      json_.Key("cpu");
      json_.Uint(cpu);
      json_.Key("value");
      WriteBytes(layout.value_of(entry.value, cpu), layout.value_size);
      json_.EndObject();
    }
    json_.EndArray();
  } else {
    json_.Key("value");
    WriteBytes(entry.value.data(), layout.value_size);
  }
  json_.EndObject();
}

void JsonFormatterBase::PrintEntry(const MapEntry& entry,
                                   const ValueLayout& layout) {
  started_ = true;
  WriteEntry(entry, layout);
  json_.EndDocument();
}

void JsonFormatterBase::BeginDump(const ValueLayout& layout) {
  started_ = true;
  layout_ = layout;
  json_.BeginArray();
}

void JsonFormatterBase::DumpEntry(const MapEntry& entry) {
  WriteEntry(entry, layout_);
}

void JsonFormatterBase::EndDump() {
  json_.EndArray();
  json_.EndDocument();
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
  json_.BeginArray();
  for (const PinnedMap& map : maps) WriteListItem(map);
  json_.EndArray();
  json_.EndDocument();
}

void JsonFormatterBase::PrintDone() {
  started_ = true;
  json_.Null();
  json_.EndDocument();
}

void JsonFormatterBase::PrintError(const Error& error) {
  if (started_) return;
  started_ = true;
  if (error.kind() == ErrorKind::kNo) {
    json_.Null();
  } else {
    json_.BeginObject();
    json_.Key("error");
    json_.String(error.Describe());
    json_.EndObject();
  }
  json_.EndDocument();
}

void JsonFormatter::WriteBytes(const uint8_t* data, size_t size) {
  json_.HexString(data, size);
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
  json_.Key("btf_id");
  json_.Uint(info.btf_id);
  json_.Key("frozen");
  json_.Bool(info.frozen);
}

void JsonFormatter::WriteListItem(const PinnedMap& map) {
  json_.BeginObject();
  json_.Key("path");
  json_.String(map.path);
  WriteInfoFields(map.info);
  json_.EndObject();
}

}  // namespace bpfmap
