// Typed input against a fixed set of types (nested structs, bitfields,
// enums, arrays, unions, char arrays, floats, and a struct with every
// --fmt kind, the default formats and network byte order). The first byte picks the
// type, the rest is one command-line word. What the encoder accepts, the
// JSON formatter prints back, and that reads back to the same bytes; what
// the bulk-load fast path (EncodeJsonFast) accepts, the general reader
// encodes to the same bytes.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/codec/literal.h"
#include "core/codec/typed_input.h"
#include "core/types/c_type.h"
#include "core/types/leaf_formats.h"
#include "formatters/json_writer.h"
#include "formatters/output_sink.h"
#include "formatters/typed_json.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace bpfmap;

const std::vector<TypeRef>& Types() {
  static const std::vector<TypeRef> types = [] {
    std::vector<TypeRef> out;
    for (const char* text : {
             "u32",
             "s8",
             "u64",
             "char[8]",
             "u8[4]",
             "bool",
             "double",
             "float",
             "enum mode { OFF, ON, AUTO = 7, NEG = -1 }",
             "struct flow_value { enum m { A, B } mode; s64 delta; "
             "char tag[8]; struct range { u32 lo; u32 hi; } range; "
             "u8 small:3, flag:1; s16 neg:5; u8 wide[4]; "
             "union { u32 as_u32; u8 as_bytes[4]; } u; bool on; }",
             "struct { struct { u16 x; u16 y; }; union { u32 a; u16 b; }; "
             "u64 arr[2][3]; }",
         }) {
      Result<TypeRef> type = ParseCType(text, nullptr);
      if (!type.ok()) std::abort();
      out.push_back(*type);
    }
    // Every format, and the defaults, on a conntrack-style value.
    Result<TypeRef> tuple = ParseCType(
        "struct ct { __be32 saddr; __be32 daddr; __be16 sport; __be16 dport; "
        "u8 proto; u8 h_source[6]; u32 src_ip6[4]; unsigned __int128 "
        "addr_v6; __int128 big; s32 err; u64 last; u64 boot; u64 dur; "
        "u64 fn; u8 flags; u16 port2; u8 name[5]; s16 h; u32 raw_ip; "
        "__be64 seq; unsigned __int128 wide; char c; }",
        nullptr);
    Result<FormatSpec> spec = ParseFormatSpec(
        "err=errno,last=ktime,boot=ktime_boot,dur=ns,fn=ksym,flags=bool,"
        "port2=port,name=str,h=hex,big=dec,raw_ip=ipv4,daddr=raw,seq=hex,"
        "c=dec");
    if (!tuple.ok() || !spec.ok()) std::abort();
    Result<MapTypes> formatted = ApplyFormats(MapTypes{nullptr, *tuple}, *spec);
    if (!formatted.ok()) std::abort();
    out.push_back(formatted->value);
    return out;
  }();
  return types;
}

std::string Render(const TypeNode& type, const Bytes& bytes) {
  char* data = nullptr;
  size_t size = 0;
  std::FILE* file = open_memstream(&data, &size);
  {
    OutputSink sink(file);
    JsonWriter writer(sink, false);
    WriteTypedJson(writer, type, bytes.data(), LeafPlace{},
                   JsonDialect::kBpfmap);
    writer.EndDocument();
  }
  std::fclose(file);
  std::string text(data, size);
  free(data);
  return text;
}

// If the fast path takes all of `json`, the general reader must agree.
void CheckFastPath(const TypeNode& type, const std::string& json) {
  std::string_view line = json;  // the formatter ends its output with \n
  while (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  JsonCursor in(line);
  Bytes fast(type.size, 0);
  if (!bpfmap::EncodeJsonFast(type, in, fast.data()) || !in.AtEnd()) return;
  Result<Literal> literal = ParseJsonLiteral(json);
  FUZZ_CHECK(literal.ok(), "fast path took invalid JSON: %s", json.c_str());
  Result<Bytes> general = EncodeLiteral(type, *literal, "value");
  FUZZ_CHECK(general.ok(), "fast path took what the general reader refuses: "
             "%s: %s", json.c_str(), general.error().message().c_str());
  FUZZ_CHECK(*general == fast, "fast path differs from the general reader: %s",
             json.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const TypeRef& type = Types()[data[0] % Types().size()];
  std::string word(reinterpret_cast<const char*>(data + 1), size - 1);
  CheckFastPath(*type, word);
  Result<Literal> literal = ParseLiteral(word);
  if (!literal.ok()) return 0;
  Result<Bytes> bytes = EncodeLiteral(*type, *literal, "value");
  if (!bytes.ok()) {
    const std::string& message = bytes.error().message();
    FUZZ_CHECK(message.rfind("value", 0) == 0, "%s", message.c_str());
    return 0;
  }
  FUZZ_CHECK(bytes->size() == type->size, "size %zu", bytes->size());
  std::string shown = Render(*type, *bytes);
  CheckFastPath(*type, shown);
  Result<Literal> reread = ParseJsonLiteral(shown);
  FUZZ_CHECK(reread.ok(), "printed JSON does not parse: %s", shown.c_str());
  Result<Bytes> again = EncodeLiteral(*type, *reread, "value");
  FUZZ_CHECK(again.ok(), "printed value is refused: %s: %s", shown.c_str(),
             again.error().message().c_str());
  FUZZ_CHECK(*again == *bytes, "printed value reads back differently: %s",
             shown.c_str());
  return 0;
}
