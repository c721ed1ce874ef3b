// Inspecting live maps as people ask about them: which entries match
// (--where), which are greatest (--sort, --limit), how many (--count), on
// maps written as real tools write them (tests/testdata/flows.bpf.c). Every
// answer is checked against the same question asked of the entries the test
// wrote, computed here independently of bpfmap.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kFixture = "tests/testdata/flows.bpf.c";

// One flow as the test wrote it.
struct Flow {
  uint8_t saddr[4];
  uint8_t daddr[4];
  uint16_t sport;
  uint16_t dport;
  uint8_t proto;
  uint64_t packets;
  uint64_t bytes;
  int state;  // enum flow_state
  std::string comm;

  std::string Saddr() const {
    return fmt(saddr);
  }
  std::string Id() const {  // what identifies it in output
    return Saddr() + ":" + std::to_string(sport) + ">" + fmt(daddr) + ":" +
           std::to_string(dport) + "/" + std::to_string(proto);
  }
  static std::string fmt(const uint8_t* a) {
    return std::to_string(a[0]) + "." + std::to_string(a[1]) + "." +
           std::to_string(a[2]) + "." + std::to_string(a[3]);
  }
};

const char* const kStates[] = {"FLOW_NEW", "FLOW_ESTABLISHED", "FLOW_CLOSING",
                               "FLOW_CLOSED"};
const char* const kComms[] = {"curl", "wget", "nginx", "sshd", "curl-worker",
                              "dnsmasq"};
const uint16_t kPorts[] = {22, 53, 80, 443, 8080};

// A deterministic spread of flows: addresses in 10/8 and 192.168/16, the
// usual ports, counters across six orders of magnitude.
std::vector<Flow> MakeFlows(size_t count) {
  std::vector<Flow> flows;
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  auto next = [&seed]() {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  for (size_t i = 0; i < count; ++i) {
    Flow flow{};
    bool ten = next() % 3 != 0;
    flow.saddr[0] = ten ? 10 : 192;
    flow.saddr[1] = ten ? static_cast<uint8_t>(next() % 4) : 168;
    flow.saddr[2] = static_cast<uint8_t>(i >> 8);
    flow.saddr[3] = static_cast<uint8_t>(i);
    flow.daddr[0] = 172;
    flow.daddr[1] = 16;
    flow.daddr[2] = 0;
    flow.daddr[3] = static_cast<uint8_t>(1 + next() % 3);
    flow.sport = static_cast<uint16_t>(32768 + next() % 28000);
    flow.dport = kPorts[next() % 5];
    flow.proto = flow.dport == 53 ? 17 : 6;
    flow.packets = next() % 1000000;
    flow.bytes = flow.packets * 64 + next() % 1000;
    flow.state = static_cast<int>(next() % 4);
    flow.comm = kComms[next() % 6];
    flows.push_back(flow);
  }
  return flows;
}

json KeyJson(const Flow& flow) {
  return {{"saddr", flow.Saddr()},   {"daddr", Flow::fmt(flow.daddr)},
          {"sport", flow.sport},     {"dport", flow.dport},
          {"proto", flow.proto}};
}

std::string IdOf(const json& key) {
  return key["saddr"].get<std::string>() + ":" +
         std::to_string(key["sport"].get<int>()) + ">" +
         key["daddr"].get<std::string>() + ":" +
         std::to_string(key["dport"].get<int>()) + "/" +
         std::to_string(key["proto"].get<int>());
}

// An Ethernet frame of `flow`, as a NIC hands it over: IPv4, then the
// first 8 bytes of its TCP or UDP header (ports in network byte order).
std::vector<uint8_t> FrameOf(const Flow& flow) {
  std::vector<uint8_t> frame = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0};
  std::vector<uint8_t> ip = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, flow.proto, 0, 0};
  frame.insert(frame.end(), ip.begin(), ip.end());
  frame.insert(frame.end(), flow.saddr, flow.saddr + 4);
  frame.insert(frame.end(), flow.daddr, flow.daddr + 4);
  frame.push_back(static_cast<uint8_t>(flow.sport >> 8));
  frame.push_back(static_cast<uint8_t>(flow.sport));
  frame.push_back(static_cast<uint8_t>(flow.dport >> 8));
  frame.push_back(static_cast<uint8_t>(flow.dport));
  frame.insert(frame.end(), {0, 8, 0, 0});
  return frame;
}

