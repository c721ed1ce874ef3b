// Every error path: the exit code, one useful line on stderr, and every map
// left as it was.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

class ErrorsTest : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    BpfmapOk({"create", Pin("h"), "type", "hash", "key", "4", "value", "4",
              "entries", "2", "name", UniqueMapName("errs_h")});
    BpfmapOk({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "1", "0",
              "0", "0"});
    BpfmapOk({"create", Pin("q"), "type", "queue", "key", "0", "value", "4",
              "entries", "2"});
    bloom_missing_ = MissingMapType("bloom_filter");
    if (bloom_missing_.empty()) {
      BpfmapOk({"create", Pin("b"), "type", "bloom_filter", "key", "0",
                "value", "4", "entries", "8"});
    }
    BpfmapOk({"create", Pin("a"), "type", "array", "key", "4", "value", "4",
              "entries", "2"});
  }

  // Everything observable about the maps the fixture made.
  std::string Snapshot() {
    std::string state;
    for (const char* name : {"h", "a"}) {
      state += BpfmapOk({"-j", "dump", Pin(name)});
    }
    // Which processes hold a map is not the map's state: another test's
    // `bpfmap list` opens every map on the machine for a moment.
    auto without_holders = [](const std::string& text) {
      json shown = json::parse(text);
      auto erase = [](json& map) {
        map.erase("pids");
        map.erase("pids_uninspected");
      };
      if (shown.is_array()) {
        for (json& map : shown) erase(map);
      } else {
        erase(shown);
      }
      return shown.dump() + "\n";
    };
    for (const char* name : {"h", "q", "b", "a"}) {
      state += without_holders(BpfmapOk({"-j", "show", Pin(name)}));
    }
    state += without_holders(BpfmapOk({"-j", "list", bpffs()}));
    return state;
  }

  // Runs bpfmap, expects `code` and a one-line stderr containing `message`,
  // and checks that no map changed.
  void ExpectRefused(const std::vector<std::string>& args, int code,
                     const std::string& message) {
    std::string before = Snapshot();
    RunResult result = Bpfmap(args);
    std::string joined;
    for (const std::string& arg : args) joined += " " + arg;
    SCOPED_TRACE("bpfmap" + joined);
    EXPECT_EQ(result.exit_code, code) << result.err;
    EXPECT_THAT(result.err, HasSubstr(message));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err;
    EXPECT_EQ(result.err.rfind("bpfmap: ", 0), 0u) << result.err;
    EXPECT_EQ(Snapshot(), before);
  }

  // Why the kernel has no bloom filters, or "" (then the fixture has one).
  std::string bloom_missing_;
};

TEST_F(ErrorsTest, BadBytesAreRefusedBeforeAnyWrite) {
  ExpectRefused({"put", Pin("h"), "key", "256", "0", "0", "0", "value", "1",
                 "0", "0", "0"},
                2, "\"256\" is out of range (0-255)");
  ExpectRefused({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "1",
                 "0", "0", "-1"},
                2, "\"-1\"");
  ExpectRefused({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "0xzz",
                 "0", "0", "0"},
                2, "\"0xzz\" is not a hex byte");
  ExpectRefused({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "09",
                 "0", "0", "0"},
                2, "\"09\" is not an octal byte");
  ExpectRefused({"put", Pin("h"), "key", "hex", "0100000", "value", "1", "0",
                 "0", "0"},
                2, "odd number of digits");
  ExpectRefused({"put", Pin("h"), "key", "hex", "0100000g", "value", "1",
                 "0", "0", "0"},
                2, "'g' is not a hex digit");
  ExpectRefused({"put", Pin("h"), "key", "1", "0", "0", "value", "1", "0",
                 "0", "0"},
                2, "key: the map takes 4 bytes, got 3");
  ExpectRefused({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "1",
                 "0", "0", "0", "0"},
                2, "value: the map takes 4 bytes, got 5");
  ExpectRefused({"get", Pin("h"), "key", "1", "0", "0"}, 2,
                "the map takes 4 bytes, got 3");
  ExpectRefused({"del", Pin("h"), "key", "1", "0", "0", "0", "0"}, 2,
                "the map takes 4 bytes, got 5");
}

