// The bulk-load reader: whatever it accepts, printed as dump -o ndjson
// prints it, reads back to the same packed entries; and NDJSON lines, which
// take the fast path where they can, read as the elements of one JSON
// array, which always takes the general path, give the same entries.
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/codec/entry_file.h"
#include "core/types/c_type.h"
#include "formatters/formatter.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace bpfmap;

struct Spec {
  EntryFileSpec spec;
  EntryShape shape;
};

const std::vector<Spec>& Specs() {
  static const std::vector<Spec> specs = [] {
    static TypeRef key = *ParseCType("struct { u32 ip; u16 port; }", nullptr);
    static TypeRef value = *ParseCType(
        "struct { u64 n; char tag[4]; s8 d:3; enum e { X, Y } e; }", nullptr);
    static TypeRef u32 = *ParseCType("u32", nullptr);
    std::vector<Spec> out(4);
    out[0].spec.key_size = 4;  // hex
    out[0].spec.layout = {8, 1, 8, false};
    out[1].spec.key_size = key->size;  // typed struct key and value
    out[1].spec.key_type = key.get();
    out[1].spec.value_type = value.get();
    out[1].spec.layout = {value->size, 1, value->size, false};
    out[2].spec.key_size = 4;  // typed scalar, per-CPU
    out[2].spec.key_type = u32.get();
    out[2].spec.value_type = u32.get();
    out[2].spec.layout = {4, 2, 8, true};
    out[3].spec.key_size = 0;  // a queue: values only
    out[3].spec.has_key = false;
    out[3].spec.layout = {2, 1, 2, false};
    for (Spec& s : out) {
      s.shape.layout = s.spec.layout;
      s.shape.has_key = s.spec.has_key;
      if (s.spec.key_type) s.shape.types.key = s.spec.key_type == key.get() ? key : u32;
      if (s.spec.value_type) {
        s.shape.types.value = s.spec.value_type == value.get() ? value : u32;
      }
    }
    return out;
  }();
  return specs;
}

std::string AsNdjson(const PackedEntries& entries, const EntryShape& shape) {
  char* data = nullptr;
  size_t size = 0;
  std::FILE* file = open_memstream(&data, &size);
  {
    OutputSink out(file);
    OutputSink err(file);
    FormatterOptions options;
    options.format = OutputFormat::kNdjson;
    std::unique_ptr<Formatter> formatter = MakeFormatter(options, out, err);
    formatter->BeginDump(shape);
    for (size_t i = 0; i < entries.count; ++i) {
      EntryView view{entries.keys.data() + i * entries.key_size,
                     entries.key_size,
                     entries.values.data() + i * entries.value_stride};
      formatter->DumpEntry(view);
    }
    formatter->EndDump();
  }
  std::fclose(file);
  std::string text(data, size);
  free(data);
  return text;
}

// NDJSON `text` as one JSON array of its non-blank lines.
std::string AsArray(const std::string& text) {
  std::string array = "[";
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      if (array.size() > 1) array += ",";
      array += line;
    }
    start = end + 1;
  }
  return array + "]";
}

bool Same(const PackedEntries& a, const PackedEntries& b) {
  return a.count == b.count && a.keys == b.keys && a.values == b.values;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Spec& spec = Specs()[data[0] % Specs().size()];
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  Result<PackedEntries> entries = ReadEntryText(text, "in", spec.spec);
  if (!entries.ok()) {
    const std::string& message = entries.error().message();
    FUZZ_CHECK(message.rfind("in", 0) == 0, "%s", message.c_str());
    return 0;
  }
  std::string printed = AsNdjson(*entries, spec.shape);
  Result<PackedEntries> again = ReadEntryText(printed, "printed", spec.spec);
  FUZZ_CHECK(again.ok(), "what dump prints does not load: %s: %s",
             printed.c_str(), again.error().message().c_str());
  FUZZ_CHECK(Same(*again, *entries), "dump then load changed the entries: %s",
             printed.c_str());
  for (const std::string* ndjson : {&text, &printed}) {
    size_t first = ndjson->find_first_not_of(" \t\r\n");
    if (first == std::string::npos || (*ndjson)[first] == '[') continue;
    Result<PackedEntries> general =
        ReadEntryText(AsArray(*ndjson), "array", spec.spec);
    FUZZ_CHECK(general.ok() && Same(*general, *entries),
               "the fast path and the general reader differ: %s",
               ndjson->c_str());
  }
  return 0;
}
