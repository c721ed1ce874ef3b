// Typed maps end to end: maps declared in BPF C (tests/testdata), read and
// written by type through every format, checked against bpftool's
// "formatted" output, typed create, user-given types, per-CPU folding, and
// every typed-input error leaving the map as it was.
#include <bpf/libbpf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kFixture = "tests/testdata/typed_maps.bpf.c";

// ip is a u32 named like an address: shown and read as one.
constexpr const char* kKey = R"({"ip": "10.0.0.1", "port": 80, "proto": 6})";
constexpr const char* kValue =
    R"({"mode": "MODE_AUTO", "delta": -5, "tag": "hello", "range": )"
    R"({"lo": 10, "hi": "0x20"}, "small": 7, "flag": 1, "wide": [9, 8, 7, 6],)"
    R"( "u": {"as_u32": 258}, "on": true})";

// kValue as bpfmap prints it: every union member, numbers as numbers.
json ValueShown() {
  return json::parse(
      R"({"mode": "MODE_AUTO", "delta": -5, "tag": "hello", "range": )"
      R"({"lo": 10, "hi": 32}, "small": 7, "flag": 1, "wide": [9, 8, 7, 6],)"
      R"( "u": {"as_u32": 258, "as_bytes": [2, 1, 0, 0]}, "on": true})");
}

// bpftool's "formatted" with its bitfield strings ("0x7") read as numbers,
// which is how bpfmap prints them.
json BitfieldsAsNumbers(json value) {
  if (value.is_object() || value.is_array()) {
    for (auto& item : value) item = BitfieldsAsNumbers(item);
    return value;
  }
  if (value.is_string()) {
    std::string text = value;
    if (text.rfind("0x", 0) == 0 && text.size() > 2 &&
        std::all_of(text.begin() + 2, text.end(), ::isxdigit)) {
      return std::stoull(text, nullptr, 16);
    }
  }
  return value;
}

class TypedMapsTest : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    LoadFixture(kFixture);
  }

  json BpftoolJson(std::vector<std::string> args) {
    args.insert(args.begin(), "-j");
    RunResult result = Bpftool(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
  }
  static int Cpus() { return libbpf_num_possible_cpus(); }
};

TEST_F(TypedMapsTest, RoundTripThroughPutGetDelDump) {
  std::string map = Pin("typed_hash");
  BpfmapOk({"put", map, "key", kKey, "value", kValue});
  json entry = BpfmapJson({"get", map, "key", kKey});
  EXPECT_EQ(entry["key"],
            json::parse(R"({"ip": "10.0.0.1", "port": 80, "proto": 6})"));
  EXPECT_EQ(entry["value"], ValueShown());
  // What get prints goes back in as it is.
  BpfmapOk({"put", map, "key", entry["key"].dump(), "value",
            entry["value"].dump(), "exist"});
  EXPECT_EQ(BpfmapJson({"dump", map}), json::array({entry}));
  // Missing fields are zero: a partial key finds nothing.
  EXPECT_EQ(Bpfmap({"get", map, "key", R"({"ip": "10.0.0.1"})"}).exit_code, 1);
  BpfmapOk({"del", map, "key", kKey});
  EXPECT_EQ(Bpfmap({"get", map, "key", kKey}).exit_code, 1);
  EXPECT_EQ(BpfmapJson({"dump", map}), json::array());
}

