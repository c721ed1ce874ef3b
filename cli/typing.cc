#include "cli/typing.h"

#include <fmt/format.h>

#include "core/base/debug_log.h"
#include "core/kernel/kallsyms.h"
#include "core/kernel/kernel_names.h"
#include "core/kernel/map_btf.h"
#include "core/kernel/map_ops.h"
#include "core/types/type_walk.h"

namespace bpfmap::cli {
namespace {

// Whether any leaf of `types` has `format`.
bool UsesFormat(const MapTypes& types, LeafFormat format) {
  struct Finder : TypeVisitor {
    LeafFormat wanted;
    bool found = false;
    void Leaf(const TypeNode& type, LeafPlace) {
      found = found || type.format == wanted;
    }
  };
  Finder finder;
  finder.wanted = format;
  for (const TypeRef& type : {types.key, types.value}) {
    if (type) WalkType(*type, LeafPlace{}, finder);
  }
  return finder.found;
}

}  // namespace

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
  for (const std::string& line : typing.formats_explained) {
    LogDebug(fmt::format("format of {}", line));
  }
  typing.output.leaf_context = LeafContext::Now();
  if (UsesFormat(typing.input, LeafFormat::kKsym)) {
    Result<std::shared_ptr<const KernelSymbols>> symbols = ReadKernelSymbols();
    if (symbols.ok() && !(*symbols)->empty()) {
      typing.output.leaf_context.symbols = std::move(*symbols);
    } else {
      Warn(env, "ksym fields shown as addresses: /proc/kallsyms hides the "
                "symbols (reading them needs CAP_SYSLOG)");
    }
  }
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
