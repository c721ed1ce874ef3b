#include "formatters/plain_formatter.h"

#include <algorithm>
#include <cstring>

#include "core/base/bytes.h"
#include "core/model/map_types.h"
#include "formatters/histogram_text.h"
#include "formatters/typed_text.h"
#include "formatters/watch_table.h"

namespace bpfmap {

void AppendEntryData(const TypeRef& type, const uint8_t* data, size_t size,
                     bool bare_strings, fmt::memory_buffer& out,
                     const LeafContext* context) {
  if (type) {
    AppendTypedText(*type, data, LeafPlace{}, bare_strings, out, context);
  } else {
    AppendHexBytes(data, size, out, ' ');
  }
}

void AppendStackText(const uint8_t* value, uint32_t size,
                     const KernelSymbols* symbols, fmt::memory_buffer& out) {
  bool first = true;
  for (const StackFrame& frame : StackFrames(value, size, symbols)) {
    if (!first) out.append(std::string_view("; "));
    first = false;
    const std::string& text =
        frame.symbol.empty() ? frame.address : frame.symbol;
    out.append(text);
  }
}

uint64_t ReferenceId(const uint8_t* value, const Field& field) {
  uint32_t id = 0;
  std::memcpy(&id, value + field.bit_offset / 8,
              std::min<size_t>(sizeof(id), field.type->size));
  return id;
}

std::string ReferenceColumnName(std::string_view member) {
  if (member == "map_id") return "map";
  if (member == "prog_id") return "prog";
  return "dev";
}

void AppendValueText(const EntryShape& shape, const uint8_t* value,
                     bool bare_strings, fmt::memory_buffer& out) {
  if (shape.names && shape.builtin_value && shape.types.value &&
      shape.types.value->kind == TypeKind::kStruct) {
    // {map_id=12 (backends hash)}: each id followed by what it names.
    out.push_back('{');
    bool first = true;
    for (const Field& field : shape.types.value->fields) {
      if (!first) out.push_back(' ');
      first = false;
      out.append(field.name);
      out.push_back('=');
      AppendTypedText(*field.type, value, LeafPlace{field.bit_offset, 0},
                      bare_strings, out, &shape.leaf_context);
      std::string name =
          shape.names->NameOf(field.name, ReferenceId(value, field));
      if (!name.empty()) fmt::format_to(std::back_inserter(out), " ({})", name);
    }
    out.push_back('}');
    return;
  }
  if (shape.stack_values) {
    AppendStackText(value, shape.layout.value_size, shape.symbols.get(), out);
  } else {
    AppendEntryData(shape.types.value, value, shape.layout.value_size,
                    bare_strings, out, &shape.leaf_context);
  }
}

void WriteNote(std::string_view line, OutputSink& out, OutputSink& err) {
  out.Flush();
  // A count of what could not be written is no news.
  if (out.error() != 0) return;
  err.Write(line);
  err.Put('\n');
  err.Flush();
}

void PlainFormatter::PrintEntry(const EntryView& entry,
                                const EntryShape& shape) {
  const ValueLayout& layout = shape.layout;
  fmt::memory_buffer& buf = out_.buffer();
  for (size_t i = 0; i < indent_; ++i) buf.push_back(' ');
  if (entry.key_size != 0) {
    buf.append(std::string_view("key: "));
    AppendEntryData(shape.types.key, entry.key, entry.key_size,
                    /*bare_strings=*/false, buf, &shape.leaf_context);
    buf.append(std::string_view("  "));
  }
  if (layout.per_cpu) {
    for (uint32_t cpu = 0; cpu < layout.cpus; ++cpu) {
      if (cpu > 0) buf.append(std::string_view("  "));
      fmt::format_to(std::back_inserter(buf), "value (cpu {}): ", cpu);
      AppendEntryData(shape.types.value, layout.value_of(entry.value, cpu),
                      layout.value_size, /*bare_strings=*/false, buf,
                      &shape.leaf_context);
    }
  } else {
    buf.append(std::string_view("value: "));
    AppendValueText(shape, entry.value, /*bare_strings=*/false, buf);
  }
  buf.push_back('\n');
  out_.MaybeFlush();
}

void AppendEventTime(uint64_t time_ns, fmt::memory_buffer& out) {
  fmt::format_to(std::back_inserter(out), "{}.{:09}", time_ns / 1000000000,
                 time_ns % 1000000000);
}

void PlainFormatter::PrintEvent(const EventRecord& record,
                                const TypeRef& type) {
  fmt::memory_buffer& buf = out_.buffer();
  if (record.cpu >= 0) {
    fmt::format_to(std::back_inserter(buf), "cpu {}  time ", record.cpu);
    AppendEventTime(record.time_ns, buf);
    buf.append(std::string_view("  "));
  }
  buf.append(std::string_view("record: "));
  AppendEntryData(type, record.data, record.size, /*bare_strings=*/false,
                  buf, &events_context_);
  buf.push_back('\n');
  out_.Flush();
}

void PlainFormatter::PrintHistograms(const HistogramReport& report,
                                     const EntryShape& shape) {
  AppendHistogramsText(report, shape, out_.buffer());
  out_.MaybeFlush();
}

void PlainFormatter::BeginInnerDump(const EntryView& entry, uint32_t) {
  PrintEntry(entry, shape_);
  outer_.push_back(shape_);
  indent_ += 4;
}

void PlainFormatter::EndInnerDump() {
  indent_ -= 4;
  shape_ = outer_.back();
  outer_.pop_back();
}

void PlainFormatter::PrintNextKey(const uint8_t* key, const uint8_t* next,
                                  uint32_t size, const TypeRef& type,
                                  const LeafContext& context) {
  fmt::memory_buffer& buf = out_.buffer();
  if (key != nullptr) {
    buf.append(std::string_view("key: "));
    AppendEntryData(type, key, size, /*bare_strings=*/false, buf, &context);
    buf.append(std::string_view("  "));
  }
  buf.append(std::string_view("next key: "));
  AppendEntryData(type, next, size, /*bare_strings=*/false, buf, &context);
  buf.push_back('\n');
  out_.MaybeFlush();
}

void PlainFormatter::PrintDifference(const EntryDifference& difference) {
  using Kind = EntryDifference::Kind;
  switch (difference.kind) {
    case Kind::kAdded:
    case Kind::kRemoved:
      out_.Format("{} key: {}  {}: {}\n",
                  difference.kind == Kind::kAdded ? '+' : '-',
                  difference.key_json, difference.member,
                  difference.kind == Kind::kAdded ? difference.new_json
                                                  : difference.old_json);
      break;
    case Kind::kChanged:
      out_.Format("~ key: {}", difference.key_json);
      for (const LeafChange& leaf : difference.leaves) {
        out_.Format("  {}: {} -> {}", leaf.path,
                    leaf.old_json.empty() ? "(none)" : leaf.old_json,
                    leaf.new_json.empty() ? "(none)" : leaf.new_json);
        if (!leaf.delta.empty()) {
          out_.Format(" ({}{})", leaf.delta[0] == '-' ? "" : "+", leaf.delta);
        }
      }
      out_.Put('\n');
      break;
  }
}

void PlainFormatter::AppendInfo(const MapInfo& info) {
  out_.Format(
      "id {}  type {}  name {}  flags {:#x}  key {}B  value {}B  max_entries "
      "{}  memlock {}B  btf_id {}  frozen {}",
      info.id, MapTypeName(info.type), info.name.empty() ? "-" : info.name,
      info.flags, info.key_size, info.value_size, info.max_entries,
      info.memlock, info.btf_id, info.frozen ? "yes" : "no");
  if (info.entries) {
    out_.Format("  entries {}", *info.entries);
    if (std::optional<double> full = info.PercentFull()) {
      out_.Format(" ({:.1f}% full)", *full);
    }
  }
  if (info.hash_funcs != 0) out_.Format("  hash_funcs {}", info.hash_funcs);
  if (!info.key_type_name.empty()) {
    out_.Format("  key_type '{}'", info.key_type_name);
  }
  if (!info.value_type_name.empty()) {
    out_.Format("  value_type '{}'", info.value_type_name);
  }
  if (!info.owner_prog_type.empty()) {
    out_.Format("  owner_prog_type {}  owner_jited {}", info.owner_prog_type,
                info.owner_jited ? "yes" : "no");
  }
  if (info.holders) {
    const MapHolders& holders = *info.holders;
    std::vector<std::string> pids, programs;
    for (const MapHolders::Process& process : holders.processes) {
      pids.push_back(fmt::format("{}({})", process.comm, process.pid));
    }
    if (holders.uninspected != 0) {
      pids.push_back(fmt::format("+{} not inspected", holders.uninspected));
    }
    for (const MapHolders::Program& program : holders.programs) {
      programs.push_back(fmt::format("{}({})", program.name, program.id));
    }
    if (!pids.empty()) out_.Format("  pids {}", fmt::join(pids, ","));
    if (!programs.empty()) {
      out_.Format("  programs {}", fmt::join(programs, ","));
    }
    if (!holders.pins.empty()) {
      out_.Format("  pinned {}", fmt::join(holders.pins, ","));
    }
  }
}

void PlainFormatter::PrintNote(std::string_view line) {
  WriteNote(line, out_, err_);
}

void PlainFormatter::PrintMapInfo(const MapInfo& info) {
  AppendInfo(info);
  out_.Put('\n');
}

void PlainFormatter::PrintMapList(const std::vector<PinnedMap>& maps) {
  for (const PinnedMap& map : maps) {
    if (!map.path.empty()) {
      out_.Write(map.path);
      out_.Write("  ");
    }
    if (!map.error.empty()) {
      out_.Format("error: {}\n", map.error);
      continue;
    }
    AppendInfo(map.info);
    out_.Put('\n');
  }
}

void PlainFormatter::PrintWatch(WatchSampler& read, const EntryShape& shape,
                        double time, size_t limit) {
  (void)time;
  for (const std::string& line : WatchTableLines(read, shape, limit, 0)) {
    out_.Write(line);
    out_.Put('\n');
  }
  out_.Put('\n');
  out_.Flush();
}

}  // namespace bpfmap
