#include "formatters/histogram_text.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace bpfmap {
namespace {

// bcc's libbpf-tools print_log2_hist and print_linear_hist
// (trace_helpers.c), redone with their printf formats into a string: the
// reference the rendering is held to.
std::string Stars(unsigned long long val, unsigned long long val_max,
                  int width) {
  std::string out;
  unsigned long long num_stars =
      (val < val_max ? val : val_max) * width / val_max;
  for (unsigned long long i = 0; i < num_stars; i++) out += '*';
  for (unsigned long long i = num_stars; i < (unsigned long long)width; i++) {
    out += ' ';
  }
  if (val > val_max) out += '+';
  return out;
}

std::string BccLog2(const std::vector<unsigned long long>& vals,
                    const char* val_type) {
  int idx_max = -1;
  unsigned long long val_max = 0;
  for (size_t i = 0; i < vals.size(); i++) {
    if (vals[i] > 0) idx_max = static_cast<int>(i);
    if (vals[i] > val_max) val_max = vals[i];
  }
  if (idx_max < 0) return "";
  char line[512];
  std::string out;
  snprintf(line, sizeof(line), "%*s%-*s : count    distribution\n",
           idx_max <= 32 ? 5 : 15, "", idx_max <= 32 ? 19 : 29, val_type);
  out += line;
  int stars = idx_max <= 32 ? 40 : 20;
  for (int i = 0; i <= idx_max; i++) {
    unsigned long long low = (1ULL << (i + 1)) >> 1;
    unsigned long long high = (1ULL << (i + 1)) - 1;
    if (low == high) low -= 1;
    int width = idx_max <= 32 ? 10 : 20;
    snprintf(line, sizeof(line), "%*llu -> %-*llu : %-8llu |", width, low,
             width, high, vals[i]);
    out += line + Stars(vals[i], val_max, stars) + "|\n";
  }
  return out;
}

std::string BccLinear(const std::vector<unsigned long long>& vals,
                      unsigned step, const char* val_type) {
  int idx_min = -1, idx_max = -1;
  unsigned long long val_max = 0;
  for (size_t i = 0; i < vals.size(); i++) {
    if (vals[i] > 0) {
      idx_max = static_cast<int>(i);
      if (idx_min < 0) idx_min = static_cast<int>(i);
    }
    if (vals[i] > val_max) val_max = vals[i];
  }
  if (idx_max < 0) return "";
  char line[512];
  std::string out;
  snprintf(line, sizeof(line), "     %-13s : count     distribution\n",
           val_type);
  out += line;
  for (int i = idx_min; i <= idx_max; i++) {
    if (!vals[i]) continue;
    snprintf(line, sizeof(line), "        %-10llu : %-8llu |",
             static_cast<unsigned long long>(i) * step, vals[i]);
    out += line + Stars(vals[i], val_max, 40) + "|\n";
  }
  return out;
}

std::string Render(const std::vector<unsigned long long>& vals,
                   HistogramScale scale, uint64_t step, const char* label) {
  Histogram histogram;
  histogram.counts.assign(vals.begin(), vals.end());
  fmt::memory_buffer out;
  AppendHistogramText(histogram, scale, step, label, out);
  return fmt::to_string(out);
}

TEST(HistogramTextTest, Log2AsBccPrintsIt) {
  std::vector<unsigned long long> vals = {0, 3, 17, 250, 1024, 0, 7, 0, 0};
  EXPECT_EQ(Render(vals, HistogramScale::kLog2, 1, "usecs"),
            BccLog2(vals, "usecs"));
  EXPECT_EQ(Render(vals, HistogramScale::kLog2, 1, "usecs").substr(0, 59),
            "     usecs               : count    distribution\n"
            "         0");
}

TEST(HistogramTextTest, WideLog2PastSlot32) {
  std::vector<unsigned long long> vals(40, 0);
  vals[0] = 1;
  vals[35] = 5;
  vals[12] = 9;
  EXPECT_EQ(Render(vals, HistogramScale::kLog2, 1, "nsecs"),
            BccLog2(vals, "nsecs"));
}

TEST(HistogramTextTest, LinearAsBccPrintsIt) {
  std::vector<unsigned long long> vals = {0, 0, 4, 0, 12, 1, 0};
  EXPECT_EQ(Render(vals, HistogramScale::kLinear, 10, "msecs"),
            BccLinear(vals, 10, "msecs"));
}

TEST(HistogramTextTest, NothingWhenEveryCountIsZero) {
  EXPECT_EQ(Render({0, 0, 0}, HistogramScale::kLog2, 1, "usecs"), "");
  EXPECT_EQ(Render({}, HistogramScale::kLinear, 1, "usecs"), "");
  // Not even the key line of an empty per-key histogram.
  HistogramReport report;
  report.label = "slots";
  report.per_key = true;
  report.histograms.resize(2);
  report.histograms[0].key = {1};
  report.histograms[0].counts = {0, 0};
  report.histograms[1].key = {2};
  report.histograms[1].counts = {0, 3};
  fmt::memory_buffer out;
  AppendHistogramsText(report, EntryShape{}, out);
  EXPECT_EQ(fmt::to_string(out).substr(0, 8), "key = 02");
}

}  // namespace
}  // namespace bpfmap
