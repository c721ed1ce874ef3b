// Values read the way people think of them, on maps written as real tools
// write them (tests/testdata/conntrack.bpf.c): addresses and ports typed as
// a person types them reach the bytes a BPF program compares with what
// bpf_htons()/bpf_htonl() give, which the fixture's XDP program proves by
// finding the flow; MACs the program wrote read back as MACs; histograms
// print as bcc prints them; 128-bit integers and text with control
// characters are typed too.
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kFixture = "tests/testdata/conntrack.bpf.c";

// An Ethernet frame from `mac` carrying a TCP segment: IPv4 when the
// addresses are 4 bytes, IPv6 when 16. Built here, byte by byte, as a NIC
// would hand it over: every multi-byte field in network byte order.
std::vector<uint8_t> TcpFrame(const std::vector<uint8_t>& mac,
                              const std::vector<uint8_t>& saddr,
                              const std::vector<uint8_t>& daddr,
                              uint16_t sport, uint16_t dport) {
  std::vector<uint8_t> frame = {0x02, 0, 0, 0, 0, 0x02};  // destination
  frame.insert(frame.end(), mac.begin(), mac.end());
  bool v6 = saddr.size() == 16;
  frame.push_back(v6 ? 0x86 : 0x08);
  frame.push_back(v6 ? 0xdd : 0x00);
  if (v6) {
    std::vector<uint8_t> ip6 = {0x60, 0, 0, 0, 0, 20, 6 /* TCP */, 64};
    frame.insert(frame.end(), ip6.begin(), ip6.end());
  } else {
    std::vector<uint8_t> ip = {0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0};
    frame.insert(frame.end(), ip.begin(), ip.end());
  }
  frame.insert(frame.end(), saddr.begin(), saddr.end());
  frame.insert(frame.end(), daddr.begin(), daddr.end());
  std::vector<uint8_t> tcp(20, 0);
  uint16_t sport_be = htons(sport), dport_be = htons(dport);
  std::memcpy(&tcp[0], &sport_be, 2);
  std::memcpy(&tcp[2], &dport_be, 2);
  tcp[12] = 0x50;
  frame.insert(frame.end(), tcp.begin(), tcp.end());
  return frame;
}

std::vector<uint8_t> Ipv6(const char* text) {
  std::vector<uint8_t> bytes(16);
  EXPECT_EQ(inet_pton(AF_INET6, text, bytes.data()), 1) << text;
  return bytes;
}

// bpftool's JSON byte list as one hex string.
std::string HexOf(const json& bytes) {
  std::string out;
  for (const auto& byte : bytes) out += std::string(byte).substr(2);
  return out;
}

class ReadableValuesTest : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    LoadFixture(kFixture);
  }


  // Runs the XDP program once over `frame`: its verdict.
  int RunXdp(const std::vector<uint8_t>& frame) {
    int prog = bpf_obj_get(Pin("progs/ct_lookup").c_str());
    EXPECT_GE(prog, 0) << "open the pinned program: " << std::strerror(errno);
    if (prog < 0) return -1;
    std::vector<uint8_t> out(frame.size() + 256);
    LIBBPF_OPTS(bpf_test_run_opts, opts);
    opts.data_in = frame.data();
    opts.data_size_in = static_cast<__u32>(frame.size());
    opts.data_out = out.data();
    opts.data_size_out = static_cast<__u32>(out.size());
    opts.repeat = 1;
    int err = bpf_prog_test_run_opts(prog, &opts);
    close(prog);
    EXPECT_EQ(err, 0) << "BPF_PROG_TEST_RUN: " << std::strerror(-err);
    return err == 0 ? static_cast<int>(opts.retval) : -1;
  }
};

constexpr const char* kFlow4 =
    R"({"saddr": "10.0.0.1", "daddr": "192.168.7.2", "sport": 40000,)"
    R"( "dport": 443, "proto": 6})";

