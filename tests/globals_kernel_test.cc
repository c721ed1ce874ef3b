// Global variables (tests/testdata/globals.bpf.c): each section is a
// one-entry array typed by a BTF DATASEC. bpfmap shows a section as an
// object of its variables, writes only the variables a typed value names,
// and prints bpftool's "formatted" in -o bpftool.
#include <bpf/bpf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include <nlohmann/json.hpp>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kFixture = "tests/testdata/globals.bpf.c";

class GlobalsTest : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    LoadFixture(kFixture);
  }

  // The section's one value, as bpfmap -j prints it.
  json Section(const std::string& pin) const {
    json dump = json::parse(BpfmapOk({"-j", "dump", Pin(pin)}));
    EXPECT_EQ(dump.size(), 1u) << dump.dump();
    EXPECT_EQ(dump[0]["key"], 0);
    return dump[0]["value"];
  }
};

TEST_F(GlobalsTest, ASectionIsAnObjectOfItsVariables) {
  EXPECT_EQ(Section("globals_bss"),
            json::parse(R"({"packets": 0, "drops": 0})"));
  EXPECT_EQ(Section("globals_data"),
            json::parse(R"({"sample_rate": 100, "limits":
                {"max_conns": 64, "port": 8080, "label": "edge"}})"));
  EXPECT_EQ(Section("globals_rodata"), json::parse(R"({"debug_level": 2})"));
  EXPECT_EQ(Section("_data_hist"), json::parse(R"({"hist": [1, 2, 3, 4]})"));
  EXPECT_THAT(BpfmapOk({"-o", "table", "dump", Pin("globals_data")}),
              HasSubstr("limits.port"));
  // -o bpftool is bpftool's own output, "formatted" included.
  for (const char* pin : {"globals_bss", "globals_data", "_data_hist"}) {
    SCOPED_TRACE(pin);
    RunResult bpftool = Bpftool({"-j", "map", "dump", "pinned", Pin(pin)});
    ASSERT_EQ(bpftool.exit_code, 0) << bpftool.err;
    EXPECT_EQ(json::parse(BpfmapOk({"-o", "bpftool", "dump", Pin(pin)})),
              json::parse(bpftool.out));
  }
}

TEST_F(GlobalsTest, ATypedWriteChangesOnlyTheVariablesItNames) {
  BpfmapOk({"put", Pin("globals_data"), "key", "0", "value",
            R"({"limits": {"port": 9090, "label": "x"}})"});
  json expected = json::parse(R"({"sample_rate": 100, "limits":
      {"max_conns": 64, "port": 9090, "label": "x"}})");
  EXPECT_EQ(Section("globals_data"), expected);
  BpfmapOk({"put", Pin("globals_bss"), "key", "0", "value",
            R"({"drops": 7})"});
  EXPECT_EQ(Section("globals_bss"),
            json::parse(R"({"packets": 0, "drops": 7})"));
  // bpftool reads what bpfmap wrote.
  RunResult bpftool = Bpftool({"-j", "map", "lookup", "pinned",
                               Pin("globals_data"), "key", "0", "0", "0",
                               "0"});
  ASSERT_EQ(bpftool.exit_code, 0) << bpftool.err;
  EXPECT_EQ(json::parse(bpftool.out)["formatted"]["value"][".data"][1]
                ["limits"]["port"],
            9090);
  // Bytes are the whole value; put --file restores whole values.
  std::string snapshot =
      BpfmapOk({"-o", "ndjson", "dump", Pin("globals_data")});
  BpfmapOk({"put", Pin("globals_data"), "key", "0", "value", "hex",
            std::string(40, '0')});
  EXPECT_EQ(Section("globals_data")["sample_rate"], 0);
  RunResult restored = RunProgram(
      "/bin/sh", {"-c", "printf '%s' \"$1\" | \"$2\" put \"$3\" --file -",
                  "sh", snapshot, BpfmapPath(), Pin("globals_data")});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(Section("globals_data"), expected);
}

TEST_F(GlobalsTest, BadWritesChangeNothing) {
  json before = Section("globals_data");
  RunResult unknown = Bpfmap({"put", Pin("globals_data"), "key", "0",
                              "value", R"({"sample_rat": 1})"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err,
              HasSubstr("value.sample_rat: no such field (fields: "
                        "sample_rate, limits)"));
  EXPECT_EQ(Section("globals_data"), before);
  RunResult past = Bpfmap({"put", Pin("globals_data"), "key", "1", "value",
                           R"({"sample_rate": 1})"});
  EXPECT_EQ(past.exit_code, 2) << past.err;
  EXPECT_THAT(past.err, HasSubstr("the index is past the last"));
  EXPECT_EQ(Section("globals_data"), before);
  // .rodata is frozen once loaded: the kernel refuses, nothing changes.
  RunResult frozen = Bpfmap({"put", Pin("globals_rodata"), "key", "0",
                             "value", R"({"debug_level": 3})"});
  EXPECT_EQ(frozen.exit_code, 3);
  EXPECT_THAT(frozen.err, HasSubstr("the map is frozen"));
  EXPECT_EQ(Section("globals_rodata"), json::parse(R"({"debug_level": 2})"));
}

// show says who holds a map: the processes with a descriptor of it, the
// programs that use it, and its pins.
TEST_F(GlobalsTest, ShowSaysWhoHoldsTheMap) {
  int fd = bpf_obj_get(Pin("globals_bss").c_str());
  ASSERT_GE(fd, 0);
  json shown = json::parse(BpfmapOk({"-j", "show", Pin("globals_bss")}));
  close(fd);
  bool found = false;
  for (const json& process : shown["pids"]) {
    if (process["pid"] == getpid()) found = true;
  }
  EXPECT_TRUE(found) << shown.dump();
  ASSERT_EQ(shown["programs"].size(), 1u) << shown.dump();
  EXPECT_EQ(shown["programs"][0]["name"], "count");
  EXPECT_EQ(shown["pinned"], json::array({Pin("globals_bss")}));
  EXPECT_EQ(shown["pids_uninspected"], 0);
  EXPECT_THAT(BpfmapOk({"show", Pin("globals_bss")}),
              HasSubstr("programs count("));
  // A process whose descriptors bpfmap may not read is counted, not hidden.
  ASSERT_EQ(chmod(Pin("globals_bss").c_str(), 0644), 0);
  RunResult nobody = RunAsNobody({"-j", "show", Pin("globals_bss")}, true);
  ASSERT_EQ(nobody.exit_code, 0) << nobody.err;
  EXPECT_GT(json::parse(nobody.out)["pids_uninspected"].get<int>(), 0)
      << nobody.out;
  // -o bpftool stays what Debian's bpftool prints.
  RunResult theirs = Bpftool({"-j", "map", "show", "pinned",
                              Pin("globals_bss")});
  ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
  EXPECT_EQ(json::parse(BpfmapOk({"-o", "bpftool", "show",
                                  Pin("globals_bss")})),
            json::parse(theirs.out));
}

}  // namespace
}  // namespace bpfmap::testing
