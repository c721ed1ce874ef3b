#include "cli/typing.h"

#include <fmt/format.h>

#include "core/kernel/kallsyms.h"
#include "core/kernel/kernel_names.h"
#include "core/kernel/map_btf.h"
#include "core/kernel/map_ops.h"

namespace bpfmap::cli {

Result<MapTyping> TypingFor(const MapHandle& map, CommandEnv& env) {
  const MapInfo& info = map.info();
  BPFMAP_ASSIGN_OR_RETURN(ValueLayout layout, LayoutFor(info));
  // The map's own types are read unless both are given.
  Result<MapTypes> own = MapTypes{};
  if (env.typing.key_type.empty() || env.typing.value_type.empty()) {
    own = LoadMapTypes(info);
  }
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing,
                          ResolveTyping(info, layout, own, env.typing));
  if (!typing.warning.empty()) Warn(env, typing.warning);
  // Ids of maps, programs and devices get their names in plain and table
  // (looked up only when printed).
  if (typing.output.builtin_value) {
    typing.output.names = std::make_shared<KernelNames>();
  }
  if (typing.output.stack_values) {
    Result<std::shared_ptr<const KernelSymbols>> symbols = ReadKernelSymbols();
    if (!symbols.ok()) {
      Warn(env, fmt::format("stack frames shown as addresses: {}",
                            symbols.error().Describe()));
    } else if ((*symbols)->empty()) {
      Warn(env, "stack frames shown as addresses: /proc/kallsyms hides them "
                "(kptr_restrict; reading them needs CAP_SYSLOG)");
    } else {
      typing.output.symbols = std::move(*symbols);
    }
  }
  return typing;
}

}  // namespace bpfmap::cli
