#include "cli/element_args.h"

#include "core/codec/typed_input.h"
#include "core/types/type_walk.h"

#include <fmt/format.h>

#include "core/model/map_types.h"

namespace bpfmap::cli {
namespace {

std::optional<UpdateMode> ModeNamed(const std::string& word) {
  if (word == "any") return UpdateMode::kAny;
  if (word == "exist") return UpdateMode::kExist;
  if (word == "noexist") return UpdateMode::kNoExist;
  return std::nullopt;
}

bool IsKeyword(const std::string& word) {
  return word == "key" || word == "value" || word == "values" ||
         word == "lock" || ModeNamed(word).has_value();
}

}  // namespace

Result<ElementArgs> ParseElementArgs(const std::vector<std::string>& words,
                                     size_t pos, bool allow_mode) {
  ElementArgs args;
  while (pos < words.size()) {
    const std::string& word = words[pos];
    if (word == "key" || word == "value" || word == "values") {
      if (word == "values" && !allow_mode) {
        return Error::BadInput("'values' only goes with put");
      }
      std::optional<std::vector<std::string>>& slot =
          word == "key" ? args.key : word == "value" ? args.value : args.values;
      if (slot) {
        return Error::BadInput(fmt::format("'{}' given twice", word));
      }
      if ((word == "value" && args.values) || (word == "values" && args.value)) {
        return Error::BadInput("give 'value' or 'values', not both");
      }
      std::vector<std::string> tokens;
      for (++pos; pos < words.size() && !IsKeyword(words[pos]); ++pos) {
        tokens.push_back(words[pos]);
      }
      if (tokens.empty()) {
        return Error::BadInput(fmt::format(
            "'{}' needs {}", word,
            word == "values" ? "one value per CPU" : "bytes or a typed value"));
      }
      slot = std::move(tokens);
      continue;
    }
    if (word == "lock") {
      if (!allow_mode) {
        return Error::BadInput("'lock' only goes with put (get takes --lock)");
      }
      if (args.lock) return Error::BadInput("'lock' given twice");
      args.lock = true;
      ++pos;
      continue;
    }
    if (std::optional<UpdateMode> mode = ModeNamed(word)) {
      if (!allow_mode) {
        return Error::BadInput(
            fmt::format("'{}' only goes with put", word));
      }
      if (args.mode) {
        return Error::BadInput("only one of any, exist, noexist may be given");
      }
      args.mode = mode;
      ++pos;
      continue;
    }
    return Error::BadInput(fmt::format(
        "unexpected '{}' (expected key KEY, value VALUE{})", word,
        allow_mode ? ", values VALUE..., any|exist|noexist or lock" : ""));
  }
  return args;
}

Result<MapElementWords> ParseMapElementWords(
    const std::vector<std::string>& words, bool allow_mode) {
  size_t pos = 0;
  MapElementWords result;
  BPFMAP_ASSIGN_OR_RETURN(result.map, ParseMapRef(words, pos));
  BPFMAP_ASSIGN_OR_RETURN(result.args,
                          ParseElementArgs(words, pos, allow_mode));
  return result;
}

Result<Bytes> ReadKeyWords(const std::vector<std::string>& words,
                           const MapInfo& info, const MapTyping& typing,
                           std::optional<StorageKey>* storage) {
  if (IsLocalStorage(info.type)) {
    BPFMAP_ASSIGN_OR_RETURN(StorageKey key, OpenStorageKey(words, info));
    Bytes bytes = key.key;
    *storage = std::move(key);
    return bytes;
  }
  return ParseElementWords(typing.input.key.get(), words, info.key_size,
                           "key", nullptr, &typing.output.leaf_context);
}

Status CheckLockable(bool lock, const MapInfo& info, const TypeNode* value,
                     std::string_view what) {
  if (!lock || value == nullptr || HoldsSpinLock(*value)) return OkStatus();
  return Error::BadInput(fmt::format(
      "{}: the values of {} ({}) hold no bpf_spin_lock", what, info.Label(),
      value->name));
}

Error ExplainMiss(const Error& error, std::string_view operation,
                         const std::vector<std::string>& words,
                         const MapInfo& info, UpdateMode mode) {
  if (error.kind() != ErrorKind::kNo) return error;
  if (!IsLocalStorage(info.type)) {
    // A typed key as it was typed ({"saddr": "10.0.0.1", ...}), not as the
    // bytes it became; byte keys stay as the kernel's answer has them.
    bool typed = words.size() == 1 && words[0] != "hex" && !words[0].empty() &&
                 (words[0][0] == '{' || words[0][0] == '[' ||
                  words[0][0] == '"' || info.key_size != 1);
    if (!typed) return error;
    if (mode == UpdateMode::kNoExist) {
      return Error::No(fmt::format("{}: key {} already exists in {} (noexist)",
                                   operation, words[0], info.Label()));
    }
    return Error::No(fmt::format("{}: key {} not found in {}{}", operation,
                                 words[0], info.Label(),
                                 mode == UpdateMode::kExist ? " (exist)" : ""));
  }
  std::string object = fmt::format("{}", fmt::join(words, " "));
  if (mode == UpdateMode::kNoExist) {
    return Error::No(fmt::format("{}: {} already has a value in {} (noexist)",
                                 operation, object, info.Label()));
  }
  return Error::No(fmt::format("{}: no value for {} in {}{}", operation,
                               object, info.Label(),
                               mode == UpdateMode::kExist ? " (exist)" : ""));
}

Status CheckElementArgs(const ElementArgs& args, const MapInfo& info,
                        ArgNeed key_need, ArgNeed value_need) {
  auto check = [&](bool given, ArgNeed need, std::string_view word) -> Status {
    if (given && need == ArgNeed::kForbidden) {
      return Error::BadInput(fmt::format("{} is a {} map: '{}' does not apply",
                                         info.Label(), MapTypeName(info.type),
                                         word));
    }
    if (!given && need == ArgNeed::kRequired) {
      return Error::BadInput(fmt::format("{} is a {} map: '{} {}' is needed",
                                         info.Label(), MapTypeName(info.type),
                                         word, word == "key" ? "KEY" : "VALUE"));
    }
    return OkStatus();
  };
  BPFMAP_RETURN_IF_ERROR(check(args.key.has_value(), key_need, "key"));
  return check(args.value.has_value() || args.values.has_value(), value_need,
               "value");
}

}  // namespace bpfmap::cli