TEST_F(ReadableValuesTest, AddressesAndPortsReachTheBytesTheProgramCompares) {
  BpfmapOk({"put", Pin("ct4"), "key", kFlow4, "value", R"({"packets": 0})"});
  // The bytes, read by a tool that knows nothing of formats: bpf_htonl()
  // of each address, bpf_htons() of each port.
  RunResult dumped = Bpftool({"-j", "map", "dump", "pinned", Pin("ct4")});
  ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
  json entries = json::parse(dumped.out);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(HexOf(entries[0]["key"]).substr(0, 26),
            "0a000001" "c0a80702" "9c40" "01bb" "06");
  // The program finds the flow from a frame's own header bytes, and
  // records the MAC it came from.
  std::vector<uint8_t> mac = {0xaa, 0xbb, 0xcc, 0x00, 0x11, 0x22};
  EXPECT_EQ(RunXdp(TcpFrame(mac, {10, 0, 0, 1}, {192, 168, 7, 2}, 40000, 443)),
            XDP_PASS);
  EXPECT_EQ(RunXdp(TcpFrame(mac, {10, 0, 0, 1}, {192, 168, 7, 2}, 40000, 444)),
            XDP_DROP);
  json entry = BpfmapJson({"get", Pin("ct4"), "key", kFlow4});
  EXPECT_EQ(entry["key"], json::parse(kFlow4));
  EXPECT_EQ(entry["value"]["packets"], 1);
  EXPECT_EQ(entry["value"]["bytes"], 54);
  EXPECT_EQ(entry["value"]["h_source"], "aa:bb:cc:00:11:22");
  // Every format a person reads shows the same.
  EXPECT_THAT(BpfmapOk({"dump", Pin("ct4")}),
              HasSubstr("key: {saddr=10.0.0.1 daddr=192.168.7.2 sport=40000 "
                        "dport=443 proto=6}"));
  std::vector<std::string> table =
      Lines(BpfmapOk({"-o", "table", "dump", Pin("ct4")}));
  ASSERT_EQ(table.size(), 2u);
  EXPECT_THAT(table[0], HasSubstr("saddr     daddr        sport  dport"));
  EXPECT_THAT(table[1], HasSubstr("10.0.0.1  192.168.7.2  40000    443"));
  EXPECT_THAT(table[1], HasSubstr("aa:bb:cc:00:11:22"));
  EXPECT_EQ(json::parse(BpfmapOk({"-o", "ndjson", "dump", Pin("ct4")})),
            BpfmapJson({"dump", Pin("ct4")})[0]);
  // -o bpftool stays bpftool's raw view, byte for byte.
  EXPECT_EQ(BpfmapOk({"-o", "bpftool", "dump", Pin("ct4")}),
            Bpftool({"-j", "map", "dump", "pinned", Pin("ct4")}).out);
  // A field's raw value on request (bpftool's number for the port); no
  // default formats with none, but still the numbers __be32 means.
  EXPECT_EQ(BpfmapJson({"--fmt", "dport=raw,key.sport=hex", "dump",
                        Pin("ct4")})[0]["key"],
            json::parse(R"({"saddr": "10.0.0.1", "daddr": "192.168.7.2",)"
                        R"( "sport": "0x9c40", "dport": 47873, "proto": 6})"));
  EXPECT_EQ(BpfmapJson({"--fmt", "none", "dump", Pin("ct4")})[0]["key"]
                ["saddr"],
            167772161);
}

TEST_F(ReadableValuesTest, BpftoolsBytesReadAsAddressesAndPorts) {
  // A tuple bpftool writes as the program would (network byte order).
  RunResult update = Bpftool(
      {"map", "update", "pinned", Pin("ct4"), "key", "hex", "c0", "a8", "00",
       "01", "08", "08", "08", "08", "d4", "31", "00", "35", "11", "00", "00",
       "00", "value", "hex", "05", "00", "00", "00", "00", "00", "00", "00",
       "00", "00", "00", "00", "00", "00", "00", "00", "00", "00", "00", "00",
       "00", "00", "00", "00", "de", "ad", "be", "ef", "00", "01", "63", "75",
       "72", "6c", "09", "78", "0a", "00", "00", "00", "00", "00", "00", "00",
       "00", "00", "00", "00"});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  json entry = BpfmapJson({"dump", Pin("ct4")})[0];
  EXPECT_EQ(entry["key"],
            json::parse(R"({"saddr": "192.168.0.1", "daddr": "8.8.8.8",)"
                        R"( "sport": 54321, "dport": 53, "proto": 17})"));
  EXPECT_EQ(entry["value"]["h_source"], "de:ad:be:ef:00:01");
  // Text with a tab and a newline is a string, escaped, and reads back.
  EXPECT_EQ(entry["value"]["comm"], "curl\tx\n");
  BpfmapOk({"put", Pin("ct4"), "key", entry["key"].dump(), "value",
            entry["value"].dump(), "exist"});
  EXPECT_EQ(BpfmapJson({"dump", Pin("ct4")})[0], entry);
  EXPECT_THAT(BpfmapOk({"dump", Pin("ct4")}),
              HasSubstr("comm=\"curl\\tx\\n\""));
}