class InspectionTest : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    if (IsSkipped()) return;
    LoadFixture(kFixture);
    flows_ = MakeFlows(20000);
    WriteFlows(Pin("flows"), flows_);
  }

  // Writes `flows` into the pinned map as the program's structs, in one
  // BPF_MAP_UPDATE_BATCH: what bpfmap reads back is checked against bytes
  // it did not write.
  static void WriteFlows(const std::string& pin,
                         const std::vector<Flow>& flows) {
    struct Key {  // struct flow_key
      uint8_t saddr[4];
      uint8_t daddr[4];
      uint16_t sport;  // __be16
      uint16_t dport;
      uint8_t proto;
      uint8_t pad[3];
    };
    struct Value {  // struct flow_totals
      uint64_t packets;
      uint64_t bytes;
      int32_t state;
      char comm[16];
    };
    static_assert(sizeof(Key) == 16 && sizeof(Value) == 40);
    int fd = bpf_obj_get(pin.c_str());
    ASSERT_GE(fd, 0) << pin << ": " << std::strerror(errno);
    struct bpf_map_info info {};
    uint32_t length = sizeof(info);
    ASSERT_EQ(bpf_obj_get_info_by_fd(fd, &info, &length), 0);
    ASSERT_EQ(info.key_size, sizeof(Key));
    ASSERT_EQ(info.value_size, sizeof(Value));
    std::vector<Key> keys(flows.size());
    std::vector<Value> values(flows.size());
    for (size_t i = 0; i < flows.size(); ++i) {
      const Flow& flow = flows[i];
      std::memcpy(keys[i].saddr, flow.saddr, 4);
      std::memcpy(keys[i].daddr, flow.daddr, 4);
      keys[i].sport = htons(flow.sport);
      keys[i].dport = htons(flow.dport);
      keys[i].proto = flow.proto;
      values[i].packets = flow.packets;
      values[i].bytes = flow.bytes;
      values[i].state = flow.state;
      std::strncpy(values[i].comm, flow.comm.c_str(), sizeof(values[i].comm));
    }
    uint32_t count = static_cast<uint32_t>(flows.size());
    int err = bpf_map_update_batch(fd, keys.data(), values.data(), &count,
                                   nullptr);
    close(fd);
    ASSERT_EQ(err, 0) << "BPF_MAP_UPDATE_BATCH: " << std::strerror(-err);
    ASSERT_EQ(count, flows.size());
  }

  // The flows `dump --where` prints, by id.
  std::set<std::string> Matching(const std::string& where) {
    RunResult run = Bpfmap({"-o", "ndjson", "dump", Pin("flows"), "--where",
                            where});
    EXPECT_EQ(run.exit_code, 0) << where << ": " << run.err;
    std::set<std::string> ids;
    for (const std::string& line : Lines(run.out)) {
      ids.insert(IdOf(json::parse(line)["key"]));
    }
    return ids;
  }

  std::set<std::string> Expected(const std::function<bool(const Flow&)>& keep) {
    std::set<std::string> ids;
    for (const Flow& flow : flows_) {
      if (keep(flow)) ids.insert(flow.Id());
    }
    return ids;
  }

  // Runs the fixture's XDP program `repeat` times over `flow`'s frame, as
  // that many packets of the flow would: it counts them in the map.
  void CountPackets(const Flow& flow, uint32_t repeat) {
    int prog = bpf_obj_get(Pin("progs/count_flow").c_str());
    ASSERT_GE(prog, 0) << "open the pinned program: " << std::strerror(errno);
    std::vector<uint8_t> frame = FrameOf(flow);
    LIBBPF_OPTS(bpf_test_run_opts, opts);
    opts.data_in = frame.data();
    opts.data_size_in = static_cast<__u32>(frame.size());
    opts.repeat = repeat;
    int err = bpf_prog_test_run_opts(prog, &opts);
    close(prog);
    ASSERT_EQ(err, 0) << "BPF_PROG_TEST_RUN: " << std::strerror(-err);
    EXPECT_EQ(opts.retval, 2u);  // XDP_PASS
  }

  // A snapshot of `map` in `format`, in a file beside the bpffs.
  std::string Snapshot(const std::string& map, const std::string& name,
                       const std::string& format = "ndjson") {
    std::string file = bpffs() + "." + name;
    std::ofstream(file) << BpfmapOk({"-o", format, "dump", Pin(map)});
    return file;
  }

  std::vector<Flow> flows_;
};

TEST_F(InspectionTest, WhereMatchesWhatTheTestComputes) {
  struct Case {
    std::string where;
    std::function<bool(const Flow&)> keep;
  };
  std::vector<Case> cases = {
      {"key.dport == 443 and value.packets > 500000",
       [](const Flow& f) { return f.dport == 443 && f.packets > 500000; }},
      {"saddr in 10.2.0.0/15 and not (state == FLOW_CLOSED)",
       [](const Flow& f) {
         return f.saddr[0] == 10 && (f.saddr[1] & 0xfe) == 2 && f.state != 3;
       }},
      {"comm ~ \"^(curl|wget)$\" || dport in (22, 53)",
       [](const Flow& f) {
         return f.comm == "curl" || f.comm == "wget" || f.dport == 22 ||
                f.dport == 53;
       }},
      {"comm ~ curl and proto == 6 and sport >= 60000",
       [](const Flow& f) {
         return f.comm.find("curl") != std::string::npos && f.proto == 6 &&
                f.sport >= 60000;
       }},
      {"daddr == 172.16.0.2 and packets < 2000",
       [](const Flow& f) {
         return f.daddr[3] == 2 && f.packets < 2000;
       }},
      // Bytes of the key as the map holds them: saddr's first byte.
      {"key[0:1] == hex c0 and key[10:12] == hex 01bb",
       [](const Flow& f) { return f.saddr[0] == 192 && f.dport == 443; }},
  };
  for (const Case& c : cases) {
    std::set<std::string> want = Expected(c.keep);
    EXPECT_FALSE(want.empty()) << c.where;
    EXPECT_EQ(Matching(c.where), want) << c.where;
    json count = BpfmapJson({"-j", "dump", Pin("flows"), "--count", "--where",
                             c.where});
    EXPECT_EQ(count, json({{"count", want.size()}})) << c.where;
    EXPECT_EQ(BpfmapOk({"dump", Pin("flows"), "--count", "--where", c.where}),
              std::to_string(want.size()) + "\n");
  }
  EXPECT_EQ(BpfmapOk({"dump", Pin("flows"), "--count"}), "20000\n");
}

