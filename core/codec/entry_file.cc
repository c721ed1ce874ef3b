#include "core/codec/entry_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/codec/json_cursor.h"
#include "core/codec/literal.h"
#include "core/codec/typed_input.h"

namespace bpfmap {
namespace {

using Kind = Literal::Kind;

// What JSON takes for whitespace (RFC 8259), and nothing else: \v and \f
// are not.
constexpr const char* kJsonSpace = " \t\r\n";

// Each byte's value as a hex digit, or -1.
constexpr std::array<int8_t, 256> kHexValues = [] {
  std::array<int8_t, 256> digits{};
  for (int c = 0; c < 256; ++c) {
    digits[c] = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
  }
  return digits;
}();

// Decodes exactly `size` bytes of hex digits into `out`.
bool DecodeHex(std::string_view text, uint8_t* out, size_t size) {
  if (text.size() != size * 2) return false;
  const auto* digits = reinterpret_cast<const unsigned char*>(text.data());
  int bad = 0;
  for (size_t i = 0; i < size; ++i) {
    int high = kHexValues[digits[2 * i]];
    int low = kHexValues[digits[2 * i + 1]];
    bad |= high | low;
    out[i] = static_cast<uint8_t>((high & 0xf) << 4 | (low & 0xf));
  }
  return bad >= 0;
}

class EntryPacker {
 public:
  // With `on_run`, every `run_entries` entries are handed on as a run and
  // the buffers start again; without, they hold the whole file.
  EntryPacker(const std::string& name, const EntryFileSpec& spec,
              size_t run_entries = 0, const EntryRunFn* on_run = nullptr)
      : spec_(spec), run_entries_(run_entries), on_run_(on_run) {
    packed_.key_size = spec.has_key ? spec.key_size : 0;
    packed_.value_stride = spec.need_value ? spec.layout.buffer_size() : 0;
    packed_.source = name;
  }

  // After each entry: hands on a full run.
  Status EndEntry() {
    if (on_run_ == nullptr || packed_.count < run_entries_) return OkStatus();
    return HandOn();
  }

  // At the end of the file: hands on what is left.
  Status Finish() {
    if (on_run_ == nullptr || packed_.count == 0) return OkStatus();
    return HandOn();
  }

  // One line of NDJSON. Blank lines are skipped.
  Status AddLine(std::string_view line, uint32_t number) {
    size_t start = line.find_first_not_of(kJsonSpace);
    if (start == std::string_view::npos) return OkStatus();
    line = line.substr(start, line.find_last_not_of(kJsonSpace) + 1 - start);
    size_t index = Grow();
    packed_.lines.push_back(number);
    if (!FastEntry(line, index)) {
      Result<Literal> literal = ParseJsonLiteral(line);
      if (!literal.ok()) return literal.error().WithContext(Origin(index));
      BPFMAP_RETURN_IF_ERROR(AddLiteral(*literal, index));
    }
    return EndEntry();
  }

  // One element of a JSON array.
  Status AddElement(const Literal& literal) {
    BPFMAP_RETURN_IF_ERROR(AddLiteral(literal, Grow()));
    return EndEntry();
  }

  PackedEntries Take() {
    CutToSize();
    return std::move(packed_);
  }

 private:
  std::string Origin(size_t index) const { return packed_.OriginOf(index); }

  Status HandOn() {
    CutToSize();
    Status status = (*on_run_)(packed_);
    packed_.StartNextRun();
    return status;
  }

  // Room for one more entry. The buffers grow ahead of the entries (by
  // doubling) and are cut to size when handed on.
  size_t Grow() {
    size_t index = packed_.count++;
    size_t keys = packed_.count * packed_.key_size;
    size_t values = packed_.count * packed_.value_stride;
    if (keys > packed_.keys.size()) {
      packed_.keys.resize(std::max(keys, 2 * packed_.keys.size()));
    }
    if (values > packed_.values.size()) {
      packed_.values.resize(std::max(values, 2 * packed_.values.size()));
    }
    return index;
  }
  void CutToSize() {
    packed_.keys.resize(packed_.count * packed_.key_size);
    packed_.values.resize(packed_.count * packed_.value_stride);
  }
  uint8_t* KeyAt(size_t index) {
    return packed_.keys.data() + index * packed_.key_size;
  }
  uint8_t* ValueAt(size_t index) {
    return packed_.values.data() + index * packed_.value_stride;
  }