TEST_F(ErrorsTest, GrammarErrors) {
  ExpectRefused({"put", Pin("h"), "key", "1", "0", "0", "0"}, 2,
                "'value VALUE' is needed");
  ExpectRefused({"put", Pin("h"), "key", "value", "1", "0", "0", "0"}, 2,
                "'key' needs bytes or a typed value");
  ExpectRefused({"get", Pin("h")}, 2, "'key KEY' is needed");
  ExpectRefused({"get", Pin("h"), "key", "1", "0", "0", "0", "any"}, 2,
                "'any' only goes with put");
  ExpectRefused({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "1",
                 "0", "0", "0", "any", "exist"},
                2, "only one of any, exist, noexist");
  ExpectRefused({"put", Pin("h"), "key", "1", "0", "0", "0", "key", "1", "0",
                 "0", "0", "value", "1", "0", "0", "0"},
                2, "'key' given twice");
  ExpectRefused({"get", Pin("h"), "frob"}, 2, "unexpected 'frob'");
  ExpectRefused({"dump", Pin("h"), "extra"}, 2, "unexpected 'extra'");
  ExpectRefused({"dump"}, 2, "expected MAP");
  ExpectRefused({"dump", "nopath"}, 2, "expected MAP");
  ExpectRefused({"dump", "id", "x"}, 2, "is not a map id");
  ExpectRefused({"dump", "id"}, 2, "'id' needs a value");
  ExpectRefused({"put", Pin("q"), "key", "1", "value", "1", "0", "0", "0"}, 2,
                "'key' does not apply");
  ExpectRefused({"get", Pin("q"), "key", "1"}, 2, "'key' does not apply");
  if (bloom_missing_.empty()) {
    ExpectRefused({"get", Pin("b")}, 2, "'value VALUE' is needed");
    ExpectRefused({"put", Pin("b"), "value", "1", "0", "0", "0", "noexist"}, 2,
                  "a bloom filter takes no any|exist|noexist");
  }
}

TEST_F(ErrorsTest, UsageErrors) {
  ExpectRefused({"frob"}, 2, "unknown command 'frob'");
  ExpectRefused({}, 2, "a command is needed");
  ExpectRefused({"--frob", "dump", Pin("h")}, 2, "--frob");
  ExpectRefused({"dump", Pin("h"), "--frob"}, 2, "--frob");
  ExpectRefused({"-o", "yaml", "dump", Pin("h")}, 2,
                "unknown output format 'yaml'");
  ExpectRefused({"-j", "-o", "plain", "dump", Pin("h")}, 2,
                "-o asks for plain");
}

TEST_F(ErrorsTest, CreateErrors) {
  ExpectRefused({"create", Pin("n"), "type", "hashh", "key", "4", "value",
                 "4", "entries", "4"},
                2, "unknown map type 'hashh'");
  ExpectRefused({"create", Pin("n"), "type", "hash", "key", "4", "value", "4",
                 "entries", "4", "flags", "no_prealoc"},
                2, "unknown flag 'no_prealoc'");
  ExpectRefused({"create", Pin("n"), "type", "hash", "key", "4", "value", "4",
                 "entries", "4", "name", "a_name_that_is_too_long"},
                2, "at most 15");
  ExpectRefused({"create", Pin("n"), "type", "hash", "key", "4", "value", "4",
                 "entries", "4", "name", "bad-name"},
                2, "character '-' is not allowed");
  ExpectRefused({"create", Pin("n"), "type", "hash", "key", "4", "value", "4"},
                2, "'entries' is needed");
  ExpectRefused({"create", Pin("n"), "type", "hash", "key", "four", "value",
                 "4", "entries", "4"},
                2, "create: key 'four': unknown type 'four'");
  ExpectRefused({"create", Pin("n"), "type", "hash", "key", "4x", "value",
                 "4", "entries", "4"},
                2, "key size: '4x' is not a number");
  ExpectRefused({"create", Pin("n"), "type", "hash", "key", "4", "key", "4",
                 "value", "4", "entries", "4"},
                2, "'key' given twice");
  ExpectRefused({"create", Pin("n"), "type", "hash_of_maps", "key", "4",
                 "value", "4", "entries", "4"},
                2, "needs inner_map MAP");
  // The kernel refuses these attributes: exit 3, and nothing is pinned.
  ExpectRefused({"create", Pin("n"), "type", "hash", "key", "0", "value", "4",
                 "entries", "4"},
                3, "Invalid argument");
  // An existing pin is refused and left alone.
  ExpectRefused({"create", Pin("h"), "type", "array", "key", "4", "value",
                 "4", "entries", "4"},
                3, "refusing to replace");
  // Not on a bpffs, or no parent: refused before anything is created.
  ExpectRefused({"create", "/tmp/bpfmap-not-bpffs-pin", "type", "hash", "key",
                 "4", "value", "4", "entries", "4"},
                3, "is not on a bpffs");
  ExpectRefused({"create", Pin("no/such/dir/m"), "type", "hash", "key", "4",
                 "value", "4", "entries", "4"},
                3, "No such file or directory");
}

