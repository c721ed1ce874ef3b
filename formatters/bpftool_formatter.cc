#include "formatters/bpftool_formatter.h"

#include <linux/perf_event.h>

#include <cstring>

#include "core/base/bytes.h"
#include "core/model/map_types.h"
#include "formatters/typed_json.h"

namespace bpfmap {

void BpftoolFormatter::WriteBytes(const uint8_t* data, size_t size) {
  json_.BeginArray();
  char text[4] = {'0', 'x', 0, 0};
  for (size_t i = 0; i < size; ++i) {
    text[2] = kHexDigits[data[i] >> 4];
    text[3] = kHexDigits[data[i] & 0xf];
    json_.String(std::string_view(text, 4));
  }
  json_.EndArray();
}

bool BpftoolFormatter::PrintUnreadableEntries(const std::vector<Bytes>& keys,
                                              const Error& error) {
  started_ = true;
  json_.BeginArray();
  for (const Bytes& key : keys) {
    json_.BeginObject();
    json_.Key("key");
    WriteBytes(key.data(), key.size());
    json_.Key("value");
    json_.BeginObject();
    json_.Key("error");
    json_.String(std::strerror(error.errno_value()));
    json_.EndObject();
    json_.EndObject();
  }
  json_.EndArray();
  json_.EndDocument();
  return true;
}

void BpftoolFormatter::WriteEntry(const EntryView& entry,
                                  const EntryShape& shape) {
  // As bpftool's print_entry_json(): raw bytes always, "formatted" when the
  // map's types are known.
  const ValueLayout& layout = shape.layout;
  json_.BeginObject();
  json_.Key("key");
  WriteBytes(entry.key, entry.key_size);
  if (layout.per_cpu) {
    WritePerCpuValues(layout, entry.value, [&](const uint8_t* data) {
      WriteBytes(data, layout.value_size);
    });
  } else {
    json_.Key("value");
    WriteBytes(entry.value, layout.value_size);
    if (shape.map_of_maps) {
      // bpftool 7.3+ (Debian 12's 7.1 prints the bytes alone).
      uint32_t id;
      std::memcpy(&id, entry.value, sizeof(id));
      json_.Key("inner_map_id");
      json_.Uint(id);
    }
  }
  // bpfmap's own types are not BTF: bpftool has no "formatted" for them.
  if ((shape.types.key && !shape.builtin_key) ||
      (shape.types.value && !shape.builtin_value)) {
    WriteFormatted(entry, shape);
  }
  json_.EndObject();
}

void BpftoolFormatter::WriteFormatted(const EntryView& entry,
                                      const EntryShape& shape) {
  const ValueLayout& layout = shape.layout;
  json_.Key("formatted");
  json_.BeginObject();
  if (shape.types.key && !shape.builtin_key) {
    json_.Key("key");
    WriteTypedJson(json_, *shape.types.key, entry.key, LeafPlace{},
                   JsonDialect::kBpftool);
  }
  if (shape.types.value && !shape.builtin_value) {
    if (layout.per_cpu) {
      WritePerCpuValues(layout, entry.value, [&](const uint8_t* data) {
        WriteTypedJson(json_, *shape.types.value, data, LeafPlace{},
                       JsonDialect::kBpftool);
      });
    } else {
      json_.Key("value");
      WriteTypedJson(json_, *shape.types.value, entry.value, LeafPlace{},
                     JsonDialect::kBpftool);
    }
  }
  json_.EndObject();
}

void BpftoolFormatter::WriteEvent(const EventRecord& record,
                                  const TypeRef&) {
  json_.BeginObject();
  if (record.cpu >= 0) {
    json_.Key("type");
    json_.Uint(PERF_RECORD_SAMPLE);
    json_.Key("cpu");
    json_.Uint(static_cast<uint64_t>(record.cpu));
    json_.Key("index");
    json_.Uint(static_cast<uint64_t>(record.cpu));
    json_.Key("timestamp");
    json_.Uint(record.time_ns);
  }
  // bpftool's print_data_json() writes each byte as a decimal number.
  json_.Key("data");
  json_.BeginArray();
  for (uint32_t i = 0; i < record.size; ++i) json_.Uint(record.data[i]);
  json_.EndArray();
  json_.EndObject();
}

void BpftoolFormatter::WriteInfoFields(const MapInfo& info) {
  // Field order and presence follow bpftool's show_map_close_json().
  json_.Key("id");
  json_.Uint(info.id);
  json_.Key("type");
  const MapTypeInfo* type = FindMapType(info.type);
  if (type != nullptr) {
    json_.String(type->name);
  } else {
    json_.Uint(info.type);
  }
  if (!info.name.empty()) {
    json_.Key("name");
    json_.String(info.name);
  }
  json_.Key("flags");
  json_.Uint(info.flags);
  json_.Key("bytes_key");
  json_.Uint(info.key_size);
  json_.Key("bytes_value");
  json_.Uint(info.value_size);
  json_.Key("max_entries");
  json_.Uint(info.max_entries);
  if (!info.owner_prog_type.empty()) {  // as bpftool's show_map_close_json
    json_.Key("owner_prog_type");
    json_.String(info.owner_prog_type);
    json_.Key("owner_jited");
    json_.Bool(info.owner_jited);
  }
  json_.Key("bytes_memlock");
  json_.Uint(info.memlock);
  json_.Key("frozen");
  json_.Uint(info.frozen ? 1 : 0);
  if (info.btf_id != 0) {
    json_.Key("btf_id");
    json_.Uint(info.btf_id);
  }
}

void BpftoolFormatter::WriteListItem(const PinnedMap& map) {
  json_.BeginObject();
  WriteInfoFields(map.info);
  if (!map.path.empty()) {  // empty for show with no MAP, as bpftool has it
    json_.Key("pinned");
    json_.BeginArray();
    json_.String(map.path);
    json_.EndArray();
  }
  json_.EndObject();
}

}  // namespace bpfmap