TEST_F(TypedMapsTest, EveryFormatShowsTypes) {
  std::string map = Pin("typed_hash");
  BpfmapOk({"put", map, "key", kKey, "value", kValue});
  EXPECT_EQ(BpfmapOk({"get", map, "key", kKey}),
            "key: {ip=10.0.0.1 port=80 proto=6}  value: {mode=MODE_AUTO "
            "delta=-5 tag=\"hello\" range={lo=10 hi=32} small=7 flag=1 "
            "wide=[9 8 7 6] u={as_u32=258 as_bytes=[2 1 0 0]} on=true}\n");
  std::vector<std::string> table = Lines(BpfmapOk({"-o", "table", "dump", map}));
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0],
            "ip        port  proto  mode       delta  tag    range.lo  "
            "range.hi  small  flag  wide       u.as_u32  u.as_bytes  on");
  EXPECT_EQ(table[1],
            "10.0.0.1    80      6  MODE_AUTO     -5  hello        10  "
            "      32      7     1  [9 8 7 6]       258  [2 1 0 0]   true");
  std::vector<std::string> lines =
      Lines(BpfmapOk({"-o", "ndjson", "dump", map}));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(json::parse(lines[0]), BpfmapJson({"dump", map})[0]);
  json hex = BpfmapJson({"--hex", "get", map, "key", kKey});
  // The address in network byte order, as a program's ip->saddr.
  EXPECT_EQ(hex["key"], "0a00000150000600");
  EXPECT_TRUE(hex["value"].is_string());
}

TEST_F(TypedMapsTest, BpftoolFormatIsBpftoolsOwnOutput) {
  BpfmapOk({"put", Pin("typed_hash"), "key", kKey, "value", kValue});
  BpfmapOk({"put", Pin("typed_numbers"), "key", "1", "value",
            R"({"s8": -128, "s16": -2, "s32": -3, "s64": -4, "u8": 255,)"
            R"( "u16": 65535, "u32": 4294967295, "u64": 18446744073709551615,)"
            R"( "ptr": "0xffff888000000000", "big": "BIG_HUGE", "neg": -8,)"
            R"( "pos": 4095, "inner_a": 1, "inner_b": 2, "either": 65})"});
  BpfmapOk({"put", Pin("typed_percpu"), "key", "2", "value", "77"});
  BpfmapOk({"put", Pin("typed_lpm"), "key",
            R"({"prefixlen": 24, "addr": [10, 1, 2, 0]})", "value", "9"});
  BpfmapOk({"put", Pin("typed_counters"), "key", "3", "value",
            R"({"packets": 5, "drops": 1, "min_delta": -1, "seen": true})"});
  for (const char* name : {"typed_hash", "typed_numbers", "typed_percpu",
                           "typed_lpm", "typed_counters"}) {
    SCOPED_TRACE(name);
    // Byte for byte: the same compact text bpftool prints.
    RunResult bpftool = Bpftool({"-j", "map", "dump", "pinned", Pin(name)});
    ASSERT_EQ(bpftool.exit_code, 0) << bpftool.err;
    EXPECT_EQ(BpfmapOk({"-o", "bpftool", "dump", Pin(name)}), bpftool.out);
  }
  RunResult lookup = Bpftool({"-j", "map", "lookup", "pinned",
                              Pin("typed_hash"), "key", "hex", "0a", "00",
                              "00", "01", "50", "00", "06", "00"});
  EXPECT_EQ(BpfmapOk({"-o", "bpftool", "get", Pin("typed_hash"), "key", kKey}),
            lookup.out);
}

TEST_F(TypedMapsTest, TypedJsonAgreesWithBpftoolsFormatted) {
  BpfmapOk({"put", Pin("typed_hash"), "key", kKey, "value", kValue});
  BpfmapOk({"put", Pin("typed_counters"), "key", "3", "value",
            R"({"packets": 5, "drops": 1, "min_delta": -1, "seen": true})"});
  for (const char* name : {"typed_hash", "typed_counters"}) {
    SCOPED_TRACE(name);
    // Without the default formats (the address in ip): numbers, as
    // bpftool prints them.
    json ours = BpfmapJson({"--fmt", "none", "dump", Pin(name)});
    json theirs = BpftoolJson({"map", "dump", "pinned", Pin(name)});
    ASSERT_EQ(ours.size(), theirs.size());
    for (size_t i = 0; i < ours.size(); ++i) {
      EXPECT_EQ(ours[i], BitfieldsAsNumbers(theirs[i]["formatted"]));
    }
  }
}

