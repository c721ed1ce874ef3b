#include "cli/create_command.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <optional>

#include "cli/words.h"
#include "core/base/number.h"
#include "core/entries/map_typing.h"
#include "core/model/map_types.h"
#include "core/types/c_type.h"

namespace bpfmap::cli {

namespace {

// A key or value given as a size in bytes or as a C type.
struct SizeOrType {
  uint32_t size = 0;
  TypeRef type;  // null if given as a size
};

Result<SizeOrType> ParseSizeOrType(const std::string& word,
                                   const std::string& btf_file,
                                   std::string_view what) {
  SizeOrType result;
  if (std::optional<uint32_t> size = ParseUint32(word)) {
    result.size = *size;
    return result;
  }
  if (!word.empty() &&
      (std::isdigit(static_cast<unsigned char>(word[0])) || word[0] == '-')) {
    return ParseUint32Arg(word, fmt::format("create: {} size", what))
        .error();
  }
  BPFMAP_ASSIGN_OR_RETURN(
      result.type,
      ParseTypeOption(word, btf_file, fmt::format("create: {}", what)));
  result.size = result.type->size;
  return result;
}

// A type for a key or value given only as a size, so that a map with one
// typed side still gets valid BTF: an unsigned int of 1, 2, 4 or 8 bytes
// (arrays need a 4-byte int key), else u8[size].
TypeRef TypeForSize(uint32_t size) {
  std::string name;
  switch (size) {
    case 1:
    case 2:
    case 4:
    case 8:
      name = fmt::format("__u{}", size * 8);
      break;
    default:
      name = fmt::format("__u8[{}]", size);
  }
  Result<TypeRef> type = ParseCType(name, nullptr);
  return type.ok() ? *type : nullptr;
}

}  // namespace

Result<CreateRequest> ParseCreateWords(const std::vector<std::string>& words,
                                       const std::string& btf_file) {
  if (words.empty()) return Error::BadInput("create: PATH is needed");
  CreateRequest request;
  request.path = words[0];
  if (request.path.find('/') == std::string::npos) {
    return Error::BadInput(fmt::format(
        "create: '{}' is not a path (PATH must contain '/')", request.path));
  }
  std::map<std::string, std::string> values;
  for (size_t pos = 1; pos < words.size();) {
    const std::string& word = words[pos];
    if (word != "type" && word != "key" && word != "value" &&
        word != "entries" && word != "name" && word != "flags" &&
        word != "inner_map") {
      return Error::BadInput(fmt::format(
          "create: unexpected '{}' (expected type, key, value, entries, "
          "name, flags or inner_map)",
          word));
    }
    if (pos + 1 >= words.size()) {
      return Error::BadInput(fmt::format("create: '{}' needs a value", word));
    }
    if (values.count(word) != 0 ||
        (word == "inner_map" && request.inner_map)) {
      return Error::BadInput(fmt::format("create: '{}' given twice", word));
    }
    if (word == "inner_map") {
      ++pos;
      Result<MapRef> inner = ParseMapRef(words, pos);
      if (!inner.ok()) return inner.error().WithContext("create: inner_map");
      request.inner_map = *inner;
      continue;
    }
    values.emplace(word, words[pos + 1]);
    pos += 2;
  }
  if (values.count("type") == 0) {
    return Error::BadInput("create: 'type' is needed");
  }
  BPFMAP_ASSIGN_OR_RETURN(const MapTypeInfo* type,
                          ParseMapType(values["type"]));
  // Ring buffers have no keys or values (entries is their size in bytes);
  // storage maps are keyed by an object's fd and hold no entry count.
  bool keyless = type->access == MapAccess::kNone;
  bool storage = IsLocalStorage(type->type);
  if (keyless) {
    values.emplace("key", "0");
    values.emplace("value", "0");
  }
  if (storage) {
    values.emplace("key", "int");
    values.emplace("entries", "0");
  }
  for (const char* required : {"key", "value", "entries"}) {
    if (values.count(required) == 0) {
      return Error::BadInput(
          fmt::format("create: '{}' is needed", required));
    }
  }
  request.type = type->type;
  BPFMAP_ASSIGN_OR_RETURN(SizeOrType key,
                          ParseSizeOrType(values["key"], btf_file, "key"));
  BPFMAP_ASSIGN_OR_RETURN(SizeOrType value,
                          ParseSizeOrType(values["value"], btf_file, "value"));
  request.key_size = key.size;
  request.value_size = value.size;
  request.types = {key.type, value.type};
  if ((key.type || value.type) && type->access == MapAccess::kKeyed) {
    if (!key.type && key.size != 0) request.types.key = TypeForSize(key.size);
    if (!value.type && value.size != 0) {
      request.types.value = TypeForSize(value.size);
    }
  }
  BPFMAP_ASSIGN_OR_RETURN(request.max_entries,
                          ParseUint32Arg(values["entries"], "create: entries"));
  if (values.count("flags") != 0) {
    Result<uint32_t> flags = ParseMapFlags(values["flags"]);
    if (!flags.ok()) return flags.error().WithContext("create");
    request.flags = *flags;
    Status flags_ok = ValidateCreateFlags(request.flags);
    if (!flags_ok.ok()) return flags_ok.error().WithContext("create");
  }
  if (values.count("name") != 0) {
    request.name = values["name"];
    Status name_ok = ValidateMapName(request.name);
    if (!name_ok.ok()) return name_ok.error().WithContext("create");
  }
  return request;
}

Status RunCreate(const CreateRequest& request, CommandEnv& env) {
  BPFMAP_RETURN_IF_ERROR(CreatePinnedMap(request));
  env.out.PrintDone();
  return OkStatus();
}

const CommandSpec kCreateCommand = {
    "create",
    {},
    "create a map and pin it on a bpffs",
    "create PATH type TYPE key SIZE|CTYPE value SIZE|CTYPE entries N\n"
    "       [name NAME] [flags FLAG[,FLAG...]|NUMBER] [inner_map MAP]\n"
    "create PATH type ringbuf|user_ringbuf entries BYTES\n"
    "create PATH type task_storage|cgrp_storage|inode_storage|sk_storage\n"
    "       value SIZE|CTYPE  (key int and entries 0 are implied)\n"
    "                         PATH must be on a bpffs and must not exist yet;\n"
    "                         sizes are in bytes (0 for queue, stack and bloom\n"
    "                         filter keys); a C type (u32, char[16],\n"
    "                         'struct { u64 packets; u64 bytes; }', or struct\n"
    "                         NAME from --btf FILE) gives the map BTF;\n"
    "                         a map of maps takes inner_map MAP, a map like\n"
    "                         those it will hold",
    "bpfmap create /sys/fs/bpf/counters type percpu_array key 4 value 8 "
    "entries 64 name counters\n"
    "bpfmap create /sys/fs/bpf/routes type lpm_trie key 8 value 4 entries 1024 "
    "flags no_prealloc\n"
    "bpfmap create /sys/fs/bpf/stats type hash key u32 value 'struct stats { "
    "u64 packets; u64 bytes; }' entries 1024\n"
    "bpfmap create /sys/fs/bpf/backends type hash_of_maps key 4 value 4 "
    "entries 64 inner_map /sys/fs/bpf/backend0",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(
          CreateRequest request,
          ParseCreateWords(input.words, env.typing.btf_file));
      return RunCreate(request, env);
    },
    CompleteCreate,
};

}  // namespace bpfmap::cli