TEST_F(ErrorsTest, AnswersOfNoExitOne) {
  ExpectRefused({"get", Pin("h"), "key", "2", "0", "0", "0"}, 1,
                "key 02 00 00 00 not found in map");
  ExpectRefused({"del", Pin("h"), "key", "2", "0", "0", "0"}, 1,
                "not found");
  ExpectRefused({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "7",
                 "0", "0", "0", "noexist"},
                1, "already exists");
  ExpectRefused({"put", Pin("h"), "key", "2", "0", "0", "0", "value", "7",
                 "0", "0", "0", "exist"},
                1, "not found");
  ExpectRefused({"get", Pin("q")}, 1, "is empty");
  ExpectRefused({"del", Pin("q")}, 1, "is empty");
  if (bloom_missing_.empty()) {
    ExpectRefused({"get", Pin("b"), "value", "1", "2", "3", "4"}, 1,
                  "is not in");
  }
}

TEST_F(ErrorsTest, WhatTheMapTypeCannotDoExitsFour) {
  // Decided by bpfmap from the map's type, before any call to the kernel.
  ExpectRefused({"dump", Pin("q")}, 4, "which supports push, peek and pop");
  ExpectRefused({"del", Pin("a"), "key", "0", "0", "0", "0"}, 4,
                "del: map ");
  ExpectRefused({"del", Pin("a"), "key", "0", "0", "0", "0"}, 4,
                "is of type array, which has no delete: every index always "
                "exists (write zeros instead)");
  ExpectRefused({"del", Pin("a"), "--all"}, 4, "which has no delete");
  ExpectRefused({"dump", Pin("a"), "--drain"}, 4, "which has no delete");
  if (bloom_missing_.empty()) {
    ExpectRefused({"del", Pin("b"), "value", "1", "0", "0", "0"}, 4,
                  "which supports add and membership tests");
  }
}

TEST_F(ErrorsTest, SystemRefusalsExitThree) {
  ExpectRefused({"dump", Pin("missing")}, 3, "No such file or directory");
  ExpectRefused({"dump", "id", "4000000000"}, 3, "id 4000000000");
  ExpectRefused({"dump", "name", "no_such_map_x"}, 3,
                "name no_such_map_x: no map has this name");
  ExpectRefused({"list", Pin("missing-dir")}, 3, "No such file or directory");
  // The fixture's hash holds 2 entries; the third is refused.
  BpfmapOk({"put", Pin("h"), "key", "2", "0", "0", "0", "value", "2", "0",
            "0", "0"});
  ExpectRefused({"put", Pin("h"), "key", "3", "0", "0", "0", "value", "3",
                 "0", "0", "0"},
                3, "map is full (2 entries)");
}

TEST_F(ErrorsTest, AmbiguousNameListsIds) {
  BpfmapOk({"create", Pin("h2"), "type", "hash", "key", "4", "value", "4",
            "entries", "2", "name", UniqueMapName("errs_h")});
  ExpectRefused({"dump", "name", UniqueMapName("errs_h")}, 2,
                "2 maps have this name (ids ");
}

