#include "core/entries/map_typing.h"

#include <fmt/format.h>
#include <linux/bpf.h>

#include <optional>

#include "core/btf/btf_file.h"
#include "core/model/map_types.h"
#include "core/model/reference_values.h"
#include "core/types/c_type.h"

namespace bpfmap {
namespace {

std::string_view FoldName(CpuFold fold) {
  return CpuFoldNames()[static_cast<size_t>(fold)];
}

// --key-type or --value-type, checked against the map's size.
Result<TypeRef> GivenType(const std::string& text, const TypingOptions& options,
                          std::string_view option, uint32_t map_size,
                          std::string_view what, const MapInfo& info) {
  BPFMAP_ASSIGN_OR_RETURN(
      TypeRef type,
      ParseTypeOption(text, options.btf_file, fmt::format("--{}", option)));
  if (type->size != map_size) {
    return Error::BadInput(fmt::format(
        "--{} {} is {} bytes, but {} has {}-byte {}s", option, type->name,
        type->size, info.Label(), map_size, what));
  }
  return type;
}

}  // namespace

Result<TypeRef> ParseTypeOption(const std::string& text,
                                const std::string& btf_file,
                                const std::string& what) {
  std::optional<BtfFile> file;
  NamedTypeLookup lookup;
  if (!btf_file.empty()) {
    BPFMAP_ASSIGN_OR_RETURN(BtfFile opened, BtfFile::Open(btf_file));
    file.emplace(std::move(opened));
    lookup = file->Lookup();
  }
  Result<TypeRef> type = ParseCType(text, lookup);
  if (!type.ok()) {
    return type.error().WithContext(fmt::format("{} '{}'", what, text));
  }
  return type;
}

Result<MapTyping> ResolveTyping(const MapInfo& info, const ValueLayout& layout,
                                const Result<MapTypes>& own,
                                const TypingOptions& options) {
  MapTyping typing;
  typing.layout = layout;
  if (options.key_type.empty() || options.value_type.empty()) {
    if (own.ok()) {
      typing.input = *own;
    } else {
      typing.warning = fmt::format("{}: showing bytes: {}", info.Label(),
                                   own.error().Describe());
    }
  }
  if (!options.key_type.empty()) {
    if (info.key_size == 0) {
      return Error::BadInput(fmt::format(
          "--key-type: {} is a {} map, which has no keys", info.Label(),
          MapTypeName(info.type)));
    }
    BPFMAP_ASSIGN_OR_RETURN(typing.input.key,
                            GivenType(options.key_type, options, "key-type",
                                      info.key_size, "key", info));
  }
  // Index keys no BTF describes: the arrays of maps, programs, devices...
  // (kinds the kernel gives no BTF), and global variable sections (a
  // one-entry array: key 0).
  bool section = typing.input.value && typing.input.value->is_section;
  bool index_without_btf =
      IsIndexed(info.type) && (!TakesKeyValueBtf(info.type) || section);
  if (options.key_type.empty() && !typing.input.key && index_without_btf &&
      info.key_size == 4) {
    Result<TypeRef> index = ParseCType("__u32", nullptr);
    if (index.ok()) {
      typing.input.key = *index;
      typing.output.builtin_key = true;
    }
  }
  if (!options.value_type.empty()) {
    BPFMAP_ASSIGN_OR_RETURN(typing.input.value,
                            GivenType(options.value_type, options,
                                      "value-type", info.value_size, "value",
                                      info));
  } else if (!typing.input.value) {
    // Values that refer to maps, programs or sockets (no BTF describes
    // them): bpfmap's own view, with named members.
    if (const ReferenceValue* ref =
            ReferenceValueOf(info.type, info.value_size)) {
      Result<TypeRef> type = ParseCType(ref->c_type, nullptr);
      if (type.ok()) {
        typing.input.value = *type;
        typing.output.builtin_value = true;
      }
    }
  }
  // A stack-trace map: u32 stack ids to frames (kernel addresses).
  if (info.type == BPF_MAP_TYPE_STACK_TRACE) {
    if (options.key_type.empty() && info.key_size == 4) {
      Result<TypeRef> id = ParseCType("__u32", nullptr);
      if (id.ok()) {
        typing.input.key = *id;
        typing.output.builtin_key = true;
      }
    }
    typing.output.stack_values = options.value_type.empty() && !options.hex &&
                                 info.value_size % 8 == 0;
  }
  // Formats (--fmt and the defaults): read and shown by every format but
  // bpftool's raw view.
  MapTypes unformatted = typing.input;
  BPFMAP_ASSIGN_OR_RETURN(typing.input,
                          ApplyFormats(unformatted, options.formats,
                                       &typing.formats_explained));
  typing.output.map_of_maps = IsMapOfMaps(info.type) && info.value_size == 4;
  typing.output.has_key = AccessOf(info.type) == MapAccess::kKeyed;
  typing.output.layout = typing.layout;
  typing.output.key_size = info.key_size;
  typing.output.map_name = info.name;
  typing.output.map_id = info.id;
  if (!options.hex) {
    if (options.raw_view) {
      FormatSpec raw;
      raw.defaults = false;
      raw.raw_byte_order = true;
      BPFMAP_ASSIGN_OR_RETURN(typing.output.types,
                              ApplyFormats(unformatted, raw));
    } else {
      typing.output.types = typing.input;
    }
  }
  bool foldable = typing.input.value != nullptr || options.fold_given;
  if (options.fold != CpuFold::kEach && typing.layout.per_cpu && foldable) {
    if (!typing.input.value) {
      return Error::BadInput(fmt::format(
          "--cpus {} needs the value's type, and {} has no BTF for it; give "
          "--value-type (e.g. --value-type u64)",
          FoldName(options.fold), info.Label()));
    }
    typing.fold = options.fold;
    ValueLayout& folded = typing.output.layout;
    folded.per_cpu = false;
    folded.cpus = 1;
    folded.stride = folded.value_size;
  }
  return typing;
}

std::vector<std::unique_ptr<EntryStage>> StagesFor(const MapTyping& typing) {
  std::vector<std::unique_ptr<EntryStage>> stages;
  if (typing.fold != CpuFold::kEach) {
    stages.push_back(std::make_unique<CpuFoldStage>(
        typing.input.value, typing.layout, typing.fold));
  }
  return stages;
}

}  // namespace bpfmap