TEST_F(TypedMapsTest, BpftoolReadsTypedWritesAndBpfmapReadsBpftoolsBytes) {
  std::string map = Pin("typed_hash");
  // bpftool writes bytes; bpfmap reads them by type.
  RunResult update = Bpftool(
      {"map", "update", "pinned", map, "key", "hex", "02", "00", "00", "00",
       "bb", "01", "11", "00", "value", "hex", "01", "00", "00", "00", "00",
       "00", "00", "00", "fe", "ff", "ff", "ff", "ff", "ff", "ff", "ff", "61",
       "62", "63", "00", "00", "00", "00", "00", "01", "00", "00", "00", "02",
       "00", "00", "00", "0b", "01", "02", "03", "04", "00", "00", "00", "05",
       "06", "07", "08", "01", "00", "00", "00"});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  json entry = BpfmapJson({"get", map, "key",
                           R"({"ip": 2, "port": 443, "proto": 17})"});
  EXPECT_EQ(entry["value"]["mode"], "MODE_ON");
  EXPECT_EQ(entry["value"]["delta"], -2);
  EXPECT_EQ(entry["value"]["tag"], "abc");
  EXPECT_EQ(entry["value"]["small"], 3);
  EXPECT_EQ(entry["value"]["flag"], 1);
  // bpfmap writes by type; bpftool reads the same bytes.
  BpfmapOk({"put", map, "key", kKey, "value", kValue});
  json formatted =
      BpftoolJson({"map", "lookup", "pinned", map, "key", "hex", "0a", "00",
                   "00", "01", "50", "00", "06", "00"})["formatted"];
  EXPECT_EQ(BitfieldsAsNumbers(formatted["value"]), ValueShown());
}

TEST_F(TypedMapsTest, EveryKindOfLeaf) {
  std::string numbers = Pin("typed_numbers");
  const char* value =
      R"({"s8": -128, "s16": -2, "s32": -3, "s64": -9223372036854775808,)"
      R"( "u8": 255, "u16": 65535, "u32": 4294967295,)"
      R"( "u64": 18446744073709551615, "ptr": 4096, "big": "BIG_HUGE",)"
      R"( "neg": -8, "pos": 4095, "inner_a": 1, "inner_b": 2, "either": 65})";
  BpfmapOk({"put", numbers, "key", "1", "value", value});
  json shown = BpfmapJson({"get", numbers, "key", "1"})["value"];
  json want = json::parse(value);
  want["four"] = "A";  // the other member of the anonymous union
  EXPECT_EQ(shown, want);
  // An enum value with no name is a number.
  BpfmapOk({"put", numbers, "key", "2", "value", R"({"big": 5})"});
  EXPECT_EQ(BpfmapJson({"get", numbers, "key", "2"})["value"]["big"], 5);
  std::string floats = Pin("typed_floats");
  BpfmapOk({"put", floats, "key", "1", "value", R"({"f": 1.5, "d": -2.25e100})"});
  EXPECT_EQ(BpfmapJson({"get", floats, "key", "1"})["value"],
            json::parse(R"({"f": 1.5, "d": -2.25e100})"));
  // Bare scalars: a number key, a char array, an enum by name.
  BpfmapOk({"put", Pin("typed_lpm"), "key",
            R"({"prefixlen": 8, "addr": [10, 0, 0, 0]})", "value", "0x10"});
  EXPECT_EQ(BpfmapJson({"dump", Pin("typed_lpm")})[0]["value"], 16);
  RunResult negative = Bpfmap({"put", Pin("typed_lpm"), "key",
                               R"({"prefixlen": 8, "addr": [10, 0, 0, 0]})",
                               "value", "-1"});
  EXPECT_EQ(negative.exit_code, 2);
  EXPECT_THAT(negative.err, HasSubstr("value: -1 does not fit in u32"));
}

