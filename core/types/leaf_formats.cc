#include "core/types/leaf_formats.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>

#include "core/types/type_paths.h"

namespace bpfmap {
namespace {

struct NamedFormat {
  std::string_view name;
  LeafFormat format;
};

// "ip" is ipv4 or ipv6 by size, "char" is str: both resolved by Fit().
constexpr NamedFormat kFormats[] = {
    {"ipv4", LeafFormat::kIpv4},   {"ipv6", LeafFormat::kIpv6},
    {"ip", LeafFormat::kIpv4},     {"mac", LeafFormat::kMac},
    {"port", LeafFormat::kPort},   {"hex", LeafFormat::kHex},
    {"dec", LeafFormat::kDec},     {"char", LeafFormat::kStr},
    {"str", LeafFormat::kStr},     {"bool", LeafFormat::kBool},
    {"ns", LeafFormat::kNs},       {"us", LeafFormat::kUs},
    {"ms", LeafFormat::kMs},       {"ktime", LeafFormat::kKtime},
    {"ktime_boot", LeafFormat::kKtimeBoot},
    {"ksym", LeafFormat::kKsym},   {"errno", LeafFormat::kErrno},
    {"raw", LeafFormat::kRaw},
};

bool IsIntegerLike(const TypeNode& type) {
  return type.kind == TypeKind::kInt || type.kind == TypeKind::kChar ||
         type.kind == TypeKind::kBool || type.kind == TypeKind::kEnum ||
         type.kind == TypeKind::kPointer;
}

// Formats that say how to read a number, and so may be given for a whole
// struct or array: every integer in it is read that way.
bool IsNumberFormat(LeafFormat format) {
  switch (format) {
    case LeafFormat::kHex:
    case LeafFormat::kDec:
    case LeafFormat::kBool:
    case LeafFormat::kNs:
    case LeafFormat::kUs:
    case LeafFormat::kMs:
    case LeafFormat::kKtime:
    case LeafFormat::kKtimeBoot:
    case LeafFormat::kErrno:
    case LeafFormat::kRaw:
      return true;
    default:
      return false;
  }
}

bool IsByteArray(const TypeNode& type) {
  return type.kind == TypeKind::kArray && type.element->size == 1 &&
         IsIntegerLike(*type.element);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(c));
  return out;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() > suffix.size() &&
         text.substr(text.size() - suffix.size()) == suffix;
}

// saddr, daddr, addr, ip, src, dst, src_ip, *_addr, *_ip, with a v4/v6
// ending (saddr_v6, ip6) allowed.
bool IsAddressName(std::string_view field) {
  std::string name = Lower(field);
  for (std::string_view ending : {"_v4", "_v6", "v4", "v6", "4", "6"}) {
    if (EndsWith(name, ending)) {
      name.resize(name.size() - ending.size());
      break;
    }
  }
  static constexpr std::string_view kNames[] = {
      "addr",  "ip",    "ipv",   "saddr", "daddr", "laddr",  "raddr",
      "src",   "dst",   "sip",   "dip",   "srcip", "dstip",  "ipaddr",
      "src_ip", "dst_ip", "nexthop"};
  for (std::string_view known : kNames) {
    if (name == known) return true;
  }
  return EndsWith(name, "_addr") || EndsWith(name, "_ip");
}

// mac, smac, dmac, h_source, h_dest, *_mac, mac_*, *_hwaddr.
bool IsMacName(std::string_view field) {
  std::string name = Lower(field);
  static constexpr std::string_view kNames[] = {"mac",    "smac",    "dmac",
                                                "hwaddr", "h_source", "h_dest",
                                                "lladdr"};
  for (std::string_view known : kNames) {
    if (name == known) return true;
  }
  return EndsWith(name, "_mac") || name.rfind("mac_", 0) == 0 ||
         EndsWith(name, "_hwaddr");
}

// The default format of a node named `name` (a member's name, or ""), and
// the rule that gave it, for --debug.
LeafFormat DefaultFormat(const TypeNode& type, std::string_view name,
                         std::string& rule) {
  if (type.name == "struct in_addr" && type.size == 4) {
    rule = "struct in_addr";
    return LeafFormat::kIpv4;
  }
  if (type.name == "struct in6_addr" && type.size == 16) {
    rule = "struct in6_addr";
    return LeafFormat::kIpv6;
  }
  if (name.empty()) return LeafFormat::kNone;
  // Unsigned integers only: char ip[16] holds text ("10.0.0.1"), and a
  // signed field holds a number.
  auto unsigned_int = [](const TypeNode& node, uint32_t size) {
    return node.kind == TypeKind::kInt && !node.is_signed && node.size == size;
  };
  auto unsigned_array = [&](uint32_t count, uint32_t element_size) {
    return type.kind == TypeKind::kArray && type.count == count &&
           unsigned_int(*type.element, element_size);
  };
  if (IsAddressName(name)) {
    bool word4 = unsigned_int(type, 4);
    bool bytes4 = unsigned_array(4, 1);
    bool wide16 = unsigned_int(type, 16);
    bool bytes16 = unsigned_array(16, 1);
    bool words16 = unsigned_array(4, 4);
    if (word4 || bytes4 || wide16 || bytes16 || words16) {
      rule = fmt::format("{} named {}", type.name, name);
      return type.size == 4 ? LeafFormat::kIpv4 : LeafFormat::kIpv6;
    }
  }
  if (IsMacName(name) && unsigned_array(6, 1)) {
    rule = fmt::format("{} named {}", type.name, name);
    return LeafFormat::kMac;
  }
  return LeafFormat::kNone;
}

// The format `kind` gives `node`, or why it cannot.
Result<LeafFormat> Fit(const NamedNode& node, std::string_view kind) {
  const TypeNode& type = *node.type;
  bool bitfield = node.place.bit_size != 0;
  LeafFormat format = LeafFormat::kNone;
  for (const NamedFormat& known : kFormats) {
    if (known.name == kind) format = known.format;
  }
  auto refuse = [&](std::string_view takes) -> Error {
    return Error::BadInput(fmt::format("--fmt: {}: {} takes {}; {} is {}",
                                       node.path, kind, takes, type.name,
                                       bitfield
                                           ? std::string("a bitfield")
                                           : fmt::format("{} byte{}",
                                                         type.size,
                                                         type.size == 1
                                                             ? ""
                                                             : "s")));
  };
  bool whole = !bitfield && type.kind != TypeKind::kFloat;
  if (kind == "ip") {
    if (whole && type.size == 4) return LeafFormat::kIpv4;
    if (whole && type.size == 16) return LeafFormat::kIpv6;
    return refuse("4 bytes (IPv4) or 16 (IPv6)");
  }
  switch (format) {
    case LeafFormat::kIpv4:
      if (whole && type.size == 4) return format;
      return refuse("4 bytes");
    case LeafFormat::kIpv6:
      if (whole && type.size == 16) return format;
      return refuse("16 bytes");
    case LeafFormat::kMac:
      if (whole && type.size == 6) return format;
      return refuse("6 bytes");
    case LeafFormat::kPort:
      if (!bitfield && IsIntegerLike(type) && type.size == 2) {
        return format;
      }
      return refuse("a 2-byte integer");
    case LeafFormat::kStr:
      if (IsByteArray(type) || (!bitfield && IsIntegerLike(type) &&
                                type.size == 1)) {
        return format;
      }
      return refuse("an array of bytes (or one byte)");
    case LeafFormat::kKsym:
      if (!bitfield && IsIntegerLike(type) && type.size == 8) {
        return format;
      }
      return refuse("an 8-byte integer or pointer");
    case LeafFormat::kNone:
      break;
    default:  // formats of numbers
      if (IsIntegerLike(type) || !IsScalar(type)) return format;
      return refuse("an integer");
  }
  std::vector<std::string_view> names = LeafFormatNames();
  return Error::BadInput(fmt::format("--fmt: {}={}: no format {} (formats: {})",
                                     node.path, kind, kind,
                                     fmt::join(names, ", ")));
}

class Annotator {
 public:
  Annotator(const FormatSpec& spec, std::vector<std::string>* explained)
      : spec_(spec), explained_(explained) {}