TEST_F(ReadableValuesTest, Ipv6TuplesInStructIn6Addr) {
  const char* flow =
      R"({"saddr": "fd00::1", "daddr": "2001:db8:85a3::8a2e:370:7334",)"
      R"( "sport": 1234, "dport": 80, "proto": 6})";
  BpfmapOk({"put", Pin("ct6"), "key", flow, "value", "{}"});
  std::vector<uint8_t> mac = {0x02, 0x42, 0xac, 0x11, 0x00, 0x02};
  EXPECT_EQ(RunXdp(TcpFrame(mac, Ipv6("fd00::1"),
                            Ipv6("2001:db8:85a3::8a2e:370:7334"), 1234, 80)),
            XDP_PASS);
  json entry = BpfmapJson({"dump", Pin("ct6")})[0];
  EXPECT_EQ(entry["key"], json::parse(flow));
  EXPECT_EQ(entry["value"]["h_source"], "02:42:ac:11:00:02");
  // An IPv6 column is as wide as its longest address.
  std::vector<std::string> table =
      Lines(BpfmapOk({"-o", "table", "dump", Pin("ct6")}));
  ASSERT_EQ(table.size(), 2u);
  EXPECT_THAT(table[0], HasSubstr("saddr    daddr                         "
                                  "sport"));
  EXPECT_THAT(table[1], HasSubstr("fd00::1  2001:db8:85a3::8a2e:370:7334  "
                                  " 1234"));
}

TEST_F(ReadableValuesTest, WideIntegersAreTyped) {
  // tcpconnect's unsigned __int128 addresses: IPv6 by name; a 128-bit
  // counter: a number while it fits 64 bits, then a string of digits.
  const char* key =
      R"({"saddr": "::1", "daddr": "fe80::2", "pid": 42, "dport": 22})";
  BpfmapOk({"put", Pin("ipv6_count"), "key", key, "value",
            R"({"bytes": "340282366920938463463374607431768211455",)"
            R"( "connects": 3})"});
  json entry = BpfmapJson({"get", Pin("ipv6_count"), "key", key});
  EXPECT_EQ(entry["key"], json::parse(key));
  EXPECT_EQ(entry["value"]["bytes"], "340282366920938463463374607431768211455");
  BpfmapOk({"put", Pin("ipv6_count"), "key", key, "value",
            R"({"bytes": "0x10", "connects": 4})"});
  EXPECT_EQ(BpfmapJson({"get", Pin("ipv6_count"), "key", key})["value"]["bytes"],
            16);
  RunResult dumped =
      Bpftool({"-j", "map", "dump", "pinned", Pin("ipv6_count")});
  ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
  // ::1 in network order: fifteen zero bytes, then 1.
  EXPECT_EQ(HexOf(json::parse(dumped.out)[0]["key"]).substr(0, 32),
            "00000000000000000000000000000001");
  // -o bpftool prints a 128-bit integer as bpftool does: a hex string.
  RunResult theirs = Bpftool({"-j", "map", "dump", "pinned", Pin("ipv6_count")});
  EXPECT_EQ(BpfmapOk({"-o", "bpftool", "dump", Pin("ipv6_count")}),
            theirs.out);
  RunResult over = Bpfmap({"put", Pin("ipv6_count"), "key", key, "value",
                           R"({"bytes": "340282366920938463463374607431768211456"})"});
  EXPECT_EQ(over.exit_code, 2);
  EXPECT_THAT(over.err, HasSubstr("value.bytes: "));
}

// The address of `symbol` in /proc/kallsyms, read here: 0 if none.
uint64_t KallsymsAddress(const std::string& symbol) {
  std::ifstream in("/proc/kallsyms");
  std::string address, kind, name;
  while (in >> address >> kind >> name) {
    std::string rest;
    std::getline(in, rest);
    if (name == symbol) return std::stoull(address, nullptr, 16);
  }
  return 0;
}