  // The shape dump prints, {"key":K,"value":V} with K and V hex strings
  // for untyped maps, or what EncodeJsonFast takes for typed ones, read
  // straight into the buffers. Anything else, and anything wrong, goes to
  // the general reader, which says what.
  bool FastEntry(std::string_view line, size_t index) {
    if (spec_.layout.per_cpu || !spec_.has_key) return false;
    JsonCursor in(line);
    auto element = [&](const TypeNode* type, uint8_t* out, size_t size) {
      if (type != nullptr) return EncodeJsonFast(*type, in, out);
      std::string_view hex;
      return in.String(hex) && DecodeHex(hex, out, size);
    };
    if (!in.Eat('{')) return false;
    bool have_key = false, have_value = false;
    do {
      std::string_view name;
      if (!in.String(name) || !in.Eat(':')) return false;
      if (name == "key" && !have_key) {
        if (!element(spec_.key_type, KeyAt(index), spec_.key_size)) {
          return false;
        }
        have_key = true;
      } else if (name == "value" && !have_value && spec_.need_value) {
        if (!element(spec_.value_type, ValueAt(index),
                     spec_.layout.value_size)) {
          return false;
        }
        have_value = true;
      } else if (name == "value" && !have_value) {
        // Read past it: del --file takes what dump printed.
        const TypeNode* type = spec_.value_type;
        std::string_view ignored;
        scratch_.assign(type != nullptr ? type->size : 0, 0);
        if (type != nullptr ? !EncodeJsonFast(*type, in, scratch_.data())
                            : !in.String(ignored)) {
          return false;
        }
        have_value = true;
      } else {
        return false;
      }
    } while (in.Eat(','));
    return in.Eat('}') && in.AtEnd() && have_key &&
           (have_value || !spec_.need_value);
  }

  // A key or value: typed, or hex digits when untyped.
  Status Encode(const TypeNode* type, const Literal& literal,
                const std::string& what, uint8_t* out, size_t size) {
    if (type == nullptr) {
      if (literal.kind != Kind::kString ||
          !DecodeHex(literal.text, out, size)) {
        return Error::BadInput(fmt::format(
            "{}: {} is not {} bytes as a string of hex digits", what,
            LiteralForMessage(literal), size));
      }
      return OkStatus();
    }
    BPFMAP_ASSIGN_OR_RETURN(
        Bytes bytes,
        EncodeLiteral(*type, literal, what, nullptr, spec_.leaf_context));
    std::memcpy(out, bytes.data(), size);
    return OkStatus();
  }

  Status AddLiteral(const Literal& literal, size_t index) {
    Status status = Fill(literal, index);
    if (!status.ok()) return status.error().WithContext(Origin(index));
    return OkStatus();
  }

  Status Fill(const Literal& literal, size_t index) {
    if (literal.kind != Kind::kObject) {
      return Error::BadInput(fmt::format(
          "an entry is a JSON object with {}, not {}",
          spec_.has_key ? "\"key\" and \"value\"" : "\"value\"",
          LiteralForMessage(literal)));
    }
    const Literal* key = nullptr;
    const Literal* value = nullptr;
    const Literal* values = nullptr;
    for (const auto& [name, member] : literal.members) {
      const Literal** slot = name == "key"      ? &key
                             : name == "value"  ? &value
                             : name == "values" ? &values
                                                : nullptr;
      if (slot == nullptr) {
        return Error::BadInput(fmt::format(
            "unexpected member \"{}\" (an entry has key, value or values)",
            name));
      }
      if (*slot != nullptr) {
        return Error::BadInput(fmt::format("\"{}\" given twice", name));
      }
      *slot = &member;
    }
    if (spec_.has_key) {
      if (key == nullptr) return Error::BadInput("the entry has no \"key\"");
      BPFMAP_RETURN_IF_ERROR(
          Encode(spec_.key_type, *key, "key", KeyAt(index), spec_.key_size));
    } else if (key != nullptr) {
      return Error::BadInput("this map has no keys, but the entry has one");
    }
    if (!spec_.need_value) return OkStatus();
    if (value != nullptr && values != nullptr) {
      return Error::BadInput("give \"value\" or \"values\", not both");
    }
    const ValueLayout& layout = spec_.layout;
    uint8_t* out = ValueAt(index);
    if (value != nullptr) {
      BPFMAP_RETURN_IF_ERROR(Encode(spec_.value_type, *value, "value", out,
                                    layout.value_size));
      for (uint32_t cpu = 1; cpu < layout.cpus && layout.per_cpu; ++cpu) {
        std::memcpy(out + static_cast<size_t>(layout.stride) * cpu, out,
                    layout.value_size);
      }
      return OkStatus();
    }
    if (values == nullptr) return Error::BadInput("the entry has no \"value\"");
    if (!layout.per_cpu) {
      return Error::BadInput(
          "\"values\" is for per-CPU maps; this map takes \"value\"");
    }
    if (values->kind != Kind::kArray || values->items.size() != layout.cpus) {
      return Error::BadInput(fmt::format(
          "\"values\" must list {} CPUs' values, as dump prints them",
          layout.cpus));
    }
    for (uint32_t cpu = 0; cpu < layout.cpus; ++cpu) {
      const Literal& item = values->items[cpu];
      std::string what = fmt::format("values[{}]", cpu);
      const Literal* cpu_value = nullptr;
      bool cpu_matches = false;
      if (item.kind == Kind::kObject) {
        for (const auto& [name, member] : item.members) {
          if (name == "value") cpu_value = &member;
          if (name == "cpu") {
            cpu_matches = member.kind == Kind::kNumber &&
                          member.text == std::to_string(cpu);
          }
        }
      }
      if (cpu_value == nullptr || !cpu_matches || item.members.size() != 2) {
        return Error::BadInput(fmt::format(
            "{}: expected {{\"cpu\": {}, \"value\": ...}}", what, cpu));
      }
      BPFMAP_RETURN_IF_ERROR(Encode(spec_.value_type, *cpu_value, what,
                                    out + static_cast<size_t>(layout.stride) *
                                              cpu,
                                    layout.value_size));
    }
    return OkStatus();
  }