  // The formats asked for, by path.
  std::map<std::string, std::pair<LeafFormat, std::string>> requested;

  // `node` at `path` (a member named `name`), with the formats set: the
  // same node if nothing in it changed.
  TypeRef Annotate(const TypeRef& node, const std::string& path,
                   std::string_view name, LeafFormat inherited,
                   std::string inherited_from) {
    LeafFormat format = LeafFormat::kNone;
    std::string why;
    auto asked = requested.find(path);
    if (asked != requested.end()) {
      if (IsScalar(*node) || !IsNumberFormat(asked->second.first)) {
        format = asked->second.first;
        why = asked->second.second;
      } else {
        inherited = asked->second.first;  // every integer inside
        inherited_from = asked->second.second;
      }
    }
    if (format == LeafFormat::kNone && inherited != LeafFormat::kNone &&
        IsScalar(*node) && IsIntegerLike(*node)) {
      format = inherited;
      why = inherited_from;
    }
    if (format == LeafFormat::kNone && spec_.raw_byte_order &&
        node->big_endian) {
      auto copy = std::make_shared<TypeNode>(*node);
      copy->format = LeafFormat::kRaw;
      return copy;
    }
    if (format == LeafFormat::kNone && inherited == LeafFormat::kNone &&
        spec_.defaults && !RequestedBelow(path)) {
      std::string rule;
      format = DefaultFormat(*node, name, rule);
      if (format != LeafFormat::kNone) why = "default: " + rule;
    }
    if (format != LeafFormat::kNone) {
      Explain(fmt::format("{}: {} ({})", path, LeafFormatName(format), why));
      auto copy = std::make_shared<TypeNode>(*node);
      copy->format = format;
      return copy;
    }
    if (node->big_endian) {
      Explain(fmt::format("{}: network byte order ({})", path, node->name));
    }
    if (node->kind == TypeKind::kArray) {
      TypeRef element =
          Annotate(node->element, path + "[]", "", inherited, inherited_from);
      if (element == node->element) return node;
      auto copy = std::make_shared<TypeNode>(*node);
      copy->element = std::move(element);
      return copy;
    }
    if (node->kind != TypeKind::kStruct && node->kind != TypeKind::kUnion) {
      return node;
    }
    std::shared_ptr<TypeNode> copy;
    for (size_t i = 0; i < node->fields.size(); ++i) {
      const Field& field = node->fields[i];
      TypeRef annotated =
          field.name.empty()
              ? Annotate(field.type, path, "", inherited, inherited_from)
              : Annotate(field.type, path + "." + field.name, field.name,
                         inherited, inherited_from);
      if (annotated == field.type) continue;
      if (!copy) copy = std::make_shared<TypeNode>(*node);
      copy->fields[i].type = std::move(annotated);
    }
    return copy ? TypeRef(copy) : node;
  }