TEST_F(ReadableValuesTest, KernelSymbolsShowAndReadBack) {
  uint64_t schedule = KallsymsAddress("schedule");
  ASSERT_NE(schedule, 0u) << "/proc/kallsyms hides addresses";
  std::string map = Pin("calls");
  BpfmapOk({"create", map, "type", "hash", "key", "u32", "value",
            "struct call { u64 fn; s32 err; u64 started; }", "entries", "4"});
  BpfmapOk({"--fmt", "fn=ksym,err=errno", "put", map, "key", "1", "value",
            R"({"fn": "schedule+0x10", "err": "-EAGAIN"})"});
  json raw = BpfmapJson({"get", map, "key", "1"})["value"];
  EXPECT_EQ(raw["fn"], schedule + 0x10);
  EXPECT_EQ(raw["err"], -EAGAIN);
  std::vector<std::string> formats = {"--fmt", "fn=ksym,err=errno"};
  std::vector<std::string> dump = formats;
  dump.insert(dump.end(), {"-o", "ndjson", "dump", map});
  std::string snapshot = BpfmapOk(dump);
  EXPECT_EQ(json::parse(snapshot)["value"],
            json::parse(R"({"fn": "schedule+0x10", "err": "-EAGAIN",)"
                        R"( "started": 0})"));
  // The snapshot loads back, symbols and all, into a copy.
  std::string copy = Pin("calls_copy");
  BpfmapOk({"create", copy, "type", "hash", "key", "u32", "value",
            "struct call { u64 fn; s32 err; u64 started; }", "entries", "4"});
  std::string file = bpffs() + ".calls.ndjson";
  std::ofstream(file) << snapshot;
  std::vector<std::string> put = formats;
  put.insert(put.end(), {"put", copy, "--file", file});
  BpfmapOk(put);
  unlink(file.c_str());
  EXPECT_EQ(BpfmapJson({"dump", copy}), BpfmapJson({"dump", map}));
}

TEST_F(ReadableValuesTest, BadAddressesExitTwoAndLeaveTheMap) {
  BpfmapOk({"put", Pin("ct4"), "key", kFlow4, "value", R"({"packets": 9})"});
  std::string before = BpfmapOk({"-j", "dump", Pin("ct4")});
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"put", Pin("ct4"), "key", R"({"saddr": "10.0.0.300"})", "value", "{}"},
       "bpfmap: key.saddr: \"10.0.0.300\" is not an IPv4 address (10.0.0.1)\n"},
      {{"put", Pin("ct4"), "key", R"({"dport": 65536})", "value", "{}"},
       "bpfmap: key.dport: 65536 does not fit in u16\n"},
      {{"put", Pin("ct4"), "key", kFlow4, "value",
        R"({"h_source": "aa:bb:cc:dd:ee"})"},
       "bpfmap: value.h_source: \"aa:bb:cc:dd:ee\" is not a MAC address "
       "(aa:bb:cc:dd:ee:ff)\n"},
      {{"--fmt", "sport=ipv4", "dump", Pin("ct4")},
       "bpfmap: --fmt: key.sport: ipv4 takes 4 bytes; __be16 is 2 bytes\n"},
      {{"--fmt", "saddr=ip,colour=hex", "dump", Pin("ct4")},
       "bpfmap: --fmt: no field colour (fields: key, key.saddr, key.daddr, "
       "key.sport, key.dport, key.proto, value, value.packets, value.bytes, "
       "value.last_seen, value.h_source, value.comm)\n"},
      {{"--fmt", "saddr", "dump", Pin("ct4")},
       "bpfmap: --fmt: 'saddr' is not FIELD=KIND (e.g. key.saddr=ipv4) or "
       "none\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args[c.args.size() > 3 ? 3 : 1]);
    RunResult result = Bpfmap(c.args);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.err, c.message);
    std::vector<std::string> json_args = c.args;
    json_args.insert(json_args.begin(), "-j");
    RunResult as_json = Bpfmap(json_args);
    EXPECT_EQ(as_json.exit_code, 2);
    EXPECT_TRUE(json::parse(as_json.out).contains("error")) << as_json.out;
  }
  EXPECT_EQ(BpfmapOk({"-j", "dump", Pin("ct4")}), before);
}

// bcc's print_log2_hist (libbpf-tools trace_helpers.c), redone here with
// its printf formats: the reference bpfmap's rendering is held to.
std::string BccLog2Hist(const std::vector<unsigned>& vals,
                        const char* val_type) {
  int idx_max = -1;
  unsigned val_max = 0;
  for (size_t i = 0; i < vals.size(); i++) {
    if (vals[i] > 0) idx_max = static_cast<int>(i);
    if (vals[i] > val_max) val_max = vals[i];
  }
  if (idx_max < 0) return "";
  char line[256];
  std::string out;
  snprintf(line, sizeof(line), "%*s%-*s : count    distribution\n",
           idx_max <= 32 ? 5 : 15, "", idx_max <= 32 ? 19 : 29, val_type);
  out += line;
  int stars_max = idx_max <= 32 ? 40 : 20;
  for (int i = 0; i <= idx_max; i++) {
    unsigned long long low = (1ULL << (i + 1)) >> 1;
    unsigned long long high = (1ULL << (i + 1)) - 1;
    if (low == high) low -= 1;
    int width = idx_max <= 32 ? 10 : 20;
    snprintf(line, sizeof(line), "%*lld -> %-*lld : %-8d |", width, low,
             width, high, vals[i]);
    out += line;
    int stars = static_cast<int>(
        static_cast<unsigned long long>(std::min(vals[i], val_max)) *
        stars_max / val_max);
    out += std::string(stars, '*') + std::string(stars_max - stars, ' ');
    if (vals[i] > val_max) out += '+';
    out += "|\n";
  }
  return out;
}

