#include "formatters/histogram_text.h"

#include <algorithm>
#include <iterator>

#include "core/base/bytes.h"
#include "formatters/typed_text.h"

namespace bpfmap {
namespace {

// bcc's print_stars: `width` columns, '+' past the end if over the max.
void AppendStars(uint64_t count, uint64_t max, int width,
                 fmt::memory_buffer& out) {
  uint64_t stars = max == 0 ? 0
                            : static_cast<uint64_t>(
                                  static_cast<unsigned __int128>(
                                      std::min(count, max)) *
                                  width / max);
  for (uint64_t i = 0; i < static_cast<uint64_t>(width); ++i) {
    out.push_back(i < stars ? '*' : ' ');
  }
  if (count > max) out.push_back('+');
}

}  // namespace

void AppendHistogramText(const Histogram& histogram, HistogramScale scale,
                         uint64_t step, std::string_view label,
                         fmt::memory_buffer& out) {
  std::vector<HistogramBucket> buckets = BucketsOf(histogram, scale, step);
  if (buckets.empty()) return;
  uint64_t max = 0;
  for (const HistogramBucket& bucket : buckets) {
    max = std::max(max, bucket.count);
  }
  auto to = std::back_inserter(out);
  if (scale == HistogramScale::kLinear) {
    fmt::format_to(to, "     {:<13} : count     distribution\n", label);
    for (const HistogramBucket& bucket : buckets) {
      fmt::format_to(to, "        {:<10} : {:<8} |", bucket.low, bucket.count);
      AppendStars(bucket.count, max, 40, out);
      out.append(std::string_view("|\n"));
    }
    return;
  }
  // Wider columns and half the stars once slots pass 32, as bcc.
  bool wide = buckets.size() - 1 > 32;
  int width = wide ? 20 : 10;
  fmt::format_to(to, "{:{}}{:<{}} : count    distribution\n", "",
                 wide ? 15 : 5, label, wide ? 29 : 19);
  for (const HistogramBucket& bucket : buckets) {
    fmt::format_to(to, "{:>{}} -> {:<{}} : {:<8} |", bucket.low, width,
                   bucket.high, width, bucket.count);
    AppendStars(bucket.count, max, wide ? 20 : 40, out);
    out.append(std::string_view("|\n"));
  }
}

void AppendHistogramsText(const HistogramReport& report,
                          const EntryShape& shape, fmt::memory_buffer& out) {
  bool first = true;
  for (const Histogram& histogram : report.histograms) {
    if (BucketsOf(histogram, report.scale, report.step).empty()) continue;
    if (report.per_key) {
      if (!first) out.push_back('\n');
      out.append(std::string_view("key = "));
      if (shape.types.key) {
        AppendTypedText(*shape.types.key, histogram.key.data(), LeafPlace{},
                        /*bare_strings=*/false, out, &shape.leaf_context);
      } else {
        AppendHexBytes(histogram.key.data(), histogram.key.size(), out, ' ');
      }
      out.push_back('\n');
    }
    first = false;
    AppendHistogramText(histogram, report.scale, report.step, report.label,
                        out);
  }
}

}  // namespace bpfmap
