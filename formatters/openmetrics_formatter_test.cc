#include "formatters/openmetrics_formatter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <cstring>

#include "core/types/c_type.h"
#include "core/types/leaf_formats.h"

namespace bpfmap {
namespace {

std::string Printed(const std::function<void(Formatter&)>& print) {
  char* text = nullptr;
  size_t size = 0;
  std::FILE* memory = open_memstream(&text, &size);
  {
    OutputSink out(memory);
    OutputSink err(stderr);
    OpenMetricsFormatter formatter(out, err);
    print(formatter);
  }
  std::fclose(memory);
  std::string result(text, size);
  std::free(text);
  return result;
}

TEST(OpenMetricsTest, ValueLeavesAreGaugesLabelledByTheKey) {
  EntryShape shape;
  MapTypes types;
  types.key = *ParseCType(
      "struct flow { __u32 saddr; __be16 dport; __u8 proto; __u8 pad; }",
      nullptr);
  types.value = *ParseCType(
      "struct st { __u64 packets; char comm[8]; __u32 slots[2]; double r; }",
      nullptr);
  shape.types = *ApplyFormats(types, FormatSpec{});
  shape.key_size = 8;
  shape.layout.value_size = shape.types.value->size;
  shape.layout.stride = shape.layout.value_size;
  shape.map_name = "flows.v2";
  uint8_t key[8] = {10, 0, 0, 1, 0x01, 0xbb, 6, 0};
  struct {
    uint64_t packets;
    char comm[8];
    uint32_t slots[2];
    double r;
  } value = {42, "a\"b", {3, 4}, 0.5};
  std::string text = Printed([&](Formatter& f) {
    f.BeginDump(shape);
    f.DumpEntry({key, 8, reinterpret_cast<uint8_t*>(&value)});
    key[3] = 2;
    value.packets = 7;
    f.DumpEntry({key, 8, reinterpret_cast<uint8_t*>(&value)});
    f.EndDump();
  });
  // pad is padding: no label.
  const char* labels1 = R"({saddr="10.0.0.1",dport="443",proto="6")";
  const char* labels2 = R"({saddr="10.0.0.2",dport="443",proto="6")";
  EXPECT_EQ(text,
            "# HELP bpfmap_flows_v2_packets value.packets of BPF map flows.v2\n"
            "# TYPE bpfmap_flows_v2_packets gauge\n"
            "bpfmap_flows_v2_packets" + std::string(labels1) + "} 42\n"
            "bpfmap_flows_v2_packets" + std::string(labels2) + "} 7\n"
            "# HELP bpfmap_flows_v2_slots value.slots of BPF map flows.v2\n"
            "# TYPE bpfmap_flows_v2_slots gauge\n"
            "bpfmap_flows_v2_slots" + std::string(labels1) + ",index=\"0\"} 3\n"
            "bpfmap_flows_v2_slots" + std::string(labels1) + ",index=\"1\"} 4\n"
            "bpfmap_flows_v2_slots" + std::string(labels2) + ",index=\"0\"} 3\n"
            "bpfmap_flows_v2_slots" + std::string(labels2) + ",index=\"1\"} 4\n"
            "# HELP bpfmap_flows_v2_r value.r of BPF map flows.v2\n"
            "# TYPE bpfmap_flows_v2_r gauge\n"
            "bpfmap_flows_v2_r" + std::string(labels1) + "} 0.5\n"
            "bpfmap_flows_v2_r" + std::string(labels2) + "} 0.5\n"
            "# EOF\n");
}

TEST(OpenMetricsTest, UntypedPerCpuAndEscapedLabels) {
  EntryShape shape;
  shape.key_size = 2;
  shape.layout.value_size = 4;
  shape.layout.stride = 8;
  shape.layout.cpus = 2;
  shape.layout.per_cpu = true;
  shape.map_id = 9;
  uint8_t key[2] = {0xab, 0x01};
  uint8_t values[16] = {1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0};
  std::string text = Printed([&](Formatter& f) {
    f.BeginDump(shape);
    f.DumpEntry({key, 2, values});
    f.EndDump();
  });
  EXPECT_EQ(text,
            "# HELP bpfmap_map9_value value of BPF map 9\n"
            "# TYPE bpfmap_map9_value gauge\n"
            "bpfmap_map9_value{key=\"ab01\",cpu=\"0\"} 1\n"
            "bpfmap_map9_value{key=\"ab01\",cpu=\"1\"} 258\n"
            "# EOF\n");
  EntryShape named;
  named.types.key = *ParseCType("char[8]", nullptr);
  named.types.value = *ParseCType("__u32", nullptr);
  named.key_size = 8;
  named.layout.value_size = 4;
  named.layout.stride = 4;
  named.map_name = "comms";
  char comm[8] = "a\\b\"c";
  uint32_t n = 5;
  text = Printed([&](Formatter& f) {
    f.PrintEntry({reinterpret_cast<uint8_t*>(comm), 8,
                  reinterpret_cast<uint8_t*>(&n)},
                 named);
  });
  EXPECT_EQ(text,
            "# HELP bpfmap_comms_value value of BPF map comms\n"
            "# TYPE bpfmap_comms_value gauge\n"
            "bpfmap_comms_value{key=\"a\\\\b\\\"c\"} 5\n"
            "# EOF\n");
  EXPECT_EQ(MetricName("3.bss"), "_3_bss");
}

TEST(OpenMetricsTest, FamiliesOnceAndLabelNamesUnique) {
  EntryShape shape;
  shape.types.key = *ParseCType(
      "struct k { __u32 cpu; __u32 index; __u8 pad[4]; }", nullptr);
  shape.types.value = *ParseCType(
      "struct v { struct { __u64 pkts; float r; } dir[2]; }", nullptr);
  shape.key_size = 12;
  shape.layout.value_size = 32;
  shape.layout.stride = 32;
  shape.map_name = "m";
  uint32_t key[3] = {1, 2, 0};
  struct {
    uint64_t pkts;
    float r;
    uint32_t pad;
  } value[2] = {{5, 1.0f / 0.0f, 0}, {6, 0.5f, 0}};
  std::string text = Printed([&](Formatter& f) {
    f.BeginDump(shape);
    f.DumpEntry({reinterpret_cast<uint8_t*>(key), 12,
                 reinterpret_cast<uint8_t*>(value)});
    key[2] = 7;  // padding that is not zero shows
    f.DumpEntry({reinterpret_cast<uint8_t*>(key), 12,
                 reinterpret_cast<uint8_t*>(value)});
    f.EndDump();
  });
  EXPECT_EQ(text,
            "# HELP bpfmap_m_dir_pkts value.dir.pkts of BPF map m\n"
            "# TYPE bpfmap_m_dir_pkts gauge\n"
            "bpfmap_m_dir_pkts{key_cpu=\"1\",key_index=\"2\",index=\"0\"} 5\n"
            "bpfmap_m_dir_pkts{key_cpu=\"1\",key_index=\"2\",index=\"1\"} 6\n"
            "bpfmap_m_dir_pkts{key_cpu=\"1\",key_index=\"2\",pad=\"[7 0 0 0]\","
            "index=\"0\"} 5\n"
            "bpfmap_m_dir_pkts{key_cpu=\"1\",key_index=\"2\",pad=\"[7 0 0 0]\","
            "index=\"1\"} 6\n"
            "# HELP bpfmap_m_dir_r value.dir.r of BPF map m\n"
            "# TYPE bpfmap_m_dir_r gauge\n"
            "bpfmap_m_dir_r{key_cpu=\"1\",key_index=\"2\",index=\"0\"} +Inf\n"
            "bpfmap_m_dir_r{key_cpu=\"1\",key_index=\"2\",index=\"1\"} 0.5\n"
            "bpfmap_m_dir_r{key_cpu=\"1\",key_index=\"2\",pad=\"[7 0 0 0]\","
            "index=\"0\"} +Inf\n"
            "bpfmap_m_dir_r{key_cpu=\"1\",key_index=\"2\",pad=\"[7 0 0 0]\","
            "index=\"1\"} 0.5\n"
            "# EOF\n");
}

TEST(OpenMetricsTest, MapsAreGaugesOfTheirSize) {
  MapInfo info;
  info.id = 12;
  info.type = 1;  // hash
  info.name = "flows";
  info.max_entries = 100;
  info.memlock = 4096;
  info.entries = 25;
  std::string text = Printed([&](Formatter& f) { f.PrintMapInfo(info); });
  EXPECT_EQ(text,
            "# HELP bpfmap_map_max_entries The most entries the map can hold\n"
            "# TYPE bpfmap_map_max_entries gauge\n"
            "bpfmap_map_max_entries{id=\"12\",name=\"flows\",type=\"hash\"} 100\n"
            "# HELP bpfmap_map_entries The entries the map holds, counted "
            "(show --count, list --count)\n"
            "# TYPE bpfmap_map_entries gauge\n"
            "bpfmap_map_entries{id=\"12\",name=\"flows\",type=\"hash\"} 25\n"
            "# HELP bpfmap_map_fill_ratio entries / max_entries\n"
            "# TYPE bpfmap_map_fill_ratio gauge\n"
            "bpfmap_map_fill_ratio{id=\"12\",name=\"flows\",type=\"hash\"} 0.25\n"
            "# HELP bpfmap_map_memlock_bytes The memory the kernel charges "
            "the map\n"
            "# TYPE bpfmap_map_memlock_bytes gauge\n"
            "bpfmap_map_memlock_bytes{id=\"12\",name=\"flows\",type=\"hash\"} "
            "4096\n"
            "# EOF\n");
}

}  // namespace
}  // namespace bpfmap