TEST_F(InspectionTest, SortAndLimitGiveTheGreatest) {
  std::vector<uint64_t> https;
  for (const Flow& flow : flows_) {
    if (flow.dport == 443) https.push_back(flow.packets);
  }
  std::sort(https.rbegin(), https.rend());
  json top = BpfmapJson({"-j", "dump", Pin("flows"), "--where", "dport == 443",
                         "--sort", "value.packets", "--limit", "25"});
  ASSERT_EQ(top.size(), 25u);
  for (size_t i = 0; i < 25; ++i) {
    EXPECT_EQ(top[i]["value"]["packets"].get<uint64_t>(), https[i]) << i;
    EXPECT_EQ(top[i]["key"]["dport"], 443);
  }
  // Smallest first, every entry.
  json all = BpfmapJson({"-j", "dump", Pin("flows"), "--sort", "bytes",
                         "--asc"});
  ASSERT_EQ(all.size(), flows_.size());
  for (size_t i = 1; i < all.size(); ++i) {
    ASSERT_LE(all[i - 1]["value"]["bytes"].get<uint64_t>(),
              all[i]["value"]["bytes"].get<uint64_t>());
  }
  // Addresses sort as addresses (192.168/16 after 10/8), text as text.
  json by_addr = BpfmapJson({"-j", "dump", Pin("flows"), "--sort", "saddr",
                             "--limit", "1"});
  EXPECT_THAT(by_addr[0]["key"]["saddr"].get<std::string>(),
              ::testing::StartsWith("192.168."));
  json by_comm = BpfmapJson({"-j", "dump", Pin("flows"), "--sort", "comm",
                             "--asc", "--limit", "1"});
  EXPECT_EQ(by_comm[0]["value"]["comm"], "curl");
  // --limit without --sort stops early: the first N read.
  EXPECT_EQ(Lines(BpfmapOk({"dump", Pin("flows"), "--limit", "7"})).size(),
            7u);
}

TEST_F(InspectionTest, PerCpuValuesAreComparedSummed) {
  // Interface i counts 60 packets on the first CPU and 50 on each other:
  // --where and --sort read the sum, as a person means "packets of eth0".
  int cpus = libbpf_num_possible_cpus();
  ASSERT_GT(cpus, 0);
  for (int ifindex = 1; ifindex <= 3; ++ifindex) {
    std::vector<std::string> args = {"put", Pin("if_stats"), "key",
                                     std::to_string(ifindex), "values"};
    for (int cpu = 0; cpu < cpus; ++cpu) {
      uint64_t packets = (cpu == 0 ? 60 : 50) * ifindex;
      args.push_back(json({{"rx_packets", packets}}).dump());
    }
    BpfmapOk(args);
  }
  uint64_t one = 60 + 50 * (cpus - 1);  // interface 1's sum
  json over = BpfmapJson({"-j", "dump", Pin("if_stats"), "--where",
                          "rx_packets > " + std::to_string(one)});
  EXPECT_EQ(over.size(), 2u);
  json top = BpfmapJson({"-j", "--cpus", "sum", "dump", Pin("if_stats"),
                         "--sort", "rx_packets", "--limit", "1"});
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0]["key"], 3);
  EXPECT_EQ(top[0]["value"]["rx_packets"], 3 * one);
  // Unfolded output keeps each CPU's value.
  json each = BpfmapJson({"-j", "dump", Pin("if_stats"), "--where",
                          "key == 2"});
  ASSERT_EQ(each.size(), 1u);
  EXPECT_EQ(each[0]["values"].size(), static_cast<size_t>(cpus));
}

TEST_F(InspectionTest, FillLevelCountsWhatWasWritten) {
  json flows = BpfmapJson({"-j", "show", Pin("flows"), "--count"});
  EXPECT_EQ(flows["entries"], 20000);
  EXPECT_EQ(flows["max_entries"], 65536);
  EXPECT_NEAR(flows["percent_full"].get<double>(), 30.52, 0.005);
  EXPECT_THAT(BpfmapOk({"show", Pin("flows"), "--count"}),
              HasSubstr("  entries 20000 (30.5% full)"));
  // An LRU map fills to its max and stays there; the count says so.
  std::string file = bpffs() + ".recent.ndjson";
  {
    std::ofstream out(file);
    for (size_t i = 0; i < 300; ++i) {
      out << json{{"key", KeyJson(flows_[i])}, {"value", i}}.dump() << "\n";
    }
  }
  BpfmapOk({"put", Pin("recent"), "--file", file});
  json recent = BpfmapJson({"-j", "show", Pin("recent"), "--count"});
  EXPECT_LE(recent["entries"].get<int>(), 128);
  EXPECT_GT(recent["entries"].get<int>(), 0);
  EXPECT_EQ(recent["entries"].get<size_t>(),
            BpfmapJson({"-j", "dump", Pin("recent")}).size());
  // Every listed map is counted where it can be; a per-CPU hash by keys.
  BpfmapOk({"put", Pin("if_stats"), "key", "7", "value",
            R"({"rx_packets": 1})"});
  json listed = BpfmapJson({"-j", "list", bpffs(), "--count"});
  std::map<std::string, json> by_path;
  for (const json& map : listed) by_path[map["path"]] = map;
  EXPECT_EQ(by_path[Pin("flows")]["entries"], 20000);
  EXPECT_EQ(by_path[Pin("if_stats")]["entries"], 1);
  EXPECT_EQ(by_path[Pin("recent")]["entries"], recent["entries"]);
  std::string table = BpfmapOk({"-o", "table", "list", bpffs(), "--count"});
  EXPECT_THAT(table, HasSubstr("entries"));
  EXPECT_THAT(table, HasSubstr("30.5%"));
  // A queue cannot be counted without taking what it holds.
  BpfmapOk({"create", Pin("q"), "type", "queue", "key", "0", "value", "4",
            "entries", "4"});
  RunResult queue = Bpfmap({"show", Pin("q"), "--count"});
  EXPECT_EQ(queue.exit_code, 4) << queue.err;
  EXPECT_EQ(Lines(queue.err).size(), 1u) << queue.err;
  RunResult queue_json = Bpfmap({"-j", "show", Pin("q"), "--count"});
  EXPECT_TRUE(json::parse(queue_json.out).contains("error"));
  for (const json& map : BpfmapJson({"-j", "list", bpffs(), "--count"})) {
    if (map["path"] == Pin("q")) EXPECT_FALSE(map.contains("entries"));
  }
  // Arrays are full.
  BpfmapOk({"create", Pin("a"), "type", "array", "key", "4", "value", "8",
            "entries", "10"});
  EXPECT_EQ(BpfmapJson({"-j", "show", Pin("a"), "--count"})["entries"], 10);
}

