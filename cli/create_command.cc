#include "cli/create_command.h"

#include <fmt/format.h>

#include <map>

#include "cli/words.h"
#include "core/map_types.h"
#include "core/number.h"

namespace bpfmap::cli {

Result<CreateRequest> ParseCreateWords(const std::vector<std::string>& words) {
  if (words.empty()) return Error::BadInput("create: PATH is needed");
  CreateRequest request;
  request.path = words[0];
  if (request.path.find('/') == std::string::npos) {
    return Error::BadInput(fmt::format(
        "create: '{}' is not a path (PATH must contain '/')", request.path));
  }
  std::map<std::string, std::string> values;
  for (size_t pos = 1; pos < words.size(); pos += 2) {
    const std::string& word = words[pos];
    if (word != "type" && word != "key" && word != "value" &&
        word != "entries" && word != "name" && word != "flags") {
      return Error::BadInput(fmt::format(
          "create: unexpected '{}' (expected type, key, value, entries, name "
          "or flags)",
          word));
    }
    if (pos + 1 >= words.size()) {
      return Error::BadInput(fmt::format("create: '{}' needs a value", word));
    }
    if (!values.emplace(word, words[pos + 1]).second) {
      return Error::BadInput(fmt::format("create: '{}' given twice", word));
    }
  }
  for (const char* required : {"type", "key", "value", "entries"}) {
    if (values.count(required) == 0) {
      return Error::BadInput(
          fmt::format("create: '{}' is needed", required));
    }
  }
  BPFMAP_ASSIGN_OR_RETURN(const MapTypeInfo* type,
                          ParseMapType(values["type"]));
  request.type = type->type;
  BPFMAP_ASSIGN_OR_RETURN(request.key_size,
                          ParseUint32Arg(values["key"], "create: key size"));
  BPFMAP_ASSIGN_OR_RETURN(request.value_size,
                          ParseUint32Arg(values["value"], "create: value size"));
  BPFMAP_ASSIGN_OR_RETURN(request.max_entries,
                          ParseUint32Arg(values["entries"], "create: entries"));
  if (values.count("flags") != 0) {
    Result<uint32_t> flags = ParseMapFlags(values["flags"]);
    if (!flags.ok()) return flags.error().WithContext("create");
    request.flags = *flags;
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
    "create PATH type TYPE key KEY_SIZE value VALUE_SIZE entries N\n"
    "       [name NAME] [flags FLAG[,FLAG...]|NUMBER]\n"
    "                         PATH must be on a bpffs and must not exist yet;\n"
    "                         sizes are in bytes (0 for queue, stack and bloom "
    "filter keys)",
    "bpfmap create /sys/fs/bpf/counters type percpu_array key 4 value 8 "
    "entries 64 name counters\n"
    "bpfmap create /sys/fs/bpf/routes type lpm_trie key 8 value 4 entries 1024 "
    "flags no_prealloc",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(CreateRequest request,
                              ParseCreateWords(input.words));
      return RunCreate(request, env);
    },
};

}  // namespace bpfmap::cli
