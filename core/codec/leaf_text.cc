#include "core/codec/leaf_text.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <optional>
#include <vector>

namespace bpfmap {
namespace {

using Kind = Literal::Kind;

// Nanoseconds per unit of a duration format.
int64_t DurationScale(LeafFormat format) {
  return format == LeafFormat::kUs   ? 1000
         : format == LeafFormat::kMs ? 1000000
                                     : 1;
}

const uint8_t* BytesAt(const uint8_t* base, LeafPlace place) {
  return base + place.bit_offset / 8;
}

std::string Ipv4Text(const uint8_t* p) {
  return fmt::format("{}.{}.{}.{}", p[0], p[1], p[2], p[3]);
}

std::string Ipv6Text(const uint8_t* p) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, p, text, sizeof(text));
  return text;
}

std::string MacText(const uint8_t* p) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", p[0], p[1],
                     p[2], p[3], p[4], p[5]);
}

// Valid UTF-8 with no NUL: what a JSON string carries back to the same
// bytes.
bool IsUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    uint8_t c = static_cast<uint8_t>(text[i]);
    size_t length = c < 0x80             ? 1
                    : (c & 0xe0) == 0xc0 ? 2
                    : (c & 0xf0) == 0xe0 ? 3
                    : (c & 0xf8) == 0xf0 ? 4
                                         : 0;
    if (length == 0 || c == 0 || i + length > text.size()) return false;
    uint32_t code = length == 1 ? c : c & (0x7f >> length);
    for (size_t k = 1; k < length; ++k) {
      uint8_t next = static_cast<uint8_t>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMin[length] || code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

// aa:bb:cc:dd:ee:ff, a:b:c:d:e:f, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or
// aabbccddeeff, into 6 bytes at `out`.
bool ParseMac(std::string_view text, uint8_t* out) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<std::string_view> groups;
  char separator = text.find(':') != std::string_view::npos   ? ':'
                   : text.find('-') != std::string_view::npos ? '-'
                   : text.find('.') != std::string_view::npos ? '.'
                                                              : 0;
  for (size_t start = 0;;) {
    size_t end =
        separator != 0 ? text.find(separator, start) : std::string_view::npos;
    groups.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  // Each group's digits stand for a whole number of bytes.
  size_t digits_per_group = separator == '.' ? 4 : separator != 0 ? 2 : 12;
  size_t want_groups = separator == '.' ? 3 : separator != 0 ? 6 : 1;
  if (groups.size() != want_groups) return false;
  uint8_t bytes[6];
  size_t at = 0;
  for (std::string_view group : groups) {
    if (group.empty() || group.size() > digits_per_group) return false;
    if (digits_per_group != 2 && group.size() != digits_per_group) return false;
    // One digit is a whole octet (a:b:c:...); else pairs.
    std::string padded(group);
    if (padded.size() % 2 != 0) padded.insert(padded.begin(), '0');
    for (size_t i = 0; i < padded.size(); i += 2) {
      int high = hex(padded[i]), low = hex(padded[i + 1]);
      if (high < 0 || low < 0 || at == 6) return false;
      bytes[at++] = static_cast<uint8_t>(high << 4 | low);
    }
  }
  if (at != 6) return false;
  std::memcpy(out, bytes, 6);
  return true;
}

std::string ByteList(const uint8_t* p, uint32_t size) {
  std::string out = "[";
  for (uint32_t i = 0; i < size; ++i) {
    out += fmt::format("{}{}", i == 0 ? "" : ",", p[i]);
  }
  return out + "]";
}

std::string ErrnoText(Int128 value) {
  if (value <= -4096 || value >= 4096) return "";
  Int128 magnitude = value < 0 ? -value : value;
  if (magnitude > 0 && magnitude < 4096) {
    if (const char* name = strerrorname_np(static_cast<int>(magnitude))) {
      return fmt::format("{}{}", value < 0 ? "-" : "", name);
    }
  }
  return "";
}

std::optional<int> ErrnoNumber(std::string_view name) {
  for (int number = 1; number < 4096; ++number) {
    const char* known = strerrorname_np(number);
    if (known != nullptr && name == known) return number;
  }
  return std::nullopt;
}

// "3.215s": a duration rounded to about four digits, for ages.
std::string RoughDuration(int64_t ns) {
  uint64_t magnitude = ns < 0 ? -static_cast<uint64_t>(ns) : ns;
  static constexpr struct {
    uint64_t scale;
    const char* unit;
  } kUnits[] = {{1000000000, "s"}, {1000000, "ms"}, {1000, "us"}, {1, "ns"}};
  for (const auto& unit : kUnits) {
    if (magnitude >= unit.scale || unit.scale == 1) {
      double value = static_cast<double>(magnitude) / unit.scale;
      std::string text = fmt::format("{:.3f}", value);
      while (text.back() == '0') text.pop_back();
      if (text.back() == '.') text.pop_back();
      return text + unit.unit;
    }
  }
  return "0ns";
}

// "3.2s ago", "in 1s"; nullopt without a clock (`now` 0) or for an age
// past 292 years: the stamp is shown as it is then.
std::optional<std::string> AgeText(Int128 stamp, int64_t now) {
  if (stamp == 0) return "0";  // never set
  Int128 age = now - stamp;
  if (now == 0 || age > INT64_MAX || age < -INT64_MAX) return std::nullopt;
  if (age < 0) return "in " + RoughDuration(static_cast<int64_t>(-age));
  return RoughDuration(static_cast<int64_t>(age)) + " ago";
}

Status Refuse(const std::string& path, const Literal& literal,
              std::string_view takes) {
  return Error::BadInput(
      fmt::format("{}: {} is not {}", path, LiteralForMessage(literal), takes));
}

Status WriteWide(const TypeNode& type, const std::string& text,
                 const Literal& literal, const std::string& path, uint8_t* base,
                 LeafPlace place) {
  bool negative = false;
  Uint128 magnitude = 0;
  if (!ParseWideInteger(text, negative, magnitude)) {
    return Refuse(path, literal, "an integer");
  }
  Uint128 top = static_cast<Uint128>(1) << 127;
  bool fits = type.is_signed ? (negative ? magnitude <= top : magnitude < top)
                             : (!negative || magnitude == 0);
  if (!fits) {
    return Error::BadInput(fmt::format("{}: {} does not fit in {}", path,
                                       LiteralForMessage(literal),
                                       LeafTypeName(type, place)));
  }
  WriteBits(type, base, place, negative ? -magnitude : magnitude);
  return OkStatus();
}

// A number for an integer leaf: decimal or 0x, any width.
Status WriteNumber(const TypeNode& type, const std::string& text,
                   const Literal& literal, const std::string& path,
                   uint8_t* base, LeafPlace place) {
  if (type.size == 16 && place.bit_size == 0) {
    return WriteWide(type, text, literal, path, base, place);
  }
  std::optional<Int128> value = ParseInteger(text);
  if (!value) return Refuse(path, literal, "an integer");
  return WriteCheckedInteger(type, *value, literal, path, base, place);
}

}  // namespace

