#include "core/entries/entry_field.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/entries/cpu_fold.h"
#include "core/types/type_paths.h"

namespace bpfmap {
namespace {

// "key[0:4]" -> side "key", range 0..4; false if `text` is no byte range.
bool SplitByteRange(std::string_view text, std::string_view& side,
                    std::string_view& range) {
  size_t open = text.find('[');
  if (open == std::string_view::npos || text.back() != ']') return false;
  side = text.substr(0, open);
  range = text.substr(open + 1, text.size() - open - 2);
  return (side == "key" || side == "value") &&
         range.find(':') != std::string_view::npos;
}

Result<EntryField> ResolveByteRange(const EntryShape& shape,
                                    std::string_view side,
                                    std::string_view range,
                                    std::string_view what) {
  EntryField field;
  field.in_key = side == "key";
  uint32_t size = field.in_key ? shape.key_size : shape.layout.value_size;
  size_t colon = range.find(':');
  std::optional<uint32_t> begin = ParseUint32(range.substr(0, colon));
  std::optional<uint32_t> end = ParseUint32(range.substr(colon + 1));
  if (!begin || !end || *begin >= *end) {
    return Error::BadInput(fmt::format(
        "{}: {}[{}] is no byte range (give {}[FIRST:END], END past the last "
        "byte, as key[0:4])",
        what, side, range, side));
  }
  if (*end > size) {
    return Error::BadInput(fmt::format(
        "{}: {}[{}] reaches past the {}'s {} byte{}", what, side, range, side,
        size, size == 1 ? "" : "s"));
  }
  field.begin = *begin;
  field.end = *end;
  field.path = fmt::format("{}[{}:{}]", side, *begin, *end);
  return field;
}

}  // namespace

FieldKind KindOf(const EntryField& field) {
  if (field.type == nullptr) return FieldKind::kBytes;
  const TypeNode& type = *field.type;
  switch (type.format) {
    case LeafFormat::kIpv4:
    case LeafFormat::kIpv6:
    case LeafFormat::kMac:
      return FieldKind::kBytes;
    case LeafFormat::kStr:
      return FieldKind::kText;
    case LeafFormat::kNone:
      break;
    default:
      return IsScalar(type) ? FieldKind::kInteger : FieldKind::kBytes;
  }
  if (IsCharArray(type)) return FieldKind::kText;
  if (type.kind == TypeKind::kFloat) return FieldKind::kFloat;
  return IsScalar(type) ? FieldKind::kInteger : FieldKind::kBytes;
}

Result<EntryField> ResolveEntryField(const EntryShape& shape,
                                     std::string_view text,
                                     std::string_view what) {
  EntryField field;
  std::string_view side, range;
  if (SplitByteRange(text, side, range)) {
    BPFMAP_ASSIGN_OR_RETURN(field, ResolveByteRange(shape, side, range, what));
  } else {
    // PATH or PATH[INDEX]...
    std::string_view path = text;
    std::vector<uint32_t> indexes;
    while (!path.empty() && path.back() == ']') {
      size_t open = path.rfind('[');
      if (open == std::string_view::npos) break;
      std::optional<uint32_t> index =
          ParseUint32(path.substr(open + 1, path.size() - open - 2));
      if (!index) {
        return Error::BadInput(fmt::format(
            "{}: {} is no element (give FIELD[N], N from 0)", what, text));
      }
      indexes.insert(indexes.begin(), *index);
      path = path.substr(0, open);
    }
    if (!shape.types.key && !shape.types.value) {
      if (path != "key" && path != "value") {
        return Error::BadInput(fmt::format(
            "{}: no field {}: the map has no types (name bytes: key[0:4], "
            "value[8:16], or give --key-type/--value-type)",
            what, text));
      }
    }
    if ((path == "key" && !shape.types.key) ||
        (path == "value" && !shape.types.value)) {
      field.in_key = path == "key";
      field.path = std::string(path);
      field.end = field.in_key ? shape.key_size : shape.layout.value_size;
      if (!indexes.empty()) {
        return Error::BadInput(fmt::format(
            "{}: {} is untyped bytes, no array (name bytes as {}[A:B])", what,
            path, path));
      }
    } else {
      std::vector<NamedNode> nodes = NamedNodes(shape.types);
      BPFMAP_ASSIGN_OR_RETURN(NamedNode node,
                              FindNamedNode(nodes, path, what));
      field.in_key = node.path.compare(0, 3, "key") == 0 &&
                     (node.path.size() == 3 || node.path[3] == '.');
      field.root = field.in_key ? shape.types.key : shape.types.value;
      field.type = node.type;
      field.place = node.place;
      field.path = node.path;
      for (uint32_t index : indexes) {
        if (field.type->kind != TypeKind::kArray) {
          return Error::BadInput(fmt::format(
              "{}: {} is no array ({})", what, field.path, field.type->name));
        }
        if (index >= field.type->count) {
          return Error::BadInput(fmt::format(
              "{}: {} has {} elements; [{}] is past them", what, field.path,
              field.type->count, index));
        }
        field.place.bit_offset += index * field.type->element->size * 8;
        field.type = field.type->element.get();
        field.path += fmt::format("[{}]", index);
      }
    }
  }
  if (field.in_key && !shape.has_key) {
    return Error::BadInput(
        fmt::format("{}: {}: the map's entries have no keys", what, field.path));
  }
  if (!field.in_key && shape.layout.per_cpu && !shape.types.value) {
    return Error::BadInput(fmt::format(
        "{}: {} is one value per CPU, and untyped: give --value-type so "
        "they can be summed",
        what, field.path));
  }
  return field;
}

std::vector<std::string> EntryFieldPaths(const EntryShape& shape) {
  std::vector<std::string> paths;
  for (const NamedNode& node : NamedNodes(shape.types)) {
    paths.push_back(node.path);
  }
  return paths;
}

FieldValue ReadField(const EntryField& field, const uint8_t* key,
                     const uint8_t* value) {
  const uint8_t* base = field.in_key ? key : value;
  FieldValue out;
  out.kind = KindOf(field);
  if (field.type == nullptr) {
    out.bytes = std::string_view(reinterpret_cast<const char*>(base) +
                                     field.begin,
                                 field.end - field.begin);
    return out;
  }
  const TypeNode& type = *field.type;
  switch (out.kind) {
    case FieldKind::kInteger:
      out.integer = ReadInteger(type, base, field.place);
      break;
    case FieldKind::kFloat:
      out.real = ReadFloat(type, base, field.place);
      break;
    case FieldKind::kText: {
      const char* p =
          reinterpret_cast<const char*>(base) + field.place.bit_offset / 8;
      out.bytes = std::string_view(p, strnlen(p, type.size));
      break;
    }
    case FieldKind::kBytes:
      out.bytes = std::string_view(
          reinterpret_cast<const char*>(base) + field.place.bit_offset / 8,
          type.size);
      break;
  }
  return out;
}

int CompareFieldValues(const FieldValue& a, const FieldValue& b) {
  switch (a.kind) {
    case FieldKind::kInteger:
      return a.integer < b.integer ? -1 : a.integer > b.integer ? 1 : 0;
    case FieldKind::kFloat: {
      // A total order, so sorting stays defined: NaN after every number.
      bool nan_a = std::isnan(a.real), nan_b = std::isnan(b.real);
      if (nan_a || nan_b) return nan_a == nan_b ? 0 : nan_a ? 1 : -1;
      return a.real < b.real ? -1 : a.real > b.real ? 1 : 0;
    }
    case FieldKind::kText:
    case FieldKind::kBytes:
      return a.bytes.compare(b.bytes);
  }
  return 0;
}

EntryValueReader::EntryValueReader(const EntryShape& shape)
    : type_(shape.types.value), layout_(shape.layout) {
  fold_ = layout_.per_cpu && type_ != nullptr;
  if (fold_) folded_.resize(layout_.value_size);
}

const uint8_t* EntryValueReader::ValueOf(const EntryView& entry) {
  if (!fold_ || entry.value == nullptr) return entry.value;
  FoldCpuValuesInto(*type_, layout_, entry.value, CpuFold::kSum,
                    folded_.data());
  return folded_.data();
}

}  // namespace bpfmap
