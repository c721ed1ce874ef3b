#include "core/model/kernel_symbols.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace bpfmap {

KernelSymbols KernelSymbols::Parse(std::string_view text) {
  KernelSymbols symbols;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    // ADDRESS TYPE NAME [MODULE]
    size_t first = line.find(' ');
    if (first == std::string_view::npos) continue;
    size_t second = line.find(' ', first + 1);
    if (second == std::string_view::npos) continue;
    uint64_t address = 0;
    auto parsed = std::from_chars(line.data(), line.data() + first, address, 16);
    if (parsed.ec != std::errc() || address == 0) continue;
    std::string_view name = line.substr(second + 1);
    size_t tab = name.find('\t');
    if (tab != std::string_view::npos) name = name.substr(0, tab);
    symbols.symbols_.emplace_back(address, std::string(name));
  }
  std::stable_sort(
      symbols.symbols_.begin(), symbols.symbols_.end(),
      [](const auto& a, const auto& b) { return a.first < b.first; });
  return symbols;
}

std::string KernelSymbols::Describe(uint64_t address) const {
  auto after = std::upper_bound(
      symbols_.begin(), symbols_.end(), address,
      [](uint64_t a, const auto& symbol) { return a < symbol.first; });
  if (after == symbols_.begin()) return "";
  const auto& symbol = *(after - 1);
  uint64_t offset = address - symbol.first;
  if (offset == 0) return symbol.second;
  return fmt::format("{}+0x{:x}", symbol.second, offset);
}

std::optional<uint64_t> KernelSymbols::AddressOf(std::string_view text) const {
  std::string_view name = text;
  uint64_t offset = 0;
  size_t plus = text.rfind("+0x");
  if (plus != std::string_view::npos) {
    name = text.substr(0, plus);
    std::string_view digits = text.substr(plus + 3);
    auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(),
                                  offset, 16);
    if (digits.empty() || parsed.ec != std::errc() ||
        parsed.ptr != digits.data() + digits.size()) {
      return std::nullopt;
    }
  }
  // A name two symbols share (static functions of different files) names
  // neither.
  std::optional<uint64_t> found;
  for (const auto& [address, symbol] : symbols_) {
    if (symbol != name) continue;
    if (found && *found != address) return std::nullopt;
    found = address;
  }
  if (!found) return std::nullopt;
  return *found + offset;
}

std::vector<StackFrame> StackFrames(const uint8_t* value, uint32_t size,
                                    const KernelSymbols* symbols) {
  std::vector<StackFrame> frames;
  for (uint32_t at = 0; at + 8 <= size; at += 8) {
    uint64_t address;
    std::memcpy(&address, value + at, sizeof(address));
    if (address == 0) break;
    StackFrame frame;
    frame.address = fmt::format("0x{:x}", address);
    if (symbols != nullptr) frame.symbol = symbols->Describe(address);
    frames.push_back(std::move(frame));
  }
  return frames;
}

}  // namespace bpfmap
