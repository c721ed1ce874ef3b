#include "formatters/openmetrics_formatter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <cstring>

#include "core/model/map_types.h"
#include "core/types/type_paths.h"
#include "core/types/type_walk.h"
#include "core/types/typed_scalar.h"
#include "formatters/json_writer.h"
#include "formatters/typed_leaf.h"
#include "formatters/typed_text.h"

namespace bpfmap {
namespace {

using MetricLeaf = OpenMetricsFormatter::Leaf;

// Whether a key field is padding by its name (pad, __pad1, _reserved,
// unused[3]): no label, since it tells samples apart by nothing.
bool IsPadding(std::string_view path) {
  std::string_view name = path.substr(path.rfind('.') + 1);
  while (!name.empty() && name[0] == '_') name.remove_prefix(1);
  for (std::string_view prefix : {"pad", "reserved", "unused"}) {
    if (name.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// A float as the exposition formats spell it: NaN, +Inf, -Inf.
void AppendSampleDouble(double value, fmt::memory_buffer& out) {
  if (std::isnan(value)) {
    out.append(std::string_view("NaN"));
  } else if (std::isinf(value)) {
    out.append(std::string_view(value > 0 ? "+Inf" : "-Inf"));
  } else {
    AppendDouble(value, out);
  }
}

void AppendLabelValue(std::string_view text, fmt::memory_buffer& out) {
  for (char c : text) {
    if (c == '\\') {
      out.append(std::string_view("\\\\"));
    } else if (c == '"') {
      out.append(std::string_view("\\\""));
    } else if (c == '\n') {
      out.append(std::string_view("\\n"));
    } else {
      out.push_back(c);
    }
  }
}

std::string HelpText(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// {a="1",b="2"} from `labels` (nothing if none).
void AppendLabels(const std::vector<std::pair<std::string, std::string>>& labels,
                  fmt::memory_buffer& out) {
  if (labels.empty()) return;
  out.push_back('{');
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(labels[i].first);
    out.append(std::string_view("=\""));
    AppendLabelValue(labels[i].second, out);
    out.push_back('"');
  }
  out.push_back('}');
}

void AppendFamilyHead(std::string_view name, std::string_view help,
                      fmt::memory_buffer& out) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} gauge\n",
                 name, HelpText(help), name);
}

}  // namespace

std::string MetricName(std::string_view text) {
  std::string name;
  for (char c : text) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    name += ok ? c : '_';
  }
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
    name.insert(name.begin(), '_');
  }
  return name;
}