TEST_F(TypedMapsTest, PerCpuValuesAndFolding) {
  std::string map = Pin("typed_counters");
  std::vector<std::string> put = {"put", map, "key", "1", "values"};
  std::vector<json> given;
  for (int cpu = 0; cpu < Cpus(); ++cpu) {
    json value = {{"packets", 10 * (cpu + 1)},
                  {"drops", cpu},
                  {"min_delta", cpu == 0 ? -4 : cpu},
                  {"seen", cpu == 0}};
    given.push_back(value);
    put.push_back(value.dump());
  }
  BpfmapOk(put);
  json entry = BpfmapJson({"get", map, "key", "1"});
  ASSERT_EQ(entry["values"].size(), static_cast<size_t>(Cpus()));
  for (int cpu = 0; cpu < Cpus(); ++cpu) {
    EXPECT_EQ(entry["values"][cpu]["cpu"], cpu);
    EXPECT_EQ(entry["values"][cpu]["value"], given[cpu]);
  }
  int n = Cpus();
  json sum = BpfmapJson({"--cpus", "sum", "get", map, "key", "1"});
  EXPECT_EQ(sum["value"]["packets"], 10 * n * (n + 1) / 2);
  EXPECT_EQ(sum["value"]["seen"], true);
  EXPECT_FALSE(sum.contains("values"));
  json min = BpfmapJson({"--cpus", "min", "dump", map})[0];
  EXPECT_EQ(min["value"]["min_delta"], -4);
  EXPECT_EQ(min["value"]["packets"], 10);
  json max = BpfmapJson({"--cpus", "max", "get", map, "key", "1"});
  EXPECT_EQ(max["value"]["packets"], 10 * n);
  // The fold applies in every format.
  EXPECT_THAT(BpfmapOk({"--cpus", "sum", "get", map, "key", "1"}),
              HasSubstr("value: {packets=" +
                        std::to_string(10 * n * (n + 1) / 2) + " "));
  std::vector<std::string> table =
      Lines(BpfmapOk({"--cpus", "sum", "-o", "table", "dump", map}));
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0], "key  packets  drops  min_delta  seen");
  json bpftool_shape =
      json::parse(BpfmapOk({"--cpus", "sum", "-o", "bpftool", "dump", map}))[0];
  EXPECT_EQ(bpftool_shape["formatted"]["value"]["packets"],
            10 * n * (n + 1) / 2);
  // Without folding, the table has a column set per CPU.
  std::vector<std::string> each = Lines(BpfmapOk({"-o", "table", "dump", map}));
  EXPECT_THAT(each[0], HasSubstr("cpu0.packets"));
  EXPECT_THAT(each[0], HasSubstr("cpu" + std::to_string(n - 1) + ".seen"));
  // `value V` writes V to every CPU.
  BpfmapOk({"put", map, "key", "2", "value", R"({"packets": 3})"});
  EXPECT_EQ(BpfmapJson({"--cpus", "sum", "get", map, "key", "2"})["value"]
                ["packets"],
            3 * n);
}

