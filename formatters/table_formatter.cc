#include "formatters/table_formatter.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/base/bytes.h"
#include "core/model/map_types.h"
#include "core/types/type_paths.h"
#include "core/types/type_walk.h"
#include "formatters/histogram_text.h"
#include "formatters/plain_formatter.h"
#include "formatters/typed_text.h"
#include "formatters/watch_table.h"

namespace bpfmap {
namespace {

// Columns a terminal shows for `text`: one per UTF-8 character.
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++width;
  }
  return width;
}

bool IsNumeric(const TypeNode& type) {
  switch (type.format) {
    case LeafFormat::kNone:
      break;
    case LeafFormat::kPort:
    case LeafFormat::kDec:
    case LeafFormat::kRaw:
    case LeafFormat::kNs:
    case LeafFormat::kUs:
    case LeafFormat::kMs:
    case LeafFormat::kHex:
      return true;
    default:
      return false;
  }
  return type.kind == TypeKind::kInt || type.kind == TypeKind::kChar ||
         type.kind == TypeKind::kFloat || type.kind == TypeKind::kPointer;
}

std::string Join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

// `holders`: whether the maps come with who holds them (show, list);
// `entries`: with their entries counted (--count).
std::vector<std::string> InfoHeader(bool holders, bool entries) {
  std::vector<std::string> header = {
      "id",          "type",    "name",   "flags", "key", "value",
      "max_entries", "memlock", "btf_id", "frozen"};
  if (entries) header.insert(header.begin() + 7, {"entries", "full"});
  if (holders) header.insert(header.end(), {"pids", "programs"});
  return header;
}

std::vector<std::string> InfoCells(const MapInfo& info, bool holders,
                                   bool entries) {
  std::vector<std::string> cells = {fmt::format("{}", info.id),
                                    std::string(MapTypeName(info.type)),
                                    info.name.empty() ? "-" : info.name,
                                    fmt::format("{:#x}", info.flags),
                                    fmt::format("{}B", info.key_size),
                                    fmt::format("{}B", info.value_size),
                                    fmt::format("{}", info.max_entries),
                                    fmt::format("{}B", info.memlock),
                                    fmt::format("{}", info.btf_id),
                                    info.frozen ? "yes" : "no"};
  if (entries) {
    std::optional<double> full = info.PercentFull();
    cells.insert(cells.begin() + 7,
                 {info.entries ? fmt::format("{}", *info.entries) : "-",
                  full ? fmt::format("{:.1f}%", *full) : "-"});
  }
  if (holders) {
    std::vector<std::string> pids, programs;
    if (info.holders) {
      for (const MapHolders::Process& process : info.holders->processes) {
        pids.push_back(fmt::format("{}({})", process.comm, process.pid));
      }
      if (info.holders->uninspected != 0) {
        pids.push_back(
            fmt::format("+{} not inspected", info.holders->uninspected));
      }
      for (const MapHolders::Program& program : info.holders->programs) {
        programs.push_back(fmt::format("{}({})", program.name, program.id));
      }
    }
    cells.push_back(pids.empty() ? "-" : fmt::format("{}", fmt::join(pids, ",")));
    cells.push_back(programs.empty() ? "-"
                                     : fmt::format("{}", fmt::join(programs, ",")));
  }
  return cells;
}

}  // namespace

void TableFormatter::AddColumns(const TypeRef& type, std::string prefix,
                                bool from_key, uint32_t cpu) {
  if (type && !IsLeaf(*type) && type->kind != TypeKind::kArray) {
    // One column per leaf (core/types/type_paths.h: an array is one),
    // named by the path of members to it (range.lo).
    for (const DisplayLeaf& leaf : DisplayLeaves(*type)) {
      Column column;
      column.name = leaf.path;
      column.from_key = from_key;
      column.cpu = cpu;
      column.type = leaf.type;
      column.place = leaf.place;
      column.right_aligned = IsNumeric(*leaf.type);
      columns_.push_back(std::move(column));
    }
    // A struct's columns are named by their fields; per-CPU ones also by
    // their CPU.
    if (shape_.layout.per_cpu && !from_key) {
      for (Column& column : columns_) {
        if (!column.from_key && column.cpu == cpu) {
          column.name = Join(prefix, column.name);
        }
      }
    }
    return;
  }
  Column column;
  column.name = std::move(prefix);
  column.from_key = from_key;
  column.cpu = cpu;
  column.type = type.get();
  column.right_aligned = type && IsNumeric(*type);
  columns_.push_back(std::move(column));
}

