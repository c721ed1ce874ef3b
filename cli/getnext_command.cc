#include "cli/getnext_command.h"

#include "cli/element_args.h"
#include "cli/typing.h"
#include "core/entries/map_typing.h"
#include "core/codec/typed_input.h"
#include "core/kernel/map_handle.h"
#include "core/kernel/map_ops.h"
#include "core/model/map_types.h"

namespace bpfmap::cli {
namespace {

Status RunGetNext(const MapElementWords& options, CommandEnv& env) {
  BPFMAP_ASSIGN_OR_RETURN(MapHandle map,
                          MapHandle::Open(options.map, OpenMode::kReadOnly));
  const MapInfo& info = map.info();
  BPFMAP_RETURN_IF_ERROR(RequireAccess(info, MapAccess::kKeyed, "getnext"));
  BPFMAP_RETURN_IF_ERROR(CheckElementArgs(options.args, info,
                                          options.args.key
                                              ? ArgNeed::kRequired
                                              : ArgNeed::kForbidden,
                                          ArgNeed::kForbidden));
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing, TypingFor(map, env));
  std::optional<Bytes> key;
  if (options.args.key) {
    BPFMAP_ASSIGN_OR_RETURN(
        key, ParseElementWords(typing.input.key.get(), *options.args.key,
                               info.key_size, "key", nullptr,
                               &typing.output.leaf_context));
  }
  BPFMAP_ASSIGN_OR_RETURN(Bytes next, NextKey(map, key ? &*key : nullptr));
  env.out.PrintNextKey(key ? key->data() : nullptr, next.data(),
                       info.key_size, typing.output.types.key,
                       typing.output.leaf_context);
  return OkStatus();
}

}  // namespace

const CommandSpec kGetNextCommand = {
    "getnext",
    {},
    "the key after a key, or the first key, as the kernel orders them",
    "getnext MAP [key KEY]    the key after KEY, or the first key without\n"
    "                         one; exit 1 after the last key. A KEY not in\n"
    "                         the map gives the first key",
    "bpfmap getnext /sys/fs/bpf/conntrack\n"
    "bpfmap getnext /sys/fs/bpf/conntrack key 10 0 0 1",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(
          MapElementWords options,
          ParseMapElementWords(input.words, /*allow_mode=*/false));
      return RunGetNext(options, env);
    },
    CompleteGetOrDel,
};

}  // namespace bpfmap::cli