std::optional<std::string_view> TextOfBytes(const uint8_t* p, uint32_t size) {
  uint32_t end = 0;
  while (end < size && p[end] != 0) ++end;
  for (uint32_t i = end; i < size; ++i) {
    if (p[i] != 0) return std::nullopt;
  }
  std::string_view text(reinterpret_cast<const char*>(p), end);
  if (!IsUtf8(text)) return std::nullopt;
  return text;
}

Status WriteCheckedInteger(const TypeNode& type, Int128 value,
                           const Literal& literal, const std::string& path,
                           uint8_t* base, LeafPlace place) {
  IntegerRange range = RangeOf(type, place);
  if (value < range.min || value > range.max) {
    return Error::BadInput(fmt::format("{}: {} does not fit in {}", path,
                                       LiteralForMessage(literal),
                                       LeafTypeName(type, place)));
  }
  WriteInteger(type, base, place, value);
  return OkStatus();
}

std::optional<std::string_view> FormatShowing(std::string_view text) {
  std::string word(text);
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, word.c_str(), &v4) == 1) return "ipv4";
  if (inet_pton(AF_INET6, word.c_str(), &v6) == 1) return "ipv6";
  if ((text.size() > 4 && text.substr(text.size() - 4) == " ago") ||
      text.rfind("in ", 0) == 0) {
    return "ktime";
  }
  if (ParseDuration(text)) return "ns";
  if (text == "true" || text == "false") return "bool";
  std::string_view name = text;
  if (!name.empty() && name[0] == '-') name.remove_prefix(1);
  if (name.size() > 1 && name[0] == 'E' && ErrnoNumber(name)) return "errno";
  if (text.find("+0x") != std::string_view::npos) return "ksym";
  return std::nullopt;
}

std::string HexOf(Uint128 value) {
  uint64_t high = static_cast<uint64_t>(value >> 64);
  uint64_t low = static_cast<uint64_t>(value);
  if (high == 0) return fmt::format("{:#x}", low);
  return fmt::format("{:#x}{:016x}", high, low);
}