TEST_F(InspectionTest, DiffShowsWhatTheProgramCountedSinceTheSnapshot) {
  std::string before = Snapshot("flows", "before");
  RunResult same = Bpfmap({"diff", before, Pin("flows")});
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(same.out, "");
  EXPECT_THAT(same.err, HasSubstr("0 changed, 20000 unchanged"));
  EXPECT_EQ(BpfmapJson({"-j", "diff", before, Pin("flows")}), json::array());
  // Packets of two flows, counted by the program; one flow deleted; one
  // flow written by bpftool, byte for byte.
  CountPackets(flows_[0], 5);
  CountPackets(flows_[1], 3);
  size_t frame = FrameOf(flows_[0]).size();
  BpfmapOk({"del", Pin("flows"), "key", KeyJson(flows_[2]).dump()});
  ASSERT_EQ(Bpftool({"map", "update", "pinned", Pin("flows"), "key", "hex",
                     "0a", "09", "09", "09", "ac", "10", "00", "09", "04",
                     "d2", "00", "35", "11", "00", "00", "00", "value", "hex",
                     "07", "00", "00", "00", "00", "00", "00", "00",
                     "00", "00", "00", "00", "00", "00", "00", "00",
                     "01", "00", "00", "00", "64", "69", "67", "00",
                     "00", "00", "00", "00", "00", "00", "00", "00",
                     "00", "00", "00", "00", "00", "00", "00", "00"})
                .exit_code,
            0);
  RunResult diff = Bpfmap({"-j", "diff", before, Pin("flows")});
  EXPECT_EQ(diff.exit_code, 1) << diff.err;
  EXPECT_THAT(diff.err, HasSubstr("differ: 1 added, 1 removed, 2 changed, "
                                  "19997 unchanged"));
  std::map<std::string, json> by_change;
  for (const json& difference : json::parse(diff.out)) {
    by_change[difference["change"].get<std::string>() + " " +
              IdOf(difference["key"])] = difference;
  }
  ASSERT_EQ(by_change.size(), 4u) << diff.out;
  json first = by_change["changed " + flows_[0].Id()];
  EXPECT_EQ(first["delta"], json({{"packets", 5}, {"bytes", 5 * frame}}));
  EXPECT_EQ(first["new"]["packets"], flows_[0].packets + 5);
  EXPECT_EQ(first["old"]["packets"], flows_[0].packets);
  EXPECT_EQ(by_change["changed " + flows_[1].Id()]["delta"]["packets"], 3);
  EXPECT_EQ(by_change["removed " + flows_[2].Id()]["value"]["comm"],
            flows_[2].comm);
  json added = by_change["added 10.9.9.9:1234>172.16.0.9:53/17"];
  EXPECT_EQ(added["value"], json({{"packets", 7},
                                  {"bytes", 0},
                                  {"state", "FLOW_ESTABLISHED"},
                                  {"comm", "dig"}}));
  // Plain: a line per entry, marked; the reverse diff turns them around.
  std::vector<std::string> lines =
      Lines(Bpfmap({"diff", before, Pin("flows")}).out);
  ASSERT_EQ(lines.size(), 4u);
  std::map<char, int> marks;
  std::string first_key = "\"saddr\":\"" + flows_[0].Saddr() +
                          "\",\"daddr\":\"" + Flow::fmt(flows_[0].daddr) +
                          "\",\"sport\":" + std::to_string(flows_[0].sport);
  bool seen = false;
  for (const std::string& line : lines) {
    ++marks[line[0]];
    if (line.find(first_key) == std::string::npos) continue;
    seen = true;
    EXPECT_THAT(line, ::testing::StartsWith("~ key: "));
    EXPECT_THAT(line, HasSubstr("  packets: " +
                                std::to_string(flows_[0].packets) + " -> " +
                                std::to_string(flows_[0].packets + 5) +
                                " (+5)"));
  }
  EXPECT_TRUE(seen) << first_key;
  EXPECT_EQ(marks, (std::map<char, int>{{'+', 1}, {'-', 1}, {'~', 2}}));
  // Removed entries come last, after what the new side added and changed.
  EXPECT_EQ(lines.back()[0], '-');
  std::string after = Snapshot("flows", "after");
  json reverse = json::parse(Bpfmap({"-j", "diff", after, before}).out);
  std::map<std::string, int> kinds;
  for (const json& difference : reverse) {
    ++kinds[difference["change"].get<std::string>()];
    if (difference["change"] == "changed" &&
        IdOf(difference["key"]) == flows_[0].Id()) {
      EXPECT_EQ(difference["delta"]["packets"], -5);
    }
  }
  EXPECT_EQ(kinds, (std::map<std::string, int>{
                       {"added", 1}, {"changed", 2}, {"removed", 1}}));
  // The table: a row per changed field.
  std::string table = BpfmapOk({"-o", "table", "diff", after, after});
  EXPECT_EQ(table, "");
}