TEST_F(ReadableValuesTest, HistogramsPrintAsBccPrintsThem) {
  // Filled by bulk load, as a snapshot of biolatency's map would be.
  std::vector<unsigned> reads(27, 0), writes(27, 0);
  reads[4] = 3;
  reads[6] = 120;
  reads[7] = 77;
  reads[10] = 1;
  writes[2] = 9;
  std::string file = bpffs() + ".hists.ndjson";
  {
    std::ofstream out(file);
    out << json({{"key", {{"cmd_flags", 0}, {"dev", 259}}},
                 {"value", {{"slots", reads}}}})
               .dump()
        << "\n"
        << json({{"key", {{"cmd_flags", 1}, {"dev", 259}}},
                 {"value", {{"slots", writes}}}})
               .dump()
        << "\n";
  }
  BpfmapOk({"put", Pin("hists"), "--file", file});
  unlink(file.c_str());
  std::string shown = BpfmapOk({"dump", Pin("hists"), "--hist"});
  EXPECT_THAT(shown, HasSubstr("key = {cmd_flags=0 dev=259}\n" +
                               BccLog2Hist(reads, "slots")));
  EXPECT_THAT(shown, HasSubstr("key = {cmd_flags=1 dev=259}\n" +
                               BccLog2Hist(writes, "slots")));
  json buckets = BpfmapJson({"dump", Pin("hists"), "--hist", "log2", "slots"});
  ASSERT_EQ(buckets.size(), 2u);
  for (const json& histogram : buckets) {
    const std::vector<unsigned>& vals =
        histogram["key"]["cmd_flags"] == 0 ? reads : writes;
    json want = json::array();
    int last = 0;
    for (int i = 0; i < 27; ++i) {
      if (vals[i] != 0) last = i;
    }
    for (int i = 0; i <= last; ++i) {
      want.push_back({{"low", i == 0 ? 0 : 1ULL << i},
                      {"high", (1ULL << (i + 1)) - 1},
                      {"count", vals[i]}});
    }
    EXPECT_EQ(histogram["buckets"], want);
    EXPECT_EQ(histogram["label"], "slots");
  }
}

TEST_F(ReadableValuesTest, AMapKeyedBySlotPerCpuIsSummed) {
  // Each CPU's counters: a value per CPU, as a program on each would count.
  BpfmapOk({"put", Pin("lat_slots"), "key", "3", "value", "5"});
  BpfmapOk({"put", Pin("lat_slots"), "key", "5", "value", "20"});
  int cpus = libbpf_num_possible_cpus();
  std::vector<unsigned> vals(27, 0);
  vals[3] = 5 * cpus;
  vals[5] = 20 * cpus;
  EXPECT_EQ(BpfmapOk({"dump", Pin("lat_slots"), "--hist", "--fmt", "key=ns"}),
            BccLog2Hist(vals, "nsecs"));
  RunResult bad = Bpfmap({"dump", Pin("ct4"), "--hist"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--hist: which field holds the counters?"));
  // What --hist does not go with: exit 2, one line, one JSON document.
  struct Refusal {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Refusal& r : std::vector<Refusal>{
           {{"--hex", "dump", Pin("lat_slots"), "--hist"},
            "bpfmap: dump: --hist adds up typed counters; --hex shows bytes\n"},
           {{"-o", "bpftool", "dump", Pin("lat_slots"), "--hist"},
            "bpfmap: dump: --hist has no bpftool form (bpftool prints no "
            "histograms); use -j for its JSON\n"},
           {{"dump", Pin("lat_slots"), "--hist", "--drain"},
            "bpfmap: dump: --hist and --drain do not go together\n"},
           {{"dump", Pin("lat_slots"), "--hist", "linear:x"},
            "bpfmap: --hist: 'linear:x': STEP is a number from 1 to "
            "4294967295\n"},
       }) {
    SCOPED_TRACE(r.message);
    RunResult result = Bpfmap(r.args);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.err, r.message);
    if (r.args[0] == "-o") {
      EXPECT_TRUE(json::parse(result.out).contains("error")) << result.out;
    }
  }
}

}  // namespace
}  // namespace bpfmap::testing
