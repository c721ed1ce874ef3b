#include "cli/typing.h"

#include <fmt/format.h>

#include "core/base/debug_log.h"
#include "core/kernel/kallsyms.h"
#include "core/kernel/kernel_names.h"
#include "core/kernel/map_btf.h"
#include "core/kernel/map_ops.h"
#include "core/types/leaf_formats.h"
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

// The clocks now, and the kernel's symbols if a leaf of `types` is ksym.
LeafContext ContextFor(const MapTypes& types, CommandEnv& env) {
  LeafContext context = LeafContext::Now();
  if (UsesFormat(types, LeafFormat::kKsym)) {
    Result<std::shared_ptr<const KernelSymbols>> symbols = ReadKernelSymbols();
    if (symbols.ok() && !(*symbols)->empty()) {
      context.symbols = std::move(*symbols);
    } else {
      Warn(env, "ksym fields shown as addresses: /proc/kallsyms hides the "
                "symbols (reading them needs CAP_SYSLOG)");
    }
  }
  return context;
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
  if (info.btf_id != 0 && info.btf_value_type_id != 0) {
    // From the map's own BTF, whatever --value-type says.
    if (!env.typing.key_type.empty() && !env.typing.value_type.empty()) {
      own = LoadMapTypes(info);
    }
    typing.kernel_fields = !own.ok() || (own->value != nullptr &&
                                         HoldsKernelFields(*own->value));
  }
  if (!typing.warning.empty()) Warn(env, typing.warning);
  for (const std::string& line : typing.formats_explained) {
    LogDebug(fmt::format("format of {}", line));
  }
  typing.output.leaf_context = ContextFor(typing.input, env);
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

Result<RecordType> RecordTypeFor(CommandEnv& env) {
  RecordType typing;
  if (env.typing.value_type.empty()) return typing;
  BPFMAP_ASSIGN_OR_RETURN(TypeRef type,
                          ParseTypeOption(env.typing.value_type,
                                          env.typing.btf_file, "--value-type"));
  std::vector<std::string> explained;
  BPFMAP_ASSIGN_OR_RETURN(
      MapTypes formatted,
      ApplyFormats(MapTypes{nullptr, type}, env.typing.formats, &explained));
  for (const std::string& line : explained) {
    LogDebug(fmt::format("format of {}", line));
  }
  typing.type = formatted.value;
  typing.leaf_context = ContextFor(formatted, env);
  return typing;
}

}  // namespace bpfmap::cli