TEST_F(TypedMapsTest, UserTypesForMapsWithoutBtf) {
  std::string map = Pin("plain");
  BpfmapOk({"create", map, "type", "hash", "key", "4", "value", "24",
            "entries", "4"});
  std::vector<std::string> typed = {
      "--key-type", "u32", "--value-type",
      "struct { u64 packets; u64 bytes; char comm[8]; }"};
  std::vector<std::string> put = typed;
  for (const char* word :
       {"put", map.c_str(), "key", "7", "value",
        R"({"packets": 1, "bytes": 1500, "comm": "curl"})"}) {
    put.push_back(word);
  }
  BpfmapOk(put);
  std::vector<std::string> get = typed;
  for (const char* word : {"-j", "get", map.c_str(), "key", "7"}) {
    get.push_back(word);
  }
  EXPECT_EQ(json::parse(BpfmapOk(get)),
            json::parse(R"({"key": 7, "value": {"packets": 1, "bytes": 1500,)"
                        R"( "comm": "curl"}})"));
  // Untyped, the same entry is bytes.
  EXPECT_EQ(BpfmapJson({"get", map, "key", "7", "0", "0", "0"})["key"],
            "07000000");
  // Sizes must match.
  RunResult wrong = Bpfmap({"--value-type", "u64", "get", map, "key", "hex",
                            "07000000"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_THAT(wrong.err, HasSubstr("--value-type u64 is 8 bytes, but map"));
  EXPECT_THAT(wrong.err, HasSubstr("has 24-byte values"));
  // Named types from the fixture's object file, for a queue that has none.
  std::string queue = Pin("typed_queue");
  BpfmapOk({"--btf", FixtureObject(), "--value-type", "struct range", "put",
            queue, "value", R"({"lo": 1, "hi": 2})"});
  EXPECT_EQ(BpfmapOk({"--btf", FixtureObject(), "--value-type",
                      "struct range", "del", queue}),
            "value: {lo=1 hi=2}\n");
  // And from the kernel's own BTF.
  if (access("/sys/kernel/btf/vmlinux", R_OK) == 0) {
    EXPECT_EQ(json::parse(BpfmapOk({"--btf", "/sys/kernel/btf/vmlinux",
                                    "--key-type", "typedef u32", "-j", "get",
                                    map, "key", "7"}))["key"],
              7);
  }
}

TEST_F(TypedMapsTest, CreatedFromTypesBpftoolShowsTyped) {
  std::string map = Pin("stats");
  BpfmapOk({"create", map, "type", "hash", "key", "u32", "value",
            "struct stats { u64 packets; u64 bytes; char comm[16]; "
            "enum dir { IN, OUT = 5 } dir; u8 a:3, b:5; }",
            "entries", "16", "name", UniqueMapName("stats")});
  json show = BpftoolJson({"map", "show", "pinned", map});
  EXPECT_GT(show["btf_id"].get<int>(), 0);
  EXPECT_EQ(show["bytes_value"], 40);
  BpfmapOk({"put", map, "key", "7", "value",
            R"({"packets": 1, "bytes": 2, "comm": "curl", "dir": "OUT",)"
            R"( "a": 5, "b": 31})"});
  json dumped = BpftoolJson({"map", "dump", "pinned", map});
  ASSERT_EQ(dumped.size(), 1u);
  EXPECT_EQ(dumped[0]["formatted"],
            json::parse(R"({"key": 7, "value": {"packets": 1, "bytes": 2,)"
                        R"( "comm": "curl", "dir": "OUT", "a": "0x5",)"
                        R"( "b": "0x1f"}})"));
  // An array whose key is given as a size gets a u32 key type.
  BpfmapOk({"create", Pin("arr"), "type", "array", "key", "4", "value",
            "struct { s32 x; }", "entries", "2"});
  EXPECT_EQ(BpftoolJson({"map", "lookup", "pinned", Pin("arr"), "key", "1",
                         "0", "0", "0"})["formatted"],
            json::parse(R"({"key": 1, "value": {"x": 0}})"));
  // Named types from a BPF object.
  BpfmapOk({"--btf", FixtureObject(), "create", Pin("flows"), "type", "hash",
            "key", "struct flow_key", "value", "struct flow_value", "entries",
            "8"});
  BpfmapOk({"put", Pin("flows"), "key", kKey, "value", kValue});
  EXPECT_EQ(BpfmapJson({"get", Pin("flows"), "key", kKey})["value"],
            ValueShown());
}

TEST_F(TypedMapsTest, UntypedMapsInTheNewFormats) {
  std::string map = Pin("u");
  BpfmapOk({"create", map, "type", "percpu_hash", "key", "2", "value", "2",
            "entries", "4"});
  std::vector<std::string> put = {"put", map, "key", "1", "0", "values"};
  for (int cpu = 0; cpu < Cpus(); ++cpu) put.push_back("0100");
  BpfmapOk(put);
  std::vector<std::string> table = Lines(BpfmapOk({"-o", "table", "dump", map}));
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0].rfind("key    cpu0", 0), 0u) << table[0];
  EXPECT_EQ(table[1].rfind("01 00  01 00", 0), 0u) << table[1];
  std::vector<std::string> lines = Lines(BpfmapOk({"-o", "ndjson", "dump", map}));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(json::parse(lines[0])["key"], "0100");
  RunResult bpftool = Bpftool({"-j", "map", "dump", "pinned", map});
  EXPECT_EQ(BpfmapOk({"-o", "bpftool", "dump", map}), bpftool.out);
  // Folding needs a type.
  RunResult fold = Bpfmap({"--cpus", "sum", "dump", map});
  EXPECT_EQ(fold.exit_code, 2);
  EXPECT_THAT(fold.err, HasSubstr("--cpus sum needs the value's type"));
  json summed = json::parse(BpfmapOk({"--cpus", "sum", "--value-type", "u16",
                                      "-j", "dump", map}));
  EXPECT_EQ(summed[0]["value"], Cpus());
}