TEST_F(ErrorsTest, FrozenMapIsReadableButNotWritable) {
  BpfmapOk({"create", Pin("fz"), "type", "hash", "key", "4", "value", "4",
            "entries", "2"});
  BpfmapOk({"put", Pin("fz"), "key", "1", "0", "0", "0", "value", "1", "0",
            "0", "0"});
  ASSERT_EQ(Bpftool({"map", "freeze", "pinned", Pin("fz")}).exit_code, 0);
  EXPECT_EQ(json::parse(BpfmapOk({"-j", "show", Pin("fz")}))["frozen"], true);
  EXPECT_EQ(BpfmapOk({"get", Pin("fz"), "key", "1", "0", "0", "0"}),
            "key: 01 00 00 00  value: 01 00 00 00\n");
  std::string before = BpfmapOk({"-j", "dump", Pin("fz")});
  RunResult put = Bpfmap({"put", Pin("fz"), "key", "1", "0", "0", "0",
                          "value", "2", "0", "0", "0"});
  EXPECT_EQ(put.exit_code, 3);
  EXPECT_THAT(put.err, HasSubstr("Operation not permitted"));
  RunResult del = Bpfmap({"del", Pin("fz"), "key", "1", "0", "0", "0"});
  EXPECT_EQ(del.exit_code, 3);
  EXPECT_EQ(BpfmapOk({"-j", "dump", Pin("fz")}), before);
}

TEST_F(ErrorsTest, JsonModeKeepsStdoutValidJson) {
  RunResult error = Bpfmap({"-j", "dump", Pin("missing")});
  EXPECT_EQ(error.exit_code, 3);
  json parsed = json::parse(error.out);
  EXPECT_THAT(parsed["error"].get<std::string>(),
              HasSubstr("No such file or directory"));
  RunResult no = Bpfmap({"-j", "get", Pin("h"), "key", "9", "0", "0", "0"});
  EXPECT_EQ(no.exit_code, 1);
  EXPECT_EQ(no.out, "null\n");
  RunResult bad = Bpfmap({"-j", "get", Pin("h"), "key", "999", "0", "0", "0"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(json::parse(bad.out).contains("error"));
}

TEST_F(ErrorsTest, UnprivilegedUserGetsTheHint) {
  std::ifstream sysctl("/proc/sys/kernel/unprivileged_bpf_disabled");
  int disabled = 0;
  if (!(sysctl >> disabled) || disabled == 0) {
    GTEST_SKIP() << "unprivileged bpf() is allowed on this machine";
  }
  RunResult result = RunAsNobody({"create", Pin("unpriv"), "type", "hash",
                                  "key", "4", "value", "4", "entries", "4"},
                                 /*with_cap_bpf=*/false);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("(needs root or CAP_BPF)"));
  struct stat st;
  EXPECT_NE(stat(Pin("unpriv").c_str(), &st), 0);
}

// Reading commands open maps read-only, so a user whom file permissions let
// read a pin but not write it can still get, dump and show it (bpftool
// opens read-write and is refused).
TEST_F(ErrorsTest, ReadingCommandsWorkOnAPinTheUserMayOnlyRead) {
  ASSERT_EQ(chmod(Pin("h").c_str(), 0444), 0);
  EXPECT_EQ(RunAsNobody({"dump", Pin("h")}, true).out,
            "key: 01 00 00 00  value: 01 00 00 00\n");
  EXPECT_EQ(RunAsNobody({"get", Pin("h"), "key", "1", "0", "0", "0"}, true)
                .exit_code,
            0);
  EXPECT_EQ(RunAsNobody({"show", Pin("h")}, true).exit_code, 0);
  std::string before = BpfmapOk({"-j", "dump", Pin("h")});
  RunResult put = RunAsNobody({"put", Pin("h"), "key", "1", "0", "0", "0",
                               "value", "2", "0", "0", "0"},
                              true);
  EXPECT_EQ(put.exit_code, 3);
  EXPECT_THAT(put.err, HasSubstr("Permission denied"));
  EXPECT_EQ(BpfmapOk({"-j", "dump", Pin("h")}), before);
}

}  // namespace
}  // namespace bpfmap::testing