std::string DecimalOf(const TypeNode& type, const uint8_t* base,
                      LeafPlace place) {
  Uint128 bits = ReadBits(type, base, place);
  uint32_t width = place.bit_size != 0 ? place.bit_size : type.size * 8;
  bool negative = type.is_signed && width > 0 && (bits >> (width - 1)) & 1;
  if (negative) {
    bits = width < 128 ? ((static_cast<Uint128>(1) << width) - bits) : -bits;
  }
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + bits % 10));
    bits /= 10;
  } while (bits != 0);
  return negative ? "-" + digits : digits;
}

std::string FormatDuration(int64_t ns) {
  uint64_t magnitude = ns < 0 ? -static_cast<uint64_t>(ns) : ns;
  std::string sign = ns < 0 ? "-" : "";
  static constexpr struct {
    uint64_t scale;
    const char* unit;
  } kUnits[] = {{1000000000, "s"}, {1000000, "ms"}, {1000, "us"}};
  for (const auto& unit : kUnits) {
    if (magnitude < unit.scale) continue;
    std::string fraction = fmt::format("{:0{}}", magnitude % unit.scale,
                                       unit.scale == 1000000000 ? 9
                                       : unit.scale == 1000000  ? 6
                                                                : 3);
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    return fmt::format("{}{}{}{}{}", sign, magnitude / unit.scale,
                       fraction.empty() ? "" : ".", fraction, unit.unit);
  }
  return fmt::format("{}{}ns", sign, magnitude);
}

std::optional<int64_t> ParseDuration(std::string_view text) {
  static constexpr struct {
    std::string_view suffix;
    int64_t scale;
  } kUnits[] = {{"ns", 1},         {"us", 1000},       {"ms", 1000000},
                {"s", 1000000000}, {"m", 60000000000}, {"h", 3600000000000}};
  int64_t scale = 1;
  for (const auto& unit : kUnits) {
    if (text.size() > unit.suffix.size() &&
        text.substr(text.size() - unit.suffix.size()) == unit.suffix) {
      // "ms" also ends in "s": take the longest unit that fits.
      if (unit.suffix == "s" && text.size() > 2 &&
          (text[text.size() - 2] == 'n' || text[text.size() - 2] == 'u' ||
           text[text.size() - 2] == 'm')) {
        continue;
      }
      scale = unit.scale;
      text.remove_suffix(unit.suffix.size());
      break;
    }
  }
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && fraction.empty())) {
    return std::nullopt;
  }
  __int128 ns = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    ns = ns * 10 + (c - '0');
    if (ns > (static_cast<__int128>(1) << 70)) return std::nullopt;
  }
  ns *= scale;
  int64_t place = scale;
  for (char c : fraction) {
    if (c < '0' || c > '9') return std::nullopt;
    if (c != '0' && place < 10) return std::nullopt;  // finer than 1ns
    place /= 10;
    ns += static_cast<__int128>(c - '0') * place;
  }
  if (negative) ns = -ns;
  if (ns > INT64_MAX || ns < INT64_MIN) return std::nullopt;
  return static_cast<int64_t>(ns);
}

LeafText FormatLeaf(const TypeNode& type, const uint8_t* base, LeafPlace place,
                    const LeafContext& context, bool for_json) {
  using Json = LeafText::Json;
  const uint8_t* p = BytesAt(base, place);
  switch (type.format) {
    case LeafFormat::kIpv4:
      return {Json::kString, Ipv4Text(p)};
    case LeafFormat::kIpv6:
      return {Json::kString, Ipv6Text(p)};
    case LeafFormat::kMac:
      return {Json::kString, MacText(p)};
    case LeafFormat::kPort:
      return {Json::kNumber, fmt::format("{}", (p[0] << 8) | p[1])};
    case LeafFormat::kHex:
      return {Json::kString, HexOf(ReadBits(type, base, place))};
    case LeafFormat::kStr:
      if (std::optional<std::string_view> text = TextOfBytes(p, type.size)) {
        return {Json::kString, std::string(*text)};
      }
      return {Json::kJson, ByteList(p, type.size)};
    case LeafFormat::kBool: {
      Uint128 bits = ReadBits(type, base, place);
      if (bits > 1) return {Json::kNumber, DecimalOf(type, base, place)};
      return {Json::kBool, bits != 0 ? "true" : "false"};
    }
    case LeafFormat::kNs:
    case LeafFormat::kUs:
    case LeafFormat::kMs: {
      Int128 ns = ReadInteger(type, base, place) * DurationScale(type.format);
      if (for_json || type.size > 8 || ns > INT64_MAX || ns < INT64_MIN) {
        return {Json::kNumber, DecimalOf(type, base, place)};
      }
      return {Json::kNumber, FormatDuration(static_cast<int64_t>(ns))};
    }
    case LeafFormat::kKtime:
    case LeafFormat::kKtimeBoot: {
      std::optional<std::string> age;
      if (!for_json) {
        age = AgeText(ReadInteger(type, base, place),
                      type.format == LeafFormat::kKtime ? context.monotonic_ns
                                                        : context.boottime_ns);
      }
      return {Json::kNumber, age ? *age : DecimalOf(type, base, place)};
    }
    case LeafFormat::kKsym: {
      uint64_t address = static_cast<uint64_t>(ReadBits(type, base, place));
      std::string symbol;
      if (context.symbols && address != 0) {
        symbol = context.symbols->Describe(address);
      }
      return {Json::kString, symbol.empty() ? HexOf(address) : symbol};
    }
    case LeafFormat::kErrno: {
      std::string name = ErrnoText(ReadInteger(type, base, place));
      if (name.empty()) return {Json::kNumber, DecimalOf(type, base, place)};
      return {Json::kString, name};
    }
    case LeafFormat::kDec:
    case LeafFormat::kRaw:
    case LeafFormat::kNone:
      break;
  }
  return {Json::kNumber, DecimalOf(type, base, place)};
}