TEST_F(TypedMapsTest, BareScalarsForScalarMaps) {
  std::string map = Pin("scalars");
  BpfmapOk({"create", map, "type", "hash", "key", "char[8]", "value", "s64",
            "entries", "4"});
  // A bare -2 is a value, not an option; abc fills a char array.
  BpfmapOk({"put", map, "key", "abc", "value", "-2"});
  EXPECT_EQ(BpfmapOk({"get", map, "key", "abc"}),
            "key: \"abc\"  value: -2\n");
  BpfmapOk({"put", map, "key", R"("a space")", "value", "0x7f"});
  EXPECT_EQ(BpfmapJson({"get", map, "key", "a space"})["value"], 127);
  std::string modes = Pin("modes");
  BpfmapOk({"create", modes, "type", "array", "key", "u32", "value",
            "enum mode { OFF, ON, AUTO = 7 }", "entries", "2"});
  BpfmapOk({"put", modes, "key", "1", "value", "AUTO"});
  EXPECT_EQ(BpfmapOk({"get", modes, "key", "1"}), "key: 1  value: AUTO\n");
  BpfmapOk({"put", modes, "key", "0", "value", "9"});
  EXPECT_EQ(BpfmapJson({"dump", modes}),
            json::parse(R"([{"key": 0, "value": 9}, {"key": 1, "value": "AUTO"}])"));
}

TEST_F(TypedMapsTest, TableIsTheDefaultOnATerminalAndCutsThere) {
  if (access("/usr/bin/script", X_OK) != 0) {
    FAIL() << "script (bsdutils) is not installed";
  }
  std::string map = Pin("long");
  BpfmapOk({"create", map, "type", "hash", "key", "u8", "value", "char[64]",
            "entries", "2"});
  std::string text(60, 'x');
  BpfmapOk({"put", map, "key", "1", "value", text});
  // Through a pseudo-terminal 30 columns wide.
  RunResult tty = RunProgram(
      "/usr/bin/script",
      {"-qec", "stty cols 30; " + BpfmapPath() + " dump " + map, "/dev/null"});
  ASSERT_EQ(tty.exit_code, 0) << tty.err;
  EXPECT_THAT(tty.out, HasSubstr("key  value"));
  EXPECT_THAT(tty.out, HasSubstr(std::string(29, 'x') + "\u2026"));
  EXPECT_THAT(tty.out, ::testing::Not(HasSubstr(std::string(30, 'x'))));
  // Into a pipe: plain, and nothing cut.
  EXPECT_EQ(BpfmapOk({"dump", map}),
            "key: 1  value: \"" + text + "\"\n");
  EXPECT_THAT(BpfmapOk({"-o", "table", "dump", map}), HasSubstr(text));
}

class TypedErrorsTest : public TypedMapsTest {
 protected:
  std::string Snapshot() {
    std::string state;
    for (const char* name : {"typed_hash", "typed_counters", "typed_lpm"}) {
      state += BpfmapOk({"--hex", "-j", "dump", Pin(name)});
    }
    return state;
  }
};