TEST_F(InspectionTest, DiffOfTwoMapsAndOfSnapshotsInEitherForm) {
  // The exporter's swap: the previous interval's flows in their own map.
  RunResult copied = RunProgram(
      "/bin/sh", {"-c", BpfmapPath() + " -o ndjson dump " + Pin("flows") +
                            " | " + BpfmapPath() + " put " + Pin("flows_prev") +
                            " --file -"});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  RunResult same = Bpfmap({"diff", Pin("flows_prev"), "pinned", Pin("flows")});
  EXPECT_EQ(same.exit_code, 0) << same.err;
  CountPackets(flows_[7], 2);
  json one = json::parse(
      Bpfmap({"-j", "diff", Pin("flows_prev"), Pin("flows")}).out);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0]["delta"]["packets"], 2);
  // A JSON array snapshot and an NDJSON one of the same map are equal; a
  // snapshot through stdin too.
  std::string array = Snapshot("flows", "array.json", "json");
  std::string lines = Snapshot("flows", "lines");
  EXPECT_EQ(Bpfmap({"diff", array, lines}).exit_code, 0);
  RunResult piped = RunProgram(
      "/bin/sh", {"-c", BpfmapPath() + " diff - " + Pin("flows") + " < " +
                            array});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  // Per-CPU values compare per CPU.
  BpfmapOk({"put", Pin("if_stats"), "key", "1", "value",
            R"({"rx_packets": 10})"});
  std::string cpus = Snapshot("if_stats", "cpus");
  BpfmapOk({"put", Pin("if_stats"), "key", "1", "value",
            R"({"rx_packets": 12})"});
  json per_cpu =
      json::parse(Bpfmap({"-j", "diff", cpus, Pin("if_stats")}).out);
  ASSERT_EQ(per_cpu.size(), 1u);
  EXPECT_EQ(per_cpu[0]["delta"]["[0].value.rx_packets"], 2);
}

TEST_F(InspectionTest, DiffErrorsAreOneLineAndTheRightStatus) {
  std::string junk = bpffs() + ".junk";
  std::ofstream(junk) << R"({"key": 1, "value": 2})" << "\n"
                      << "not json\n";
  std::string twice = bpffs() + ".twice";
  std::ofstream(twice) << R"({"key": 1, "value": 2})" << "\n"
                       << R"({"key": 1, "value": 3})" << "\n";
  std::string shapeless = bpffs() + ".shapeless";
  std::ofstream(shapeless) << R"({"k": 1})" << "\n";
  struct Case {
    std::vector<std::string> args;
    int status;
    std::string error;
  };
  std::vector<Case> cases = {
      {{"diff"}, 2, "bpfmap: diff: give two maps or snapshots: diff A B"},
      {{"diff", Pin("flows")}, 2, "bpfmap: diff: pinned " + Pin("flows") +
                                      " against what?"},
      {{"diff", junk, Pin("flows")}, 2, "bpfmap: diff: " + junk + ":2: "},
      {{"diff", twice, Pin("flows")}, 2,
       "bpfmap: diff: " + twice + ":2: key 1 is there twice"},
      {{"diff", shapeless, Pin("flows")}, 2,
       "bpfmap: diff: " + shapeless + ":1: not an entry as dump prints one"},
      {{"diff", "-", "-"}, 2, "bpfmap: diff: only one side can be stdin (-)"},
      {{"diff", Pin("flows"), Pin("flows"), "x"}, 2,
       "bpfmap: diff: 'x' after the second side"},
      {{"diff", bpffs() + ".nothing", Pin("flows")}, 3,
       "bpfmap: diff: " + bpffs() + ".nothing: No such file or directory"},
      {{"-o", "bpftool", "diff", Pin("flows"), Pin("flows")}, 2,
       "bpfmap: diff: bpftool has no diff"},
  };
  // Sides that cannot match are said: per-CPU values on one side only,
  // and no key in common.
  BpfmapOk({"put", Pin("if_stats"), "key", "2", "value",
            R"({"rx_packets": 3})"});
  std::string cpus = Snapshot("if_stats", "cpus");
  RunResult folded =
      Bpfmap({"--cpus", "sum", "diff", cpus, Pin("if_stats")});
  EXPECT_EQ(folded.exit_code, 1);
  EXPECT_THAT(folded.err, HasSubstr("bpfmap: warning: 1 entry has per-CPU "
                                    "values on one side only"));
  RunResult strangers = Bpfmap({"diff", cpus, Pin("flows")});
  EXPECT_EQ(strangers.exit_code, 1);
  EXPECT_THAT(strangers.err, HasSubstr("bpfmap: warning: no key is on both "
                                       "sides"));
  for (const Case& c : cases) {
    RunResult run = Bpfmap(c.args);
    EXPECT_EQ(run.exit_code, c.status) << c.error << "\n" << run.err;
    EXPECT_THAT(run.err, ::testing::StartsWith(c.error));
    EXPECT_EQ(Lines(run.err).size(), 1u) << run.err;
    std::vector<std::string> json_args = c.args;
    json_args.insert(json_args.begin(), "-j");
    RunResult as_json = Bpfmap(json_args);
    EXPECT_TRUE(json::parse(as_json.out).contains("error")) << as_json.out;
  }
}

// promtool's verdict on `text` as a Prometheus exposition.
RunResult Promtool(const std::string& text, const std::string& file) {
  std::ofstream(file) << text;
  return RunProgram("/bin/sh", {"-c", "promtool check metrics < " + file});
}