 private:
  // Whether --fmt names a node inside the one at `path` (whose default,
  // which would make it one leaf, must then give way).
  bool RequestedBelow(const std::string& path) const {
    auto after = requested.upper_bound(path);
    return after != requested.end() &&
           after->first.compare(0, path.size() + 1, path + ".") == 0;
  }

  void Explain(std::string line) {
    if (explained_ != nullptr) explained_->push_back(std::move(line));
  }

  const FormatSpec& spec_;
  std::vector<std::string>* explained_;
};

}  // namespace

const std::vector<std::string_view>& LeafFormatNames() {
  static const auto* names = [] {
    auto* list = new std::vector<std::string_view>();
    for (const NamedFormat& known : kFormats) list->push_back(known.name);
    return list;
  }();
  return *names;
}

std::vector<std::string_view> FormatNamesFitting(const NamedNode& node) {
  std::vector<std::string_view> names;
  for (std::string_view name : LeafFormatNames()) {
    if (Fit(node, name).ok()) names.push_back(name);
  }
  return names;
}

std::string_view LeafFormatName(LeafFormat format) {
  if (format == LeafFormat::kStr) return "str";
  for (const NamedFormat& known : kFormats) {
    if (known.format == format && known.name != "ip") return known.name;
  }
  return "none";
}

Result<FormatSpec> ParseFormatSpec(std::string_view text) {
  FormatSpec spec;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(start, end - start);
    start = end + 1;
    if (part.empty()) continue;
    if (part == "none") {
      spec.defaults = false;
      continue;
    }
    size_t equals = part.find('=');
    if (equals == std::string_view::npos || equals == 0 ||
        equals + 1 == part.size()) {
      return Error::BadInput(fmt::format(
          "--fmt: '{}' is not FIELD=KIND (e.g. key.saddr=ipv4) or none", part));
    }
    FormatRequest request{std::string(part.substr(0, equals)),
                          std::string(part.substr(equals + 1))};
    const auto& names = LeafFormatNames();
    if (std::find(names.begin(), names.end(), request.kind) == names.end()) {
      return Error::BadInput(fmt::format("--fmt: {}: no format {} (formats: {})",
                                         part, request.kind,
                                         fmt::join(names, ", ")));
    }
    spec.requests.push_back(std::move(request));
  }
  return spec;
}

Result<MapTypes> ApplyFormats(const MapTypes& types, const FormatSpec& spec,
                              std::vector<std::string>* explained) {
  std::vector<NamedNode> nodes = NamedNodes(types);
  Annotator annotator(spec, explained);
  for (const FormatRequest& request : spec.requests) {
    BPFMAP_ASSIGN_OR_RETURN(NamedNode node,
                            FindNamedNode(nodes, request.field, "--fmt"));
    BPFMAP_ASSIGN_OR_RETURN(LeafFormat format, Fit(node, request.kind));
    annotator.requested[node.path] = {
        format, fmt::format("--fmt {}={}", request.field, request.kind)};
  }
  MapTypes annotated;
  if (types.key) {
    annotated.key = annotator.Annotate(types.key, "key", "", LeafFormat::kNone, "");
  }
  if (types.value) {
    annotated.value =
        annotator.Annotate(types.value, "value", "", LeafFormat::kNone, "");
  }
  return annotated;
}

}  // namespace bpfmap