TEST_F(TypedErrorsTest, EveryTypedInputErrorExitsTwoAndWritesNothing) {
  std::string hash = Pin("typed_hash");
  BpfmapOk({"put", hash, "key", kKey, "value", kValue});
  std::string per_cpu = Pin("typed_counters");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<std::string> too_many = {"put", per_cpu, "key", "1", "values"};
  for (int cpu = 0; cpu <= Cpus(); ++cpu) too_many.push_back("{}");
  std::vector<Case> cases = {
      {{"put", hash, "key", kKey, "value", R"({"range": {"lo": 4294967296}})"},
       "value.range.lo: 4294967296 does not fit in u32"},
      {{"put", hash, "key", kKey, "value", R"({"colour": 1})"},
       "value.colour: no such field (fields: mode, delta, tag, range, small, "
       "flag, wide, u, on)"},
      {{"put", hash, "key", kKey, "value", R"({"small": 8})"},
       "value.small: 8 does not fit in 3-bit unsigned bitfield"},
      {{"put", hash, "key", kKey, "value", R"({"mode": "MODE_X"})"},
       "value.mode: no enumerator \"MODE_X\""},
      {{"put", hash, "key", kKey, "value", R"({"tag": "much too long"})"},
       "value.tag: \"much too long\" is 13 bytes; char[8] holds at most 8"},
      {{"put", hash, "key", kKey, "value", R"({"wide": [1, 2]})"},
       "value.wide: 2 items given"},
      {{"put", hash, "key", kKey, "value", R"({"mode": 1, "mode": 1})"},
       "value.mode: given twice"},
      {{"put", hash, "key", kKey, "value", R"({"delta": 1e3})"},
       "value.delta: 1e3 is not an integer"},
      {{"put", hash, "key", kKey, "value", R"({"on": "maybe"})"},
       "value.on: \"maybe\" is not a bool"},
      {{"put", hash, "key", kKey, "value", "{"}, "value: invalid JSON"},
      {{"put", hash, "key", kKey, "value", "abc"},
       "value: struct flow_value takes a JSON object"},
      {{"put", hash, "key", R"({"port": 65536})", "value", "{}"},
       "key.port: 65536 does not fit in u16"},
      {{"put", hash, "key", "1", "2", "value", "{}"},
       "key: 2 words given; a typed key (struct flow_key) is one word"},
      {{"get", hash, "key", R"({"ip": -1})"}, "key.ip: -1 does not fit in u32"},
      {{"del", hash, "key", R"({"proto": "tcp"})"},
       "key.proto: \"tcp\" is not an integer"},
      {{"put", per_cpu, "key", "1", "value", R"({"packets": -1})"},
       "value.packets: -1 does not fit in u64"},
      {too_many, "values: " + std::to_string(Cpus() + 1) + " given"},
      {{"put", hash, "key", kKey, "values", "{}"},
       "'values' is for per-CPU maps"},
      {{"put", Pin("typed_lpm"), "key", R"({"addr": [1, 2, 3]})", "value", "1"},
       "key.addr: 3 items given; __u8[4] takes exactly 4"},
      {{"--key-type", "u33", "get", hash, "key", "1"},
       "--key-type 'u33': unknown type 'u33'"},
      {{"--value-type", "struct nope", "--btf", FixtureObject(), "get", hash,
        "key", kKey},
       "struct nope: not found in"},
      {{"--btf", "/nonexistent.o", "--key-type", "struct flow_key", "get",
        hash, "key", kKey},
       "--btf /nonexistent.o"},
      {{"--cpus", "avg", "dump", per_cpu}, "--cpus: unknown fold 'avg'"},
      {{"-o", "ndjson", "-p", "dump", hash}, "ndjson is one line each"},
      {{"-j", "-o", "table", "dump", hash}, "-o asks for table"},
      {{"create", Pin("new"), "type", "hash", "key", "u32", "value",
        "struct { u8 a:9; }", "entries", "1"},
       "a bitfield of 9 bits does not fit in u8"},
      {{"create", Pin("new"), "type", "hash", "key", "struct flow_key",
        "value", "4", "entries", "1"},
       "struct flow_key is not defined here"},
  };
  for (const Case& c : cases) {
    std::string joined;
    for (const std::string& arg : c.args) joined += " " + arg;
    SCOPED_TRACE("bpfmap" + joined);
    std::string before = Snapshot();
    RunResult result = Bpfmap(c.args);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_THAT(result.err, HasSubstr(c.message));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err;
    EXPECT_EQ(result.err.rfind("bpfmap: ", 0), 0u) << result.err;
    EXPECT_EQ(Snapshot(), before);
  }
  EXPECT_EQ(access(Pin("new").c_str(), F_OK), -1);
}

}  // namespace
}  // namespace bpfmap::testing
