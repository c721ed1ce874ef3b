#include "core/entries/entry_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/base/number.h"

namespace bpfmap {
namespace {

// The key and the value member of an entry object.
struct EntryParts {
  const Literal* key = nullptr;
  const Literal* value = nullptr;
  std::string member;
};

Result<EntryParts> PartsOf(const Literal& entry, std::string_view origin) {
  EntryParts parts;
  if (entry.kind == Literal::Kind::kObject) {
    for (const auto& [name, member] : entry.members) {
      if (name == "key") {
        parts.key = &member;
      } else if (name == "value" || name == "values") {
        parts.value = &member;
        parts.member = name;
      }
    }
  }
  if (parts.key == nullptr || parts.value == nullptr) {
    return Error::BadInput(fmt::format(
        "{}: not an entry as dump prints one ({{\"key\": ..., \"value\": "
        "...}})",
        origin));
  }
  return parts;
}

// new - old for two JSON numbers, as JSON: integers exactly, others as
// doubles.
std::string DeltaOf(const std::string& old_text, const std::string& new_text) {
  std::optional<Int128> a = ParseInteger(old_text);
  std::optional<Int128> b = ParseInteger(new_text);
  if (a && b) {
    Int128 delta = *b - *a;
    bool negative = delta < 0;
    Uint128 magnitude = negative ? -static_cast<Uint128>(delta)
                                 : static_cast<Uint128>(delta);
    std::string digits;
    do {
      digits += static_cast<char>('0' + static_cast<int>(magnitude % 10));
      magnitude /= 10;
    } while (magnitude != 0);
    if (negative) digits += '-';
    std::reverse(digits.begin(), digits.end());
    return digits;
  }
  double delta = std::strtod(new_text.c_str(), nullptr) -
                 std::strtod(old_text.c_str(), nullptr);
  if (!std::isfinite(delta)) return "";
  return fmt::format("{}", delta);
}

}  // namespace

void CompareValues(const Literal& old_value, const Literal& new_value,
                   const std::string& path, std::vector<LeafChange>& out) {
  using Kind = Literal::Kind;
  if (old_value.kind == Kind::kObject && new_value.kind == Kind::kObject) {
    for (const auto& [name, member] : new_value.members) {
      auto old_member = std::find_if(
          old_value.members.begin(), old_value.members.end(),
          [&name = name](const auto& m) { return m.first == name; });
      std::string inner = path.empty() ? name : path + "." + name;
      if (old_member == old_value.members.end()) {
        out.push_back({inner, "", LiteralJson(member), ""});
      } else {
        CompareValues(old_member->second, member, inner, out);
      }
    }
    for (const auto& [name, member] : old_value.members) {
      bool kept = std::any_of(
          new_value.members.begin(), new_value.members.end(),
          [&name = name](const auto& m) { return m.first == name; });
      if (!kept) {
        out.push_back({path.empty() ? name : path + "." + name,
                       LiteralJson(member), "", ""});
      }
    }
    return;
  }
  if (old_value.kind == Kind::kArray && new_value.kind == Kind::kArray &&
      old_value.items.size() == new_value.items.size()) {
    for (size_t i = 0; i < new_value.items.size(); ++i) {
      CompareValues(old_value.items[i], new_value.items[i],
                    fmt::format("{}[{}]", path, i), out);
    }
    return;
  }
  std::string old_json = LiteralJson(old_value);
  std::string new_json = LiteralJson(new_value);
  if (old_json == new_json) return;
  std::string delta;
  if (old_value.kind == Kind::kNumber && new_value.kind == Kind::kNumber) {
    delta = DeltaOf(old_value.text, new_value.text);
  }
  out.push_back({path, std::move(old_json), std::move(new_json),
                 std::move(delta)});
}

Status EntryDiff::AddOld(const Literal& entry, std::string_view origin) {
  BPFMAP_ASSIGN_OR_RETURN(EntryParts parts, PartsOf(entry, origin));
  std::string key = LiteralJson(*parts.key);
  OldEntry old{parts.member, LiteralJson(*parts.value), old_.size(), false};
  if (!old_.emplace(key, std::move(old)).second) {
    return Error::BadInput(
        fmt::format("{}: key {} is there twice", origin, key));
  }
  return OkStatus();
}

Result<std::optional<EntryDifference>> EntryDiff::CompareNew(
    const Literal& entry, std::string_view origin) {
  BPFMAP_ASSIGN_OR_RETURN(EntryParts parts, PartsOf(entry, origin));
  std::string key = LiteralJson(*parts.key);
  if (!new_keys_.insert(key).second) {
    return Error::BadInput(
        fmt::format("{}: key {} is there twice", origin, key));
  }
  std::string value = LiteralJson(*parts.value);
  auto old = old_.find(key);
  EntryDifference difference;
  difference.key_json = key;
  difference.member = parts.member;
  if (old == old_.end()) {
    ++counts_.added;
    difference.kind = EntryDifference::Kind::kAdded;
    difference.new_json = std::move(value);
    return std::optional<EntryDifference>(std::move(difference));
  }
  old->second.matched = true;
  if (old->second.member == parts.member && old->second.value_json == value) {
    ++counts_.unchanged;
    return std::optional<EntryDifference>();
  }
  ++counts_.changed;
  difference.kind = EntryDifference::Kind::kChanged;
  difference.old_json = old->second.value_json;
  difference.new_json = std::move(value);
  Result<Literal> old_value = ParseJsonLiteral(difference.old_json);
  if (old_value.ok()) {
    if (old->second.member == parts.member) {
      // Paths from the value, as watch names them; "value" for a value
      // that is one number.
      CompareValues(*old_value, *parts.value, "", difference.leaves);
      for (LeafChange& leaf : difference.leaves) {
        if (leaf.path.empty()) leaf.path = "value";
      }
    } else {
      ++mismatched_;  // one side per CPU, the other not
      difference.leaves.push_back({old->second.member, difference.old_json,
                                   "", ""});
      difference.leaves.push_back({parts.member, "", difference.new_json,
                                   ""});
    }
  }
  return std::optional<EntryDifference>(std::move(difference));
}

std::vector<EntryDifference> EntryDiff::TakeRemoved() {
  std::vector<std::pair<size_t, EntryDifference>> removed;
  for (auto& [key, old] : old_) {
    if (old.matched) continue;
    EntryDifference difference;
    difference.kind = EntryDifference::Kind::kRemoved;
    difference.key_json = key;
    difference.member = old.member;
    difference.old_json = std::move(old.value_json);
    removed.emplace_back(old.order, std::move(difference));
  }
  std::sort(removed.begin(), removed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<EntryDifference> out;
  for (auto& [order, difference] : removed) out.push_back(std::move(difference));
  counts_.removed = out.size();
  old_.clear();
  return out;
}

}  // namespace bpfmap