TEST_F(InspectionTest, OpenMetricsPassPromtoolAndCarryTheValues) {
  ASSERT_EQ(access("/usr/bin/promtool", X_OK), 0)
      << "promtool is not installed (tools/setup installs prometheus)";
  std::string text = BpfmapOk({"-o", "openmetrics", "dump", Pin("flows")});
  RunResult checked = Promtool(text, bpffs() + ".prom");
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
  // One gauge family per numeric leaf (comm is text, no gauge), a sample
  // per flow, labelled by the key as it reads.
  std::map<std::string, size_t> samples;
  for (const std::string& line : Lines(text)) {
    if (line.empty() || line[0] == '#') continue;
    ++samples[line.substr(0, line.find('{'))];
  }
  EXPECT_EQ(samples, (std::map<std::string, size_t>{
                         {"bpfmap_flows_packets", 20000},
                         {"bpfmap_flows_bytes", 20000},
                         {"bpfmap_flows_state", 20000}}));
  const Flow& flow = flows_[3];
  std::string sample = "bpfmap_flows_packets{saddr=\"" + flow.Saddr() +
                       "\",daddr=\"" + Flow::fmt(flow.daddr) +
                       "\",sport=\"" + std::to_string(flow.sport) +
                       "\",dport=\"" + std::to_string(flow.dport) +
                       "\",proto=\"" + std::to_string(flow.proto) +
                       "\"} " + std::to_string(flow.packets);
  EXPECT_THAT(text, HasSubstr(sample + "\n"));
  EXPECT_EQ(text.substr(text.size() - 6), "# EOF\n");
  // --where chooses the samples too.
  std::string https = BpfmapOk({"-o", "openmetrics", "dump", Pin("flows"),
                                "--where", "dport == 443 and packets > 900000"});
  size_t want = Expected([](const Flow& f) {
                  return f.dport == 443 && f.packets > 900000;
                }).size();
  EXPECT_EQ(static_cast<size_t>(std::count(https.begin(), https.end(), '\n')),
            3 * (want + 2) + 1);
  // Per-CPU counters: summed into one sample, or one per CPU with
  // --cpus each.
  int cpus = libbpf_num_possible_cpus();
  BpfmapOk({"put", Pin("if_stats"), "key", "4", "value",
            R"({"rx_packets": 10, "rx_bytes": 600, "drops": 1})"});
  std::string summed =
      BpfmapOk({"-o", "openmetrics", "dump", Pin("if_stats")});
  EXPECT_THAT(summed, HasSubstr("bpfmap_if_stats_rx_packets{key=\"4\"} " +
                                std::to_string(10 * cpus) + "\n"));
  std::string each = BpfmapOk(
      {"-o", "openmetrics", "--cpus", "each", "dump", Pin("if_stats")});
  EXPECT_THAT(each,
              HasSubstr("bpfmap_if_stats_drops{key=\"4\",cpu=\"0\"} 1\n"));
  checked = Promtool(each, bpffs() + ".each.prom");
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
  // Fill levels for a fleet's dashboards.
  std::string maps = BpfmapOk({"-o", "openmetrics", "list", bpffs(), "--count"});
  checked = Promtool(maps, bpffs() + ".maps.prom");
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
  EXPECT_THAT(maps, HasSubstr("bpfmap_map_entries{id=\""));
  EXPECT_THAT(maps, HasSubstr("path=\"" + Pin("flows") + "\"} 20000\n"));
  // Commands without metrics say so.
  RunResult events = Bpfmap({"-o", "openmetrics", "diff", Pin("flows"),
                             Pin("flows")});
  EXPECT_EQ(events.exit_code, 2);
  EXPECT_EQ(events.out, "");
  EXPECT_THAT(events.err, HasSubstr("-o openmetrics: diff has no metrics"));
}

// Runs `count_packets` every `period` until stopped: a flow whose packets
// arrive at a known pace.
// It also says the pace it kept: on a loaded machine the thread may run
// late, and the rates watch shows are compared with the pace there was.
class PacketPacer {
 public:
  PacketPacer(std::function<void()> count_packets,
              std::chrono::milliseconds period, int per_call)
      : per_call_(per_call),
        start_(std::chrono::steady_clock::now()),
        thread_([this, count_packets, period] {
          auto next = std::chrono::steady_clock::now();
          while (!stop_) {
            count_packets();
            calls_ += 1;
            next += period;
            std::this_thread::sleep_until(next);
          }
        }) {}
  ~PacketPacer() {
    stop_ = true;
    thread_.join();
  }
  // Packets per second since the start.
  double Pace() const {
    double seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start_)
                         .count();
    return calls_ * per_call_ / seconds;
  }

 private:
  int per_call_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<bool> stop_{false};
  std::atomic<int> calls_{0};
  std::thread thread_;
};

TEST_F(InspectionTest, WatchInAPipePrintsRatesAtThePaceCounted) {
  // 20 packets every 50 ms: 400 packets a second.
  const Flow& hot = flows_[0];
  std::string where = "saddr == " + hot.Saddr() +
                      " and sport == " + std::to_string(hot.sport);
  RunResult run;
  double pace;
  {
    PacketPacer pacer([&] { CountPackets(hot, 20); },
                      std::chrono::milliseconds(50), 20);
    run = Bpfmap({"watch", Pin("flows"), "-i", "0.5", "--count", "5",
                  "--where", where});
    pace = pacer.Pace();
  }
  EXPECT_GT(pace, 100);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 5u) << run.out;  // one entry, five reads
  double last_t = 0;
  uint64_t last_packets = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    json tick = json::parse(lines[i]);
    EXPECT_EQ(IdOf(tick["key"]), hot.Id());
    uint64_t packets = tick["value"]["packets"].get<uint64_t>();
    double t = tick["t"].get<double>();
    if (i == 0) {
      EXPECT_EQ(tick["delta"], json::object());
      EXPECT_EQ(tick["rate"], json::object());
    } else {
      EXPECT_EQ(tick["delta"]["packets"].get<uint64_t>(),
                packets - last_packets);
      EXPECT_NEAR(t - last_t, 0.5, 0.2);
      double rate = tick["rate"]["packets"].get<double>();
      EXPECT_NEAR(rate, pace, pace * 0.35) << lines[i];
      EXPECT_NEAR(tick["rate"]["bytes"].get<double>(),
                  rate * static_cast<double>(FrameOf(hot).size()),
                  rate * static_cast<double>(FrameOf(hot).size()) * 0.01);
    }
    last_t = t;
    last_packets = packets;
  }
}