  const EntryFileSpec& spec_;
  size_t run_entries_;
  const EntryRunFn* on_run_;
  PackedEntries packed_;
  std::vector<uint8_t> scratch_;
};

bool StartsArray(int c) { return c == '['; }

// Feeds a JSON array's elements to `packer`; errors in the JSON itself get
// the file's name in front (entries' own errors already carry it).
template <typename ParseFn>
Status ReadArray(ParseFn parse, EntryPacker& packer, const std::string& name) {
  bool entry_failed = false;
  Status status = parse([&](Literal&& element, size_t) {
    Status added = packer.AddElement(element);
    entry_failed = !added.ok();
    return added;
  });
  if (status.ok() || entry_failed) return status;
  return status.error().WithContext(name);
}

// Every entry of `in` (of its `range`) through `packer`.
Status ReadInto(std::FILE* in, const std::string& name, EntryPacker& packer,
                const LineRange& range = {}) {
  int c;
  uint64_t consumed = 0;
  uint32_t number = range.lines_before;
  while (true) {
    c = std::fgetc(in);
    if (c == EOF || c == 0 || std::strchr(kJsonSpace, c) == nullptr) break;
    ++consumed;
    if (c == '\n') ++number;
  }
  if (c == EOF) {
    if (std::ferror(in)) {
      return Error::System(errno, fmt::format("read {}", name));
    }
    return packer.Finish();
  }
  std::ungetc(c, in);
  if (StartsArray(c) && !range.lines_only) {
    BPFMAP_RETURN_IF_ERROR(ReadArray(
        [&](const ArrayElementFn& fn) { return ForEachArrayElement(in, fn); },
        packer, name));
    return packer.Finish();
  }
  char* line = nullptr;
  size_t capacity = 0;
  std::unique_ptr<char, decltype(&std::free)> owner(nullptr, &std::free);
  while (consumed < range.bytes) {
    errno = 0;
    ssize_t length = getline(&line, &capacity, in);
    owner.release();
    owner.reset(line);
    if (length < 0) {
      if (std::ferror(in)) {
        return Error::System(errno, fmt::format("read {}", name));
      }
      break;
    }
    consumed += static_cast<uint64_t>(length);
    ++number;
    BPFMAP_RETURN_IF_ERROR(
        packer.AddLine(std::string_view(line, length), number));
  }
  return packer.Finish();
}

}  // namespace

Status ReadEntryRuns(std::FILE* in, const std::string& name,
                     const EntryFileSpec& spec, size_t run_entries,
                     const EntryRunFn& on_run, const LineRange& range) {
  EntryPacker packer(name, spec, std::max<size_t>(run_entries, 1), &on_run);
  return ReadInto(in, name, packer, range);
}

Result<PackedEntries> ReadEntryText(std::string_view text,
                                    const std::string& name,
                                    const EntryFileSpec& spec) {
  EntryPacker packer(name, spec);
  size_t start = text.find_first_not_of(kJsonSpace);
  if (start != std::string_view::npos && StartsArray(text[start])) {
    BPFMAP_RETURN_IF_ERROR(ReadArray(
        [&](const ArrayElementFn& fn) { return ForEachArrayElement(text, fn); },
        packer, name));
    return packer.Take();
  }
  uint32_t number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    ++number;
    BPFMAP_RETURN_IF_ERROR(packer.AddLine(text.substr(pos, end - pos), number));
    pos = end + 1;
  }
  return packer.Take();
}

}  // namespace bpfmap
