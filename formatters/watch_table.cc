#include "formatters/watch_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/types/type_paths.h"
#include "formatters/json_writer.h"
#include "formatters/typed_text.h"

namespace bpfmap {
namespace {

struct Column {
  std::string name;
  bool right = false;  // numbers
};

std::string Prefixed(const char* side, const std::string& path) {
  return path.empty() ? side : path;
}

// The cells of `type` at `data` (or its bytes in hex if untyped).
void AppendCells(const TypeRef& type, const std::vector<DisplayLeaf>& leaves,
                 const uint8_t* data, size_t size, const LeafContext* context,
                 std::vector<std::string>& out) {
  fmt::memory_buffer text;
  if (!type) {
    for (size_t i = 0; i < size; ++i) {
      fmt::format_to(std::back_inserter(text), "{:02x}", data[i]);
    }
    out.push_back(fmt::to_string(text));
    return;
  }
  for (const DisplayLeaf& leaf : leaves) {
    text.clear();
    AppendTypedText(*leaf.type, data, leaf.place, /*bare_strings=*/true, text,
                    context);
    out.push_back(fmt::to_string(text));
  }
}

bool IsNumber(const TypeNode* type) {
  return type != nullptr && IsNumericLeaf(*type);
}

}  // namespace

std::string HumanNumber(double value) {
  double magnitude = std::fabs(value);
  if (magnitude >= 1e9) return fmt::format("{:.2f}G", value / 1e9);
  if (magnitude >= 1e6) return fmt::format("{:.2f}M", value / 1e6);
  if (magnitude >= 1e4) return fmt::format("{:.2f}k", value / 1e3);
  return fmt::format("{:.1f}", value);
}

std::vector<std::string> WatchSortColumns(const WatchSampler& read,
                                          const EntryShape& shape) {
  std::vector<std::string> names;
  if (shape.has_key) {
    if (shape.types.key) {
      for (const DisplayLeaf& leaf : DisplayLeaves(*shape.types.key)) {
        names.push_back(leaf.path.empty() ? "key" : "key." + leaf.path);
      }
    } else {
      names.push_back("key");
    }
  }
  if (shape.types.value) {
    for (const DisplayLeaf& leaf : DisplayLeaves(*shape.types.value)) {
      names.push_back(leaf.path.empty() ? "value" : "value." + leaf.path);
    }
  } else {
    names.push_back("value");
  }
  for (const NumericLeaf& leaf : read.leaves()) {
    names.push_back("rate(" + (leaf.path.empty() ? "value" : leaf.path) + ")");
  }
  return names;
}

std::vector<std::string> WatchTableLines(WatchSampler& read,
                                         const EntryShape& shape, size_t rows,
                                         size_t width) {
  std::vector<DisplayLeaf> key_leaves, value_leaves;
  std::vector<Column> columns;
  if (shape.has_key) {
    if (shape.types.key) {
      key_leaves = DisplayLeaves(*shape.types.key);
      for (const DisplayLeaf& leaf : key_leaves) {
        columns.push_back({Prefixed("key", leaf.path), IsNumber(leaf.type)});
      }
    } else {
      columns.push_back({"key", false});
    }
  }
  if (shape.types.value) {
    value_leaves = DisplayLeaves(*shape.types.value);
    for (const DisplayLeaf& leaf : value_leaves) {
      columns.push_back({Prefixed("value", leaf.path), IsNumber(leaf.type)});
    }
  } else {
    columns.push_back({"value", false});
  }
  for (const NumericLeaf& leaf : read.leaves()) {
    std::string name = leaf.path.empty() ? "value" : leaf.path;
    columns.push_back({"\u0394" + name, true});
    columns.push_back({name + "/s", true});
  }
  std::vector<std::vector<std::string>> cells;
  cells.emplace_back();
  for (const Column& column : columns) cells.back().push_back(column.name);
  size_t count = std::min(rows, read.rows().size());
  for (size_t r = 0; r < count; ++r) {
    const WatchRow& row = read.rows()[r];
    std::vector<std::string> line;
    EntryView view = read.view(row);
    if (shape.has_key) {
      AppendCells(shape.types.key, key_leaves, view.key, view.key_size,
                  &shape.leaf_context, line);
    }
    AppendCells(shape.types.value, value_leaves, read.value_of(row),
                shape.layout.value_size, &shape.leaf_context, line);
    for (size_t i = 0; i < read.leaves().size(); ++i) {
      const LeafMotion& motion = read.motion(row)[i];
      switch (motion.state) {
        case LeafMotion::State::kFirst:
          line.push_back("");
          line.push_back("");
          break;
        case LeafMotion::State::kReset:
          line.push_back("reset");
          line.push_back("-");
          break;
        case LeafMotion::State::kMoved: {
          fmt::memory_buffer delta;
          if (motion.delta > 0 || motion.real_delta > 0) delta.push_back('+');
          if (motion.real_delta != 0) {
            AppendDouble(motion.real_delta, delta);
          } else {
            AppendDecimal(motion.delta, delta);
          }
          line.push_back(fmt::to_string(delta));
          line.push_back(HumanNumber(motion.rate));
          break;
        }
      }
    }
    cells.push_back(std::move(line));
  }
  // Widths in code points (the Δ is two bytes).
  auto length = [](const std::string& text) {
    size_t n = 0;
    for (unsigned char c : text) n += (c & 0xc0) != 0x80;
    return n;
  };
  std::vector<size_t> widths(columns.size(), 0);
  for (const auto& line : cells) {
    for (size_t c = 0; c < line.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], length(line[c]));
    }
  }
  std::vector<std::string> lines;
  for (const auto& line : cells) {
    std::string text;
    for (size_t c = 0; c < line.size() && c < columns.size(); ++c) {
      if (c > 0) text += "  ";
      size_t pad = widths[c] - length(line[c]);
      bool last = c + 1 == line.size();
      if (columns[c].right) text.append(pad, ' ');
      text += line[c];
      if (!columns[c].right && !last) text.append(pad, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    if (width != 0 && length(text) > width) {
      // Cut at `width` code points.
      size_t n = 0, i = 0;
      for (; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) {
          if (n == width) break;
          ++n;
        }
      }
      text.resize(i);
    }
    lines.push_back(std::move(text));
  }
  return lines;
}

}  // namespace bpfmap
