#include "cli/entry_input.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <memory>

#include "core/codec/entry_file.h"
#include "core/model/map_types.h"

namespace bpfmap::cli {

namespace {

EntryFileSpec SpecFor(const MapInfo& info, const MapTyping& typing,
                      bool raw_hex, bool need_value) {
  EntryFileSpec spec;
  if (!raw_hex) {
    spec.key_type = typing.input.key.get();
    spec.value_type = typing.input.value.get();
  }
  spec.key_size = info.key_size;
  spec.layout = typing.layout;
  spec.has_key = AccessOf(info.type) == MapAccess::kKeyed;
  spec.need_value = need_value;
  spec.leaf_context = &typing.output.leaf_context;
  return spec;
}

// Runs `read` over `file` opened ("-": stdin).
template <typename ReadFn>
auto WithFile(const std::string& file, ReadFn read) -> decltype(read(stdin, "")) {
  if (file == "-") return read(stdin, "<stdin>");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(
      std::fopen(file.c_str(), "re"), &std::fclose);
  if (!in) {
    // A file that is not there is the caller's mistake, like a bad word.
    int error = errno;
    if (error == ENOENT) {
      return Error::BadInput(fmt::format("--file {}: no such file", file));
    }
    return Error::System(error, fmt::format("--file {}", file));
  }
  return read(in.get(), file);
}

}  // namespace

Result<PackedEntries> ReadEntries(const std::string& file,
                                  const MapInfo& info,
                                  const MapTyping& typing, bool raw_hex,
                                  bool need_value) {
  EntryFileSpec spec = SpecFor(info, typing, raw_hex, need_value);
  return WithFile(file, [&](std::FILE* in, const std::string& name) {
    return ReadEntryFile(in, name, spec);
  });
}

Status ReadEntriesInRuns(const std::string& file, const MapInfo& info,
                         const MapTyping& typing, bool raw_hex,
                         bool need_value, size_t run_entries,
                         const EntryRunFn& on_run) {
  EntryFileSpec spec = SpecFor(info, typing, raw_hex, need_value);
  return WithFile(file, [&](std::FILE* in, const std::string& name) {
    return ReadEntryRuns(in, name, spec, run_entries, on_run);
  });
}

}  // namespace bpfmap::cli
