#include "core/model/map_ref.h"

#include <fmt/format.h>

#include "core/base/number.h"

namespace bpfmap {

std::string MapRef::ToString() const {
  switch (kind) {
    case Kind::kPinned:
      return "pinned " + path;
    case Kind::kId:
      return fmt::format("id {}", id);
    case Kind::kName:
      return "name " + name;
  }
  return "";
}

Result<MapRef> ParseMapRef(const std::vector<std::string>& words,
                           size_t& pos) {
  constexpr const char* kGrammar =
      "expected MAP: PATH, pinned PATH, id ID or name NAME";
  if (pos >= words.size()) return Error::BadInput(kGrammar);
  const std::string& word = words[pos];
  MapRef ref;
  if (word == "pinned" || word == "id" || word == "name") {
    if (pos + 1 >= words.size() || words[pos + 1].empty()) {
      return Error::BadInput(fmt::format("'{}' needs a value", word));
    }
    const std::string& arg = words[pos + 1];
    if (word == "pinned") {
      ref.kind = MapRef::Kind::kPinned;
      ref.path = arg;
    } else if (word == "id") {
      ref.kind = MapRef::Kind::kId;
      std::optional<uint32_t> id = ParseUint32(arg);
      if (!id || *id == 0) {
        return Error::BadInput(
            fmt::format("id: '{}' is not a map id (a number from 1)", arg));
      }
      ref.id = *id;
    } else {
      ref.kind = MapRef::Kind::kName;
      ref.name = arg;
    }
    pos += 2;
    return ref;
  }
  if (word.find('/') != std::string::npos) {
    ref.kind = MapRef::Kind::kPinned;
    ref.path = word;
    pos += 1;
    return ref;
  }
  return Error::BadInput(fmt::format("{}, got '{}'", kGrammar, word));
}

}  // namespace bpfmap
