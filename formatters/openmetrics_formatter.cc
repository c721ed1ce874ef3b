#include "formatters/openmetrics_formatter.h"

#include <fmt/format.h>

#include <cctype>
#include <cstring>

#include "core/model/map_types.h"
#include "core/types/type_walk.h"
#include "core/types/typed_scalar.h"
#include "formatters/json_writer.h"
#include "formatters/typed_leaf.h"
#include "formatters/typed_text.h"

namespace bpfmap {
namespace {

using MetricLeaf = OpenMetricsFormatter::Leaf;

// Whether a leaf's value is a number a gauge can hold (not an address, a
// MAC, text or a symbol, which only look like numbers).
bool IsNumeric(const TypeNode& type) {
  switch (type.format) {
    case LeafFormat::kIpv4:
    case LeafFormat::kIpv6:
    case LeafFormat::kMac:
    case LeafFormat::kStr:
    case LeafFormat::kKsym:
      return false;
    default:
      break;
  }
  if (!IsScalar(type)) return false;
  return type.kind != TypeKind::kPointer && type.kind != TypeKind::kChar;
}

std::string JoinPath(const std::vector<std::string>& names) {
  std::string path;
  for (const std::string& name : names) {
    if (name.empty()) continue;
    if (!path.empty()) path += '_';
    path += name;
  }
  return path;
}

// The key's leaves, each a label: a scalar or formatted leaf, or a whole
// array ("[0 0 0]"), named by its path.
struct LabelCollector : TypeVisitor {
  std::vector<MetricLeaf>& out;
  std::vector<std::string> names;
  explicit LabelCollector(std::vector<MetricLeaf>& out) : out(out) {}

  bool EnterRecord(const TypeNode&, LeafPlace) {
    names.emplace_back();
    return true;
  }
  MemberWalk Member(const Field& field, LeafPlace) {
    MemberWalk walk = CMemberWalk(field);
    if (walk == MemberWalk::kWalk) names.back() = field.name;
    return walk;
  }
  void LeaveRecord(const TypeNode&) { names.pop_back(); }
  bool EnterArray(const TypeNode& type, LeafPlace place) {
    Leaf(type, place);
    return false;
  }
  void Leaf(const TypeNode& type, LeafPlace place) {
    std::string path = JoinPath(names);
    MetricLeaf leaf;
    leaf.name = path.empty() ? "key" : MetricName(path);
    leaf.path = path.empty() ? "key" : "key." + path;
    leaf.type = &type;
    leaf.place = place;
    out.push_back(std::move(leaf));
  }
};

// The value's numeric leaves, each a family; arrays of numbers one family
// with an index label per element.
struct SampleCollector : TypeVisitor {
  std::vector<MetricLeaf>& out;
  std::string prefix;  // "bpfmap_flows_"
  std::vector<std::string> names;
  std::vector<std::pair<std::string, std::string>> indexes;
  SampleCollector(std::vector<MetricLeaf>& out, std::string prefix)
      : out(out), prefix(std::move(prefix)) {}

  bool EnterRecord(const TypeNode&, LeafPlace) {
    names.emplace_back();
    return true;
  }
  MemberWalk Member(const Field& field, LeafPlace) {
    MemberWalk walk = CMemberWalk(field);
    if (walk == MemberWalk::kWalk) names.back() = field.name;
    return walk;
  }
  void LeaveRecord(const TypeNode&) { names.pop_back(); }
  bool EnterArray(const TypeNode& type, LeafPlace) {
    if (IsCharArray(type)) return false;
    indexes.emplace_back(
        indexes.empty() ? "index" : fmt::format("index{}", indexes.size() + 1),
        "");
    return true;
  }
  void Element(uint32_t i) { indexes.back().second = std::to_string(i); }
  void LeaveArray(const TypeNode&) { indexes.pop_back(); }
  void Leaf(const TypeNode& type, LeafPlace place) {
    if (!IsNumeric(type)) return;
    std::string path = JoinPath(names);
    MetricLeaf leaf;
    leaf.name = prefix + (path.empty() ? "value" : MetricName(path));
    leaf.path = "value";
    for (const std::string& name : names) {
      if (!name.empty()) leaf.path += "." + name;
    }
    leaf.type = &type;
    leaf.place = place;
    leaf.labels = indexes;
    out.push_back(std::move(leaf));
  }
};

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
      LabelCollector labels(labels_);
      WalkType(*shape.types.key, LeafPlace{}, labels);
    } else {
      labels_.push_back({"key", "key", nullptr, {}, {}});
    }
  }
  if (shape.types.value) {
    SampleCollector samples(values_, prefix);
    WalkType(*shape.types.value, LeafPlace{}, samples);
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
  // Families in the order of the value's leaves; an array's elements share
  // one.
  for (const Leaf& leaf : values_) {
    if (!families_.empty() && families_.back().name == leaf.name) continue;
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
  size_t family = 0;
  for (const Leaf& leaf : values_) {
    while (families_[family].name != leaf.name) ++family;
    fmt::memory_buffer& out = families_[family].samples;
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
        AppendDouble(ReadFloat(*leaf.type, value, leaf.place), out);
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
      AppendDouble(*value, out);
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
