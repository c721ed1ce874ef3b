// Leaves with a LeafFormat (core/types/type_node.h) as text, both ways: an
// address, a MAC, a port, a duration, a symbol shown as a person reads it,
// and read back from that same text to the same bytes.
#ifndef BPFMAP_CORE_CODEC_LEAF_TEXT_H_
#define BPFMAP_CORE_CODEC_LEAF_TEXT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/codec/literal.h"
#include "core/model/leaf_context.h"
#include "core/types/type_node.h"
#include "core/types/typed_scalar.h"

namespace bpfmap {

// A formatted leaf as shown.
struct LeafText {
  enum class Json {
    kString,  // `text` is a JSON string's content
    kNumber,  // `text` is a JSON number
    kBool,    // `text` is true or false
    kJson,    // `text` is JSON already (an array of bytes that are not text)
  };
  Json json = Json::kNumber;
  std::string text;
};

// The leaf `type` (whose format is not kNone) at `place` in `base`. With
// `for_json`, durations and timestamps stay numbers (ns); otherwise they
// read as 1.5ms and 3.2s ago.
LeafText FormatLeaf(const TypeNode& type, const uint8_t* base,
                    LeafPlace place, const LeafContext& context,
                    bool for_json);

// Writes `literal`, in any form FormatLeaf shows, into the formatted leaf
// `type` at `place`. A number given for a formatted integer (an address in
// a u32, say) is the integer the field holds, as it is without the format.
// kBadInput names `path` and what the format takes.
Status EncodeFormattedLeaf(const TypeNode& type, const Literal& literal,
                           const std::string& path, uint8_t* base,
                           LeafPlace place, const LeafContext& context);

// The --fmt kind that shows an integer as `text` ("10.0.0.1" -> ipv4,
// "3.2s ago" -> ktime, "-ENOENT" -> errno), for hints when a text is given
// for an unformatted integer; nullopt if none does.
std::optional<std::string_view> FormatShowing(std::string_view text);

// `size` bytes as text, if showing them as a string loses nothing: UTF-8
// up to the first NUL (control characters included: JSON escapes them),
// and only NULs after it. Otherwise nullopt (show the numbers).
std::optional<std::string_view> TextOfBytes(const uint8_t* p, uint32_t size);

// "1.5ms", "2s", "-300ns": nanoseconds in the largest unit that shows them
// exactly (ns, us, ms, s).
std::string FormatDuration(int64_t ns);

// The nanoseconds of "1.5ms", "2s", "300us", "10ns", "1m", "42" (ns);
// nullopt if not a duration or not a whole number of ns.
std::optional<int64_t> ParseDuration(std::string_view text);

// "0x1bb": an unsigned 128-bit value in hex.
std::string HexOf(Uint128 value);

// The decimal digits of a 128-bit leaf (unsigned values above 2^127 too).
std::string DecimalOf(const TypeNode& type, const uint8_t* base,
                      LeafPlace place);

// Writes the integer `value` (given as `literal`) into the integer leaf
// `type` at `place`; kBadInput naming `path` if it does not fit.
Status WriteCheckedInteger(const TypeNode& type, Int128 value,
                           const Literal& literal, const std::string& path,
                           uint8_t* base, LeafPlace place);

}  // namespace bpfmap

#endif  // BPFMAP_CORE_CODEC_LEAF_TEXT_H_