TEST_F(InspectionTest, WatchShowsACounterThatWentDownAsAReset) {
  const Flow& flow = flows_[1];
  std::string where = "saddr == " + flow.Saddr() +
                      " and sport == " + std::to_string(flow.sport);
  json key = KeyJson(flow);
  std::thread reset([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    BpfmapOk({"put", Pin("flows"), "key", key.dump(), "value",
              R"({"packets": 1, "bytes": 64, "state": "FLOW_NEW"})"});
  });
  RunResult run = Bpfmap({"-o", "ndjson", "watch", Pin("flows"), "-i", "0.8",
                          "--count", "2", "--where", where});
  reset.join();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 2u) << run.out;
  json second = json::parse(lines[1]);
  EXPECT_EQ(second["value"]["packets"], 1);
  EXPECT_TRUE(second["delta"]["packets"].is_null()) << lines[1];
  EXPECT_TRUE(second["rate"]["packets"].is_null()) << lines[1];
  EXPECT_EQ(second["reset"], json({"packets", "bytes"}));
  // An enum is no counter: a state that went down moved, and has no rate.
  EXPECT_FALSE(second["delta"].contains("state")) << lines[1];
}

TEST_F(InspectionTest, WatchWarnsWhenAHashMapIsNearlyFull) {
  std::string file = bpffs() + ".full.ndjson";
  {
    std::ofstream out(file);
    for (size_t i = 0; i < 120; ++i) {
      out << json{{"key", KeyJson(flows_[i])}, {"value", i}}.dump() << "\n";
    }
  }
  BpfmapOk({"put", Pin("recent"), "--file", file});
  RunResult run = Bpfmap({"watch", Pin("recent"), "-i", "0.1", "--count",
                          "3", "--top", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Lines(run.out).size(), 3u);
  // Said once, not every read.
  EXPECT_EQ(Lines(run.err).size(), 1u) << run.err;
  EXPECT_THAT(run.err, HasSubstr("is 93.8% full (120 of 128): the least "
                                 "recently used entries are being evicted"));
}

// tmux on a private socket: a terminal for watch, driven by keys.
class Tmux {
 public:
  explicit Tmux(const std::string& command)
      : socket_("bpfmap-test-" + std::to_string(getpid())) {
    RunProgram("/usr/bin/tmux", {"-L", socket_, "kill-server"});
    RunResult started = RunProgram(
        "/usr/bin/tmux",
        {"-L", socket_, "new-session", "-d", "-x", "150", "-y", "30",
         "sh", "-c",
         // The shell ignores Ctrl-C (bpfmap sets its own handler), so it
         // lives on to say how bpfmap ended.
         "trap '' INT; " + command + "; echo exit=$?; sleep 30"});
    EXPECT_EQ(started.exit_code, 0) << started.err;
  }
  ~Tmux() { RunProgram("/usr/bin/tmux", {"-L", socket_, "kill-server"}); }
  std::string Screen() {
    return RunProgram("/usr/bin/tmux", {"-L", socket_, "capture-pane", "-p"})
        .out;
  }
  std::string Ask(const std::string& format) {
    return RunProgram("/usr/bin/tmux",
                      {"-L", socket_, "display-message", "-p", format})
        .out;
  }
  void Keys(const std::string& keys) {
    RunProgram("/usr/bin/tmux", {"-L", socket_, "send-keys", keys});
  }
  // Waits up to `seconds` for the screen to hold `text`: the screen then.
  std::string WaitFor(const std::string& text, double seconds = 5) {
    auto end = std::chrono::steady_clock::now() +
               std::chrono::milliseconds(static_cast<int>(seconds * 1000));
    std::string screen;
    while (std::chrono::steady_clock::now() < end) {
      screen = Screen();
      if (screen.find(text) != std::string::npos) return screen;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return screen;
  }

 private:
  std::string socket_;
};

TEST_F(InspectionTest, WatchOnATerminalRedrawsSortsPausesAndRestores) {
  ASSERT_EQ(access("/usr/bin/tmux", X_OK), 0)
      << "tmux is not installed (tools/setup installs it)";
  const Flow& hot = flows_[5];
  PacketPacer pacer([&] { CountPackets(hot, 10); },
                    std::chrono::milliseconds(20), 10);  // 500 a second
  Tmux tmux(BpfmapPath() + " watch " + Pin("flows") + " -i 0.5");
  json info = BpfmapJson({"-j", "show", Pin("flows")});
  std::string label = "map " + std::to_string(info["id"].get<int>()) +
                      " (flows) hash  20000/65536 entries (30.5%)";
  std::string screen = tmux.WaitFor("packets/s");
  EXPECT_THAT(screen, HasSubstr(label)) << screen;
  EXPECT_THAT(screen, HasSubstr("every 0.5s")) << screen;
  EXPECT_THAT(screen, HasSubstr("sorted by rate(packets) (desc)")) << screen;
  EXPECT_EQ(tmux.Ask("#{alternate_on}"), "1\n");
  // Once rates are known the hot flow leads, at about its pace.
  std::string top, cell;
  for (int tries = 0; tries < 50 && cell.empty(); ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::vector<std::string> lines = Lines(tmux.Screen());
    size_t header = 0;
    while (header < lines.size() &&
           lines[header].find("packets/s") == std::string::npos) {
      ++header;
    }
    if (header + 1 >= lines.size()) continue;
    top = lines[header + 1];
    // The packets/s cell ends where its heading does (numbers align
    // right).
    size_t end = 0;  // in characters (the heading has a two-byte Δ)
    std::string heading = lines[header].substr(
        0, lines[header].find("packets/s") + 9);
    for (unsigned char c : heading) end += (c & 0xc0) != 0x80;
    std::string left = top.substr(0, std::min(end, top.size()));
    if (left.size() < end || left.back() == ' ') continue;  // no rate yet
    cell = left.substr(left.find_last_of(' ') + 1);
  }
  ASSERT_FALSE(cell.empty()) << tmux.Screen();
  EXPECT_THAT(top, ::testing::StartsWith(hot.Saddr() + " ")) << top;
  double rate = std::stod(cell);
  if (cell.back() == 'k') rate *= 1000;
  EXPECT_NEAR(rate, pacer.Pace(), pacer.Pace() * 0.4) << top;
  // s: the next column; p: paused; q: the terminal as it was.
  tmux.Keys("s");
  screen = tmux.WaitFor("sorted by rate(bytes)");
  EXPECT_THAT(screen, HasSubstr("sorted by rate(bytes)")) << screen;
  tmux.Keys("p");
  screen = tmux.WaitFor("PAUSED");
  EXPECT_THAT(screen, HasSubstr("PAUSED")) << screen;
  tmux.Keys("q");
  screen = tmux.WaitFor("exit=0");
  EXPECT_THAT(screen, HasSubstr("exit=0")) << screen;
  EXPECT_EQ(tmux.Ask("#{alternate_on}"), "0\n");
  EXPECT_THAT(screen, ::testing::Not(HasSubstr("packets/s"))) << screen;
}

TEST_F(InspectionTest, WatchEndsCleanlyOnCtrlCAndWhenTheMapGoes) {
  ASSERT_EQ(access("/usr/bin/tmux", X_OK), 0)
      << "tmux is not installed (tools/setup installs it)";
  {
    Tmux tmux(BpfmapPath() + " watch " + Pin("flows") + " -i 0.2");
    tmux.WaitFor("packets/s");
    tmux.Keys("C-c");
    std::string screen = tmux.WaitFor("exit=");
    EXPECT_THAT(screen, HasSubstr("exit=0")) << screen;
    EXPECT_EQ(tmux.Ask("#{alternate_on}"), "0\n");
  }
  {
    // --count ran out: the last frame stays on the terminal's own screen.
    Tmux tmux(BpfmapPath() + " watch " + Pin("flows") +
              " -i 0.2 --count 2 --top 3");
    std::string screen = tmux.WaitFor("exit=");
    EXPECT_THAT(screen, HasSubstr("exit=0")) << screen;
    EXPECT_THAT(screen, HasSubstr("packets/s")) << screen;
    EXPECT_EQ(tmux.Ask("#{alternate_on}"), "0\n");
  }
  // The program's maps go when their pins do (nothing else holds them).
  BpfmapOk({"create", Pin("brief"), "type", "hash", "key", "u32", "value",
            "u64", "entries", "8"});
  BpfmapOk({"put", Pin("brief"), "key", "1", "value", "5"});
  Tmux tmux(BpfmapPath() + " watch " + Pin("brief") + " -i 0.2");
  tmux.WaitFor("value/s");
  ASSERT_EQ(unlink(Pin("brief").c_str()), 0);
  std::string screen = tmux.WaitFor("exit=");
  EXPECT_THAT(screen, HasSubstr("exit=3")) << screen;
  EXPECT_THAT(screen, HasSubstr("bpfmap: watch: map ")) << screen;
  EXPECT_THAT(screen, HasSubstr("is gone")) << screen;
  EXPECT_EQ(tmux.Ask("#{alternate_on}"), "0\n");
}

TEST_F(InspectionTest, BadSelectionsAreExitTwoAndChangeNothing) {
  struct Case {
    std::vector<std::string> args;
    std::string error;
  };
  std::vector<Case> cases = {
      {{"--where", "dport = 443"},
       "bpfmap: dump: --where: column 7: = is no operator (compare with ==)"},
      {{"--where", "dport == 443 and"},
       "bpfmap: dump: --where: column 17: expected a field (key.dport, comm, "
       "key[0:4]), not the end"},
      {{"--where", "port == 1"},
       "bpfmap: dump: --where: column 1: no field port (fields: key, "
       "key.saddr, key.daddr, key.sport, key.dport, key.proto, key.pad, "
       "value, value.packets, value.bytes, value.state, value.comm)"},
      {{"--sort", "nothing"}, "bpfmap: dump: --sort: no field nothing"},
      // What a user typed stays on the error's one line.
      {{"--sort", "no\nthing"}, "bpfmap: dump: --sort: no field no\\nthing"},
      {{"--asc"}, "bpfmap: dump: --asc orders what --sort FIELD sorts; give "
                  "--sort"},
      {{"--limit", "many"}, "bpfmap: dump: --limit"},
      {{"--count", "--sort", "packets"},
       "bpfmap: dump: --count counts; --sort has nothing to order"},
      {{"--drain", "--where", "dport == 22"},
       "bpfmap: dump: --drain and --where do not go together (--drain "
       "deletes every entry it reads, printed or not)"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"dump", Pin("flows")};
    args.insert(args.end(), c.args.begin(), c.args.end());
    RunResult run = Bpfmap(args);
    EXPECT_EQ(run.exit_code, 2) << c.error;
    EXPECT_THAT(run.err, ::testing::StartsWith(c.error));
    EXPECT_EQ(Lines(run.err).size(), 1u) << run.err;
    EXPECT_EQ(run.out, "");
    args.insert(args.begin(), "-j");
    run = Bpfmap(args);
    EXPECT_EQ(run.exit_code, 2);
    json error = json::parse(run.out);  // one document
    // JSON keeps a newline as JSON does; stderr writes it as \n.
    std::string message = error["error"].get<std::string>();
    for (size_t at; (at = message.find('\n')) != std::string::npos;) {
      message.replace(at, 1, "\\n");
    }
    EXPECT_THAT(message,
                HasSubstr(c.error.substr(std::string("bpfmap: ").size())));
  }
  EXPECT_EQ(BpfmapOk({"dump", Pin("flows"), "--count"}), "20000\n");
}

}  // namespace
}  // namespace bpfmap::testing
