// --where expressions: whatever the text, parsing gives a filter or one
// line of error naming a column, and a filter evaluates every entry
// without reading outside it (entries from the rest of the input).
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/entries/entry_filter.h"
#include "core/types/c_type.h"
#include "core/types/leaf_formats.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace bpfmap;

// A flow table as tools keep one: addresses, network-order ports, an enum,
// text, a bitfield, an array, a float; per-CPU values on two CPUs.
const EntryShape& Shape() {
  static const EntryShape shape = [] {
    MapTypes types;
    types.key = *ParseCType(
        "struct flow { __u32 saddr; __be16 dport; __u8 proto; "
        "unsigned char h_source[6]; __u8 flags : 3; __u8 more : 5; "
        "__u8 in6[16]; }",
        nullptr);
    types.value = *ParseCType(
        "struct stats { __u64 packets; char comm[16]; "
        "enum st { A = 1, B = -2 } state; __s32 slots[4]; double ratio; "
        "unsigned __int128 total; }",
        nullptr);
    EntryShape s;
    s.types = *ApplyFormats(types, FormatSpec{});
    s.key_size = s.types.key->size;
    s.layout.value_size = s.types.value->size;
    s.layout.stride = (s.layout.value_size + 7) / 8 * 8;
    s.layout.cpus = 2;
    s.layout.per_cpu = true;
    return s;
  }();
  return shape;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The expression up to the first NUL; the bytes after it fill entries.
  const char* text = reinterpret_cast<const char*>(data);
  size_t length = strnlen(text, size);
  const EntryShape& shape = Shape();
  Result<EntryFilter> filter =
      EntryFilter::Parse(std::string(text, length), shape, LeafContext{});
  if (!filter.ok()) {
    const std::string& message = filter.error().message();
    FUZZ_CHECK(filter.error().kind() == ErrorKind::kBadInput, "kind: %s",
               message.c_str());
    FUZZ_CHECK(message.find('\n') == std::string::npos,
               "message on several lines");
    FUZZ_CHECK(message.rfind("--where: column ", 0) == 0, "no column: %s",
               message.c_str());
    return 0;
  }
  std::vector<uint8_t> key(shape.key_size), values(shape.layout.buffer_size());
  size_t used = length < size ? length + 1 : size;
  for (int round = 0; round < 2; ++round) {
    for (uint8_t& byte : key) byte = used < size ? data[used++] : 0;
    for (uint8_t& byte : values) byte = used < size ? data[used++] : 0;
    FilterStage stage(std::move(*filter), shape);
    EntryView view{key.data(), static_cast<uint32_t>(key.size()),
                   values.data()};
    std::optional<EntryView> passed = stage.Apply(view);
    if (passed) FUZZ_CHECK(passed->value == values.data(), "value replaced");
    filter = EntryFilter::Parse(std::string(text, length), shape,
                                LeafContext{});
  }
  return 0;
}