void TableFormatter::BeginEvents(bool with_cpu, const LeafContext& context) {
  events_context_ = context;
  fmt::memory_buffer& buf = out_.buffer();
  if (with_cpu) {
    fmt::format_to(std::back_inserter(buf), "{:>4}  {:>20}  ", "cpu", "time");
  }
  buf.append(std::string_view("record\n"));
  out_.Flush();
}

void TableFormatter::PrintEvent(const EventRecord& record,
                                const TypeRef& type) {
  fmt::memory_buffer& buf = out_.buffer();
  if (record.cpu >= 0) {
    fmt::memory_buffer time;
    AppendEventTime(record.time_ns, time);
    fmt::format_to(std::back_inserter(buf), "{:>4}  {:>20}  ", record.cpu,
                   std::string_view(time.data(), time.size()));
  }
  AppendEntryData(type, record.data, record.size, /*bare_strings=*/false,
                  buf, &events_context_);
  buf.push_back('\n');
  out_.Flush();
}

void TableFormatter::BeginDump(const EntryShape& shape) {
  shape_ = shape;
  columns_.clear();
  rows_.clear();
  widths_.clear();
  widths_fixed_ = false;
  if (shape.has_key) AddColumns(shape.types.key, "key", /*from_key=*/true, 0);
  size_t key_columns = columns_.size();
  if (shape.layout.per_cpu) {
    for (uint32_t cpu = 0; cpu < shape.layout.cpus; ++cpu) {
      AddColumns(shape.types.value, fmt::format("cpu{}", cpu),
                 /*from_key=*/false, cpu);
    }
  } else {
    AddColumns(shape.types.value, shape.stack_values ? "stack" : "value",
               /*from_key=*/false, 0);
    if (shape.names && shape.builtin_value && shape.types.value &&
        shape.types.value->kind == TypeKind::kStruct) {
      // After each id, a column with what it names.
      for (const Field& field : shape.types.value->fields) {
        if (!IsNamedReference(field.name)) continue;
        for (size_t i = key_columns; i < columns_.size(); ++i) {
          if (columns_[i].name != field.name) continue;
          Column named;
          named.name = ReferenceColumnName(field.name);
          named.names_of = &field;
          columns_.insert(columns_.begin() + static_cast<long>(i) + 1,
                          std::move(named));
          break;
        }
      }
    }
  }
  // Key and value fields of the same name: say which is which.
  std::set<std::string> key_names;
  for (size_t i = 0; i < key_columns; ++i) key_names.insert(columns_[i].name);
  bool clash = false;
  for (size_t i = key_columns; i < columns_.size(); ++i) {
    if (key_names.count(columns_[i].name) != 0) clash = true;
  }
  if (clash) {
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i].type != nullptr && columns_[i].name != "key" &&
          columns_[i].name.rfind("cpu", 0) != 0) {
        columns_[i].name =
            Join(i < key_columns ? "key" : "value", columns_[i].name);
      }
    }
  }
  std::vector<std::string> header;
  for (const Column& column : columns_) header.push_back(column.name);
  AddRow(header);
}