void OpenMetricsFormatter::BeginDump(const EntryShape& shape) {
  shape_ = shape;
  labels_.clear();
  values_.clear();
  families_.clear();
  std::string map = shape.map_name.empty()
                        ? fmt::format("map{}", shape.map_id)
                        : MetricName(shape.map_name);
  std::string prefix = "bpfmap_" + map + "_";
  if (shape.has_key) {
    if (shape.types.key) {
      for (const DisplayLeaf& cell : DisplayLeaves(*shape.types.key)) {
        MetricLeaf leaf;
        leaf.name = cell.path.empty() ? "key" : MetricName(cell.path);
        leaf.path = cell.path.empty() ? "key" : "key." + cell.path;
        leaf.type = cell.type;
        leaf.place = cell.place;
        leaf.padding = IsPadding(cell.path);
        labels_.push_back(std::move(leaf));
      }
    } else {
      labels_.push_back({"key", "key", nullptr, {}, {}});
    }
  }
  if (shape.types.value) {
    // Arrays of numbers: one family, an index label per element.
    for (const NumericLeaf& numeric : NumericLeaves(*shape.types.value)) {
      MetricLeaf leaf;
      leaf.name = prefix + (numeric.name.empty() ? "value"
                                                 : MetricName(numeric.name));
      leaf.path = numeric.name.empty() ? "value" : "value." + numeric.name;
      leaf.type = numeric.type;
      leaf.place = numeric.place;
      for (size_t i = 0; i < numeric.indexes.size(); ++i) {
        leaf.labels.emplace_back(
            i == 0 ? "index" : fmt::format("index{}", i + 1),
            std::to_string(numeric.indexes[i]));
      }
      values_.push_back(std::move(leaf));
    }
  } else if (shape.layout.value_size == 1 || shape.layout.value_size == 2 ||
             shape.layout.value_size == 4 || shape.layout.value_size == 8) {
    values_.push_back({prefix + "value", "value", nullptr, {}, {}});
  }
  if (values_.empty()) {
    err_.Format("bpfmap: warning: {}: no numeric values to expose (untyped "
                "values: give --value-type)\n",
                shape.map_name.empty() ? fmt::format("map {}", shape.map_id)
                                       : shape.map_name);
    err_.Flush();
  }
  // Label names are unique in a sample: a key field named like a label
  // bpfmap adds (cpu, index...), or like another key field once made a
  // name (a.b and a_b), is key_NAME (then key_NAME_2...).
  std::set<std::string> taken = {"cpu"};
  for (const Leaf& leaf : values_) {
    for (const auto& [name, value] : leaf.labels) taken.insert(name);
  }
  for (Leaf& label : labels_) {
    std::string name = label.name;
    if (taken.count(name) != 0) name = "key_" + label.name;
    for (int n = 2; taken.count(name) != 0; ++n) {
      name = fmt::format("key_{}_{}", label.name, n);
    }
    label.name = name;
    taken.insert(name);
  }
  // Families in the order of their first leaf; every leaf of one name (an
  // array's elements, a member of each element of an array of structs)
  // goes to it.
  std::map<std::string, size_t> by_name;
  for (Leaf& leaf : values_) {
    auto [it, added] = by_name.emplace(leaf.name, families_.size());
    leaf.family = it->second;
    if (!added) continue;
    Family family;
    family.name = leaf.name;
    family.help = fmt::format("{} of BPF map {}", leaf.path,
                              shape.map_name.empty()
                                  ? std::to_string(shape.map_id)
                                  : shape.map_name);
    families_.push_back(std::move(family));
  }
}

void OpenMetricsFormatter::AddSamples(const EntryView& entry) {
  std::vector<std::pair<std::string, std::string>> labels;
  fmt::memory_buffer text;
  for (const Leaf& label : labels_) {
    text.clear();
    if (label.padding) {
      const uint8_t* bytes = entry.key + label.place.bit_offset / 8;
      bool zero = true;
      for (uint32_t i = 0; i < label.type->size; ++i) zero &= bytes[i] == 0;
      if (zero) continue;  // padding as it should be: no label
    }
    if (label.type == nullptr) {
      for (uint32_t i = 0; i < entry.key_size; ++i) {
        fmt::format_to(std::back_inserter(text), "{:02x}", entry.key[i]);
      }
    } else {
      AppendTypedText(*label.type, entry.key, label.place,
                      /*bare_strings=*/true, text, &shape_.leaf_context);
    }
    labels.emplace_back(label.name, fmt::to_string(text));
  }
  const ValueLayout& layout = shape_.layout;
  for (const Leaf& leaf : values_) {
    fmt::memory_buffer& out = families_[leaf.family].samples;
    for (uint32_t cpu = 0; cpu < layout.cpus; ++cpu) {
      const uint8_t* value = layout.value_of(entry.value, cpu);
      std::vector<std::pair<std::string, std::string>> all = labels;
      all.insert(all.end(), leaf.labels.begin(), leaf.labels.end());
      if (layout.per_cpu) all.emplace_back("cpu", std::to_string(cpu));
      out.append(leaf.name);
      AppendLabels(all, out);
      out.push_back(' ');
      if (leaf.type == nullptr) {
        uint64_t number = 0;
        std::memcpy(&number, value, layout.value_size);  // little endian
        fmt::format_to(std::back_inserter(out), "{}", number);
      } else if (leaf.type->kind == TypeKind::kFloat) {
        AppendSampleDouble(ReadFloat(*leaf.type, value, leaf.place), out);
      } else {
        AppendInteger(ReadInteger(*leaf.type, value, leaf.place), out);
      }
      out.push_back('\n');
    }
  }
}