Status EncodeFormattedLeaf(const TypeNode& type, const Literal& literal,
                           const std::string& path, uint8_t* base,
                           LeafPlace place, const LeafContext& context) {
  uint8_t* p = base + place.bit_offset / 8;
  const std::string* text = ScalarText(literal);
  switch (type.format) {
    case LeafFormat::kIpv4:
    case LeafFormat::kIpv6: {
      bool v4 = type.format == LeafFormat::kIpv4;
      uint8_t address[16];
      if (text != nullptr &&
          inet_pton(v4 ? AF_INET : AF_INET6, text->c_str(), address) == 1) {
        std::memcpy(p, address, v4 ? 4 : 16);
        return OkStatus();
      }
      if (text != nullptr && IsScalar(type) && ParseInteger(*text)) {
        // A number is the integer the field holds, as without the format
        // (what a dump from before formats wrote).
        return WriteNumber(type, *text, literal, path, base, place);
      }
      return Refuse(
          path, literal,
          v4 ? "an IPv4 address (10.0.0.1)" : "an IPv6 address (fe80::1)");
    }
    case LeafFormat::kMac: {
      if (text != nullptr && ParseMac(*text, p)) return OkStatus();
      return Refuse(path, literal, "a MAC address (aa:bb:cc:dd:ee:ff)");
    }
    case LeafFormat::kPort: {
      std::optional<Int128> port;
      if (text != nullptr) port = ParseInteger(*text);
      if (!port || *port < 0 || *port > 65535) {
        return Refuse(path, literal, "a port (0 to 65535)");
      }
      p[0] = static_cast<uint8_t>(*port >> 8);
      p[1] = static_cast<uint8_t>(*port);
      return OkStatus();
    }
    case LeafFormat::kStr: {
      if (literal.kind == Kind::kString) {
        if (text->find('\0') != std::string::npos) {
          return Error::BadInput(
              fmt::format("{}: the string holds a NUL character", path));
        }
        if (text->size() > type.size) {
          return Error::BadInput(fmt::format(
              "{}: {} is {} bytes; the field holds at most {}", path,
              LiteralForMessage(literal), text->size(), type.size));
        }
        std::memset(p, 0, type.size);
        std::memcpy(p, text->data(), text->size());
        return OkStatus();
      }
      if (literal.kind == Kind::kArray && literal.items.size() == type.size) {
        for (uint32_t i = 0; i < type.size; ++i) {
          std::optional<Int128> byte;
          if (const std::string* item = ScalarText(literal.items[i])) {
            byte = ParseInteger(*item);
          }
          if (!byte || *byte < -128 || *byte > 255) {
            return Refuse(fmt::format("{}[{}]", path, i), literal.items[i],
                          "a byte");
          }
          p[i] = static_cast<uint8_t>(*byte);
        }
        return OkStatus();
      }
      return Refuse(path, literal,
                    fmt::format("a string of at most {} bytes", type.size));
    }
    case LeafFormat::kBool: {
      std::optional<bool> value;
      if (literal.kind == Kind::kBool) value = literal.boolean;
      if (text != nullptr && (*text == "true" || *text == "1")) value = true;
      if (text != nullptr && (*text == "false" || *text == "0")) value = false;
      if (!value && text != nullptr && ParseInteger(*text)) {
        // Any other number is kept as it is (shown as a number too).
        return WriteNumber(type, *text, literal, path, base, place);
      }
      if (!value) return Refuse(path, literal, "a bool (true, false, 1 or 0)");
      WriteInteger(type, base, place, *value ? 1 : 0);
      return OkStatus();
    }
    case LeafFormat::kNs:
    case LeafFormat::kUs:
    case LeafFormat::kMs: {
      std::optional<int64_t> ns;
      if (text != nullptr) ns = ParseDuration(*text);
      int64_t scale = DurationScale(type.format);
      if (ns && scale > 1 &&
          text->find_first_not_of("0123456789-") == std::string::npos) {
        ns = std::nullopt;  // a bare number is in the field's own unit
      }
      if (!ns && text != nullptr && ParseInteger(*text)) {
        // ns past what a duration holds (U64_MAX for "never"), shown as
        // the number.
        return WriteNumber(type, *text, literal, path, base, place);
      }
      if (!ns) return Refuse(path, literal, "a duration (1.5ms, 2s, 300ns)");
      if (*ns % scale != 0) {
        return Error::BadInput(fmt::format("{}: {} is not a whole number of {}",
                                           path, LiteralForMessage(literal),
                                           scale == 1000 ? "us" : "ms"));
      }
      return WriteCheckedInteger(type, *ns / scale, literal, path, base, place);
    }
    case LeafFormat::kKtime:
    case LeafFormat::kKtimeBoot: {
      if (text == nullptr) break;
      int64_t now = type.format == LeafFormat::kKtime ? context.monotonic_ns
                                                      : context.boottime_ns;
      std::string_view words = *text;
      std::optional<int64_t> offset;
      if (words.size() > 4 && words.substr(words.size() - 4) == " ago") {
        offset = ParseDuration(words.substr(0, words.size() - 4));
        if (offset) offset = -*offset;
      } else if (words.size() > 3 && words.substr(0, 3) == "in ") {
        offset = ParseDuration(words.substr(3));
      }
      if (offset) {
        return WriteCheckedInteger(type, Int128{now} + *offset, literal, path,
                                   base, place);
      }
      if (ParseInteger(*text)) {
        return WriteNumber(type, *text, literal, path, base, place);
      }
      return Refuse(path, literal,
                    "a timestamp (ns, or an age: 3.2s ago, in 1s)");
    }
    case LeafFormat::kKsym: {
      if (text == nullptr) break;
      if (ParseInteger(*text)) {
        return WriteNumber(type, *text, literal, path, base, place);
      }
      if (context.symbols) {
        if (std::optional<uint64_t> address =
                context.symbols->AddressOf(*text)) {
          return WriteCheckedInteger(type, *address, literal, path, base,
                                     place);
        }
      }
      return Refuse(path, literal,
                    context.symbols ? "a kernel address or symbol[+0xOFFSET]"
                                    : "a kernel address (symbols are hidden)");
    }
    case LeafFormat::kErrno: {
      if (text == nullptr) break;
      std::string_view name = *text;
      bool negative = !name.empty() && name[0] == '-';
      if (negative) name.remove_prefix(1);
      if (std::optional<int> number = ErrnoNumber(name)) {
        return WriteCheckedInteger(type, negative ? -*number : *number, literal,
                                   path, base, place);
      }
      if (ParseInteger(*text)) {
        return WriteNumber(type, *text, literal, path, base, place);
      }
      return Refuse(path, literal, "an errno (ENOENT, -EPERM, 2)");
    }
    case LeafFormat::kHex: {
      if (text == nullptr) break;
      // The bits as shown: 0xffff reads back into an s16 as -1.
      bool negative = false;
      Uint128 bits = 0;
      uint32_t width = place.bit_size != 0 ? place.bit_size : type.size * 8;
      if (text->size() > 2 && (*text)[0] == '0' && (*text)[1] == 'x' &&
          ParseWideInteger(*text, negative, bits) &&
          (width >= 128 || bits >> width == 0)) {
        WriteBits(type, base, place, bits);
        return OkStatus();
      }
      return WriteNumber(type, *text, literal, path, base, place);
    }
    case LeafFormat::kDec:
    case LeafFormat::kRaw:
    case LeafFormat::kNone:
      if (text == nullptr) break;
      return WriteNumber(type, *text, literal, path, base, place);
  }
  return Refuse(path, literal, "a number or a string");
}

}  // namespace bpfmap