void TableFormatter::DumpEntry(const EntryView& entry) {
  const ValueLayout& layout = shape_.layout;
  cells_.resize(columns_.size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    const Column& column = columns_[i];
    cell_.clear();
    const uint8_t* data;
    size_t size;
    if (column.from_key) {
      data = entry.key;
      size = entry.key_size;
    } else {
      data = layout.per_cpu ? layout.value_of(entry.value, column.cpu)
                            : entry.value;
      size = layout.value_size;
    }
    if (column.names_of != nullptr) {
      std::string name = shape_.names->NameOf(
          column.names_of->name, ReferenceId(data, *column.names_of));
      cell_.append(name.empty() ? std::string_view("-")
                                : std::string_view(name));
    } else if (!column.from_key && shape_.stack_values) {
      AppendStackText(data, static_cast<uint32_t>(size), shape_.symbols.get(),
                      cell_);
    } else if (column.type == nullptr) {
      AppendHexBytes(data, size, cell_, ' ');
    } else {
      AppendTypedText(*column.type, data, column.place, /*bare_strings=*/true,
                      cell_, &shape_.leaf_context);
    }
    cells_[i].assign(cell_.data(), cell_.size());
    Cut(cells_[i]);
  }
  AddRow(cells_);
}

void TableFormatter::Cut(std::string& cell) const {
  if (!terminal_ || width_ < 2 || DisplayWidth(cell) <= width_) return;
  size_t keep = width_ - 1;  // characters, then the ellipsis
  size_t pos = 0;
  for (size_t chars = 0; pos < cell.size(); ++pos) {
    if ((static_cast<unsigned char>(cell[pos]) & 0xc0) != 0x80) {
      if (chars == keep) break;
      ++chars;
    }
  }
  cell.resize(pos);
  cell += "\u2026";
}

void TableFormatter::AddRow(const std::vector<std::string>& cells) {
  if (widths_fixed_) {
    PrintRow(cells);
    return;
  }
  rows_.push_back(cells);
  if (rows_.size() > kRowsToMeasure) Finish();
}

void TableFormatter::Finish() {
  if (widths_fixed_) return;
  widths_.assign(rows_.empty() ? 0 : rows_[0].size(), 0);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size() && i < widths_.size(); ++i) {
      widths_[i] = std::max(widths_[i], DisplayWidth(row[i]));
    }
  }
  widths_fixed_ = true;
  for (const auto& row : rows_) PrintRow(row);
  rows_.clear();
}

void TableFormatter::PrintRow(const std::vector<std::string>& row) {
  fmt::memory_buffer& buf = out_.buffer();
  auto pad = [&buf](size_t n) {
    static constexpr std::string_view kSpaces = "                                ";
    for (; n > kSpaces.size(); n -= kSpaces.size()) buf.append(kSpaces);
    buf.append(kSpaces.substr(0, n));
  };
  pad(indent_);
  for (size_t i = 0; i < row.size(); ++i) {
    bool last = i + 1 == row.size();
    size_t width = i < widths_.size() ? widths_[i] : 0;
    size_t shown = DisplayWidth(row[i]);
    size_t fill = width > shown ? width - shown : 0;
    // Headers line up with their column's alignment.
    bool right = i < columns_.size() && columns_[i].right_aligned;
    if (right) pad(fill);
    buf.append(row[i]);
    if (!right && !last) pad(fill);
    if (!last) buf.append(std::string_view("  "));
  }
  // An empty last cell leaves the separator behind it.
  while (buf.size() > 0 && buf[buf.size() - 1] == ' ') {
    buf.resize(buf.size() - 1);
  }
  buf.push_back('\n');
  out_.MaybeFlush();
}

void TableFormatter::EndDump() { Finish(); }

void TableFormatter::BeginInnerDump(const EntryView& entry, uint32_t) {
  DumpEntry(entry);
  Finish();
  outer_.push_back({shape_, columns_, widths_});
  indent_ += 4;
}

void TableFormatter::EndInnerDump() {
  indent_ -= 4;
  Outer& outer = outer_.back();
  shape_ = std::move(outer.shape);
  columns_ = std::move(outer.columns);
  widths_ = std::move(outer.widths);
  outer_.pop_back();
  rows_.clear();
  widths_fixed_ = true;
}

void TableFormatter::FlushDump() {
  Finish();
  out_.Flush();
}

void TableFormatter::PrintEntry(const EntryView& entry,
                                const EntryShape& shape) {
  BeginDump(shape);
  DumpEntry(entry);
  EndDump();
}

void TableFormatter::PrintHistograms(const HistogramReport& report,
                                     const EntryShape& shape) {
  AppendHistogramsText(report, shape, sink_.buffer());
  sink_.MaybeFlush();
}