void OpenMetricsFormatter::WriteFamilies() {
  for (Family& family : families_) {
    if (family.samples.size() == 0) continue;
    AppendFamilyHead(family.name, family.help, sink_.buffer());
    sink_.buffer().append(family.samples);
    sink_.MaybeFlush();
  }
  sink_.Write("# EOF\n");
  sink_.Flush();
}

void OpenMetricsFormatter::DumpEntry(const EntryView& entry) {
  AddSamples(entry);
}

void OpenMetricsFormatter::EndDump() { WriteFamilies(); }

void OpenMetricsFormatter::PrintEntry(const EntryView& entry,
                                      const EntryShape& shape) {
  BeginDump(shape);
  AddSamples(entry);
  WriteFamilies();
}

void OpenMetricsFormatter::PrintWatch(WatchSampler& read,
                                      const EntryShape& shape, double,
                                      size_t limit) {
  BeginDump(shape);
  size_t count = std::min(limit, read.rows().size());
  for (size_t r = 0; r < count; ++r) AddSamples(read.view(read.rows()[r]));
  WriteFamilies();
}

void OpenMetricsFormatter::PrintMapInfo(const MapInfo& info) {
  PrintMapList({PinnedMap{"", info, ""}});
}

void OpenMetricsFormatter::PrintMapList(const std::vector<PinnedMap>& maps) {
  struct Gauge {
    const char* name;
    const char* help;
    std::optional<double> (*value)(const MapInfo&);
  };
  static const Gauge kGauges[] = {
      {"bpfmap_map_max_entries", "The most entries the map can hold",
       [](const MapInfo& m) -> std::optional<double> { return m.max_entries; }},
      {"bpfmap_map_entries",
       "The entries the map holds, counted (show --count, list --count)",
       [](const MapInfo& m) -> std::optional<double> {
         if (!m.entries) return std::nullopt;
         return static_cast<double>(*m.entries);
       }},
      {"bpfmap_map_fill_ratio", "entries / max_entries",
       [](const MapInfo& m) -> std::optional<double> {
         if (!m.entries || m.max_entries == 0) return std::nullopt;
         return static_cast<double>(*m.entries) / m.max_entries;
       }},
      {"bpfmap_map_memlock_bytes", "The memory the kernel charges the map",
       [](const MapInfo& m) -> std::optional<double> {
         return static_cast<double>(m.memlock);
       }},
  };
  fmt::memory_buffer& out = sink_.buffer();
  for (const Gauge& gauge : kGauges) {
    bool head = false;
    for (const PinnedMap& map : maps) {
      if (!map.error.empty()) continue;
      std::optional<double> value = gauge.value(map.info);
      if (!value) continue;
      if (!head) AppendFamilyHead(gauge.name, gauge.help, out);
      head = true;
      std::vector<std::pair<std::string, std::string>> labels = {
          {"id", std::to_string(map.info.id)},
          {"name", map.info.name},
          {"type", std::string(MapTypeName(map.info.type))}};
      if (!map.path.empty()) labels.emplace_back("path", map.path);
      out.append(std::string_view(gauge.name));
      AppendLabels(labels, out);
      out.push_back(' ');
      AppendSampleDouble(*value, out);
      out.push_back('\n');
    }
  }
  sink_.Write("# EOF\n");
  sink_.Flush();
}

void OpenMetricsFormatter::PrintCount(size_t count) {
  AppendFamilyHead("bpfmap_matching_entries",
                   "The entries dump --count found", sink_.buffer());
  sink_.Format("bpfmap_matching_entries {}\n# EOF\n", count);
  sink_.Flush();
}

}  // namespace bpfmap