void TableFormatter::PrintNextKey(const uint8_t* key, const uint8_t* next,
                                  uint32_t size, const TypeRef& type,
                                  const LeafContext& context) {
  auto text = [&](const uint8_t* data) {
    fmt::memory_buffer buf;
    if (data == nullptr) {
      buf.append(std::string_view("-"));
    } else {
      AppendEntryData(type, data, size, /*bare_strings=*/false, buf,
                      &context);
    }
    return fmt::to_string(buf);
  };
  columns_.clear();
  widths_fixed_ = false;
  rows_.clear();
  AddRow({"key", "next key"});
  AddRow({text(key), text(next)});
  Finish();
}

void TableFormatter::BeginDiff() {
  columns_.clear();
  widths_fixed_ = false;
  rows_.clear();
  AddRow({"change", "key", "field", "old", "new", "delta"});
}

void TableFormatter::PrintDifference(const EntryDifference& difference) {
  using Kind = EntryDifference::Kind;
  auto cell = [this](std::string text) {
    if (text.empty()) text = "-";
    Cut(text);
    return text;
  };
  switch (difference.kind) {
    case Kind::kAdded:
      AddRow({"added", cell(difference.key_json), difference.member, "-",
              cell(difference.new_json), "-"});
      return;
    case Kind::kRemoved:
      AddRow({"removed", cell(difference.key_json), difference.member,
              cell(difference.old_json), "-", "-"});
      return;
    case Kind::kChanged:
      for (const LeafChange& leaf : difference.leaves) {
        std::string delta = leaf.delta;
        if (!delta.empty() && delta[0] != '-') delta.insert(0, "+");
        AddRow({"changed", cell(difference.key_json), leaf.path,
                cell(leaf.old_json), cell(leaf.new_json), cell(delta)});
      }
      return;
  }
}

void TableFormatter::EndDiff() {
  if (rows_.size() <= 1) {  // the header alone
    rows_.clear();
    return;
  }
  Finish();
}

void TableFormatter::PrintMapInfo(const MapInfo& info) {
  columns_.clear();
  widths_fixed_ = false;
  rows_.clear();
  bool holders = info.holders.has_value();
  bool entries = info.entries.has_value();
  AddRow(InfoHeader(holders, entries));
  AddRow(InfoCells(info, holders, entries));
  Finish();
}

void TableFormatter::PrintMapList(const std::vector<PinnedMap>& maps) {
  columns_.clear();
  widths_fixed_ = false;
  rows_.clear();
  // show with no MAP lists maps that have no path.
  bool paths = std::any_of(maps.begin(), maps.end(), [](const PinnedMap& m) {
    return !m.path.empty();
  });
  bool holders = std::any_of(maps.begin(), maps.end(), [](const PinnedMap& m) {
    return m.info.holders.has_value();
  });
  bool entries = std::any_of(maps.begin(), maps.end(), [](const PinnedMap& m) {
    return m.info.entries.has_value();
  });
  std::vector<std::string> header = InfoHeader(holders, entries);
  if (paths) header.insert(header.begin(), "path");
  AddRow(std::move(header));
  for (const PinnedMap& map : maps) {
    std::vector<std::string> cells = InfoCells(map.info, holders, entries);
    if (!map.error.empty()) {
      // A pin that could not be opened: its reason where its id would be.
      std::fill(cells.begin(), cells.end(), "");
      cells[0] = "error: " + map.error;
      Cut(cells[0]);
    }
    if (paths) {
      std::string path = map.path;
      Cut(path);
      cells.insert(cells.begin(), std::move(path));
    }
    AddRow(std::move(cells));
  }
  Finish();
}

void TableFormatter::PrintNote(std::string_view line) {
  WriteNote(line, out_, err_);
}

void TableFormatter::PrintWatch(WatchSampler& read, const EntryShape& shape,
                        double time, size_t limit) {
  (void)time;
  for (const std::string& line : WatchTableLines(read, shape, limit, 0)) {
    sink_.Write(line);
    sink_.Put('\n');
  }
  sink_.Put('\n');
  sink_.Flush();
}

}  // namespace bpfmap
