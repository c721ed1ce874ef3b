// What bpfmap reports on the paths where a user used to get something wrong:
// stdout is one JSON document on every error path in the JSON formats, a
// failed write is an error and a closed pipe is not, a map whose entries
// cannot be read is an error rather than an empty dump, a name the kernel
// cut is named, a pin that cannot be opened is listed with its reason,
// what /proc or BTF cannot tell is reported, and libbpf never prints by
// itself.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

class ReportingTest : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    BpfmapOk({"create", Pin("h"), "type", "hash", "key", "4", "value", "4",
              "entries", "4"});
    BpfmapOk({"create", Pin("q"), "type", "queue", "key", "0", "value", "4",
              "entries", "2"});
    BpfmapOk({"create", Pin("a"), "type", "array", "key", "4", "value", "4",
              "entries", "2"});
    BpfmapOk({"create", Pin("pea"), "type", "perf_event_array", "key", "4",
              "value", "4", "entries", "2"});
  }

  // Runs `command` with sh -c, bpfmap's path in $BPFMAP.
  RunResult Shell(const std::string& command) const {
    return RunProgram("/bin/bash",
                      {"-c", "BPFMAP='" + BpfmapPath() + "'; " + command});
  }
};

// Every line of `out` is one JSON document (NDJSON), or `out` is one.
void ExpectJson(const std::string& out, bool lines) {
  if (!lines) {
    EXPECT_TRUE(json::accept(out)) << "stdout: " << out;
    return;
  }
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    EXPECT_TRUE(json::accept(line)) << "stdout line: " << line;
  }
}

TEST_F(ReportingTest, JsonFormatsKeepStdoutOneDocumentOnEveryErrorPath) {
  struct Case {
    std::vector<std::string> args;  // after the format option
    int code;
  };
  const std::vector<Case> cases = {
      {{"frob"}, 2},
      {{"dump", Pin("h"), "--frob"}, 2},
      {{"--cpus", "bogus", "dump", Pin("h")}, 2},
      {{"dump"}, 2},
      {{}, 2},
      {{"get", Pin("h"), "key", "999", "0", "0", "0"}, 2},
      {{"dump", Pin("missing")}, 3},
      {{"dump", "name", "no_such_map_x"}, 3},
      {{"dump", Pin("q")}, 4},
      {{"del", Pin("a"), "key", "0", "0", "0", "0"}, 4},
      {{"dump", Pin("pea")}, 4},
      {{"get", Pin("h"), "key", "9", "0", "0", "0"}, 1},
  };
  const std::vector<std::vector<std::string>> modes = {
      {"-j"}, {"-p"}, {"-o", "json"}, {"--output=ndjson"}, {"-o", "bpftool"}};
  for (const std::vector<std::string>& mode : modes) {
    bool lines = mode.back() == "--output=ndjson";
    for (const Case& c : cases) {
      std::vector<std::string> args = mode;
      args.insert(args.end(), c.args.begin(), c.args.end());
      std::string joined;
      for (const std::string& arg : args) joined += " " + arg;
      SCOPED_TRACE("bpfmap" + joined);
      RunResult result = Bpfmap(args);
      EXPECT_EQ(result.exit_code, c.code) << result.err;
      ExpectJson(result.out, lines);
      if (c.code >= 2 && !lines) {
        // Every error is an object on stdout, save bpftool's own listing
        // of a map whose values cannot be read.
        bool listing = mode.back() == "bpftool" && c.args.size() == 2 &&
                       c.args[1] == Pin("pea");
        if (!listing) {
          EXPECT_TRUE(json::parse(result.out).contains("error")) << result.out;
        }
      }
      EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
          << result.err;
    }
  }
}

TEST_F(ReportingTest, AFailedWriteToStdoutIsAnError) {
  RunResult full = Shell("\"$BPFMAP\" -j show " + Pin("h") + " > /dev/full");
  EXPECT_EQ(full.exit_code, 3) << full.err;
  EXPECT_EQ(full.err,
            "bpfmap: write to standard output: No space left on device\n");
}

TEST_F(ReportingTest, AClosedPipeEndsTheRunQuietly) {
  // More output than a pipe holds, so bpfmap is still writing when head
  // has gone.
  BpfmapOk({"create", Pin("big"), "type", "hash", "key", "4", "value", "8",
            "entries", "30000"});
  std::string file = bpffs() + ".entries";
  {
    std::ofstream out(file);
    for (int i = 0; i < 30000; ++i) {
      out << "{\"key\": \"" << fmt::format("{:08x}", i)
          << "\", \"value\": \"0000000000000000\"}\n";
    }
  }
  BpfmapOk({"put", Pin("big"), "--file", file});
  unlink(file.c_str());
  for (const char* signal : {"", "trap '' PIPE; "}) {
    SCOPED_TRACE(*signal ? "SIGPIPE ignored" : "SIGPIPE default");
    RunResult result = Shell(std::string(signal) + "set -o pipefail; \"$BPFMAP\" dump " +
                             Pin("big") + " | head -1 > /dev/null");
    EXPECT_EQ(result.exit_code, 141);
    EXPECT_EQ(result.err, "");
  }
}

TEST_F(ReportingTest, AMapWhoseEntriesCannotBeReadIsAnErrorNotAnEmptyDump) {
  RunResult plain = Bpfmap({"dump", Pin("pea")});
  EXPECT_EQ(plain.exit_code, 4);
  EXPECT_EQ(plain.out, "");
  EXPECT_THAT(plain.err,
              HasSubstr("the kernel does not let user space read entries of "
                        "perf_event_array maps"));
  RunResult json_mode = Bpfmap({"-j", "dump", Pin("pea")});
  EXPECT_EQ(json_mode.exit_code, 4);
  EXPECT_THAT(json::parse(json_mode.out)["error"].get<std::string>(),
              HasSubstr("perf_event_array"));
  // -o bpftool prints what bpftool prints: each key, its error as value.
  RunResult ours = Bpfmap({"-o", "bpftool", "dump", Pin("pea")});
  RunResult theirs = Bpftool({"-j", "map", "dump", "pinned", Pin("pea")});
  EXPECT_EQ(json::parse(ours.out), json::parse(theirs.out));
  EXPECT_EQ(ours.exit_code, 4);
}

TEST_F(ReportingTest, ANameTheKernelCutSaysWhatItKept) {
  std::string name = UniqueMapName("cut") + "_and_then_some";
  std::string kept = name.substr(0, 15);
  ASSERT_EQ(Bpftool({"map", "create", Pin("long"), "type", "hash", "key", "4",
                     "value", "4", "entries", "2", "name", name})
                .exit_code,
            0);
  RunResult result = Bpfmap({"show", "name", name});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err,
              HasSubstr("the kernel keeps the first 15 characters of a map's "
                        "name; use name " + kept + " (map "));
  EXPECT_EQ(Bpfmap({"show", "name", kept}).exit_code, 0);
}

TEST_F(ReportingTest, ListShowsAPinItCannotOpenWithTheReason) {
  ASSERT_EQ(chmod(Pin("h").c_str(), 0600), 0);
  ASSERT_EQ(chmod(Pin("a").c_str(), 0444), 0);
  RunResult result = RunAsNobody({"-j", "list", bpffs()}, true);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  bool listed_h = false, listed_a = false;
  for (const json& item : json::parse(result.out)) {
    if (item["path"] == Pin("h")) {
      listed_h = true;
      EXPECT_THAT(item["error"].get<std::string>(),
                  HasSubstr("Permission denied"));
      EXPECT_FALSE(item.contains("id"));
    }
    if (item["path"] == Pin("a")) {
      listed_a = true;
      EXPECT_FALSE(item.contains("error"));
      EXPECT_EQ(item["type"], "array");
    }
  }
  EXPECT_TRUE(listed_h) << result.out;
  EXPECT_TRUE(listed_a) << result.out;
  RunResult plain = RunAsNobody({"list", bpffs()}, true);
  EXPECT_THAT(plain.out, HasSubstr(Pin("h") + "  error: "));
  // bpftool lists only what it can open, and so does -o bpftool.
  RunResult bpftool = RunAsNobody({"-o", "bpftool", "list", bpffs()}, true);
  EXPECT_THAT(bpftool.out, Not(HasSubstr("\"error\"")));
}

// Decided by probing, not by the version string: where the kernel lacks a
// type, create says which release brought it (exit 4); where it has it,
// create works. A kernel new enough that lacks one fails MissingMapType.
TEST_F(ReportingTest, AMapTypeThisKernelLacksIsUnsupportedNamingTheRelease) {
  struct Case {
    const char* type;
    const char* since;
    std::vector<std::string> sizes;
  };
  const std::vector<Case> cases = {
      {"bloom_filter", "5.16", {"key", "0", "value", "4", "entries", "8"}},
      {"user_ringbuf", "6.1", {"key", "0", "value", "0", "entries", "4096"}},
      {"arena", "6.9",
       {"key", "0", "value", "0", "entries", "1", "flags", "mmapable"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.type);
    std::vector<std::string> args = {"create", Pin(std::string("t_") + c.type),
                                     "type", c.type};
    args.insert(args.end(), c.sizes.begin(), c.sizes.end());
    RunResult result = Bpfmap(args);
    if (MissingMapType(c.type).empty()) {
      EXPECT_EQ(result.exit_code, 0) << result.err;
      continue;
    }
    EXPECT_EQ(result.exit_code, 4) << result.err;
    EXPECT_THAT(result.err, HasSubstr(std::string("needs Linux ") + c.since +
                                      "; this kernel is "));
  }
}

// Array-like maps hold empty slots; draining one key at a time must walk
// past them rather than start again at slot 0 (which spun for ever).
TEST_F(ReportingTest, DrainEndsOnAMapWithEmptySlots) {
  BpfmapOk({"create", Pin("dm"), "type", "devmap", "key", "4", "value", "4",
            "entries", "4"});
  BpfmapOk({"put", Pin("dm"), "key", "2", "0", "0", "0", "value", "1", "0",
            "0", "0"});  // ifindex 1: lo
  RunResult drained = Shell("timeout 30 \"$BPFMAP\" -j dump " + Pin("dm") +
                            " --drain");
  ASSERT_EQ(drained.exit_code, 0) << drained.err;
  EXPECT_EQ(json::parse(drained.out),
            json::parse(R"([{"key":2,"value":{"ifindex":1}}])"));
  EXPECT_EQ(BpfmapOk({"-j", "dump", Pin("dm")}), "[]\n");
}

// A key past the last index of an array is the user's mistake.
TEST_F(ReportingTest, AnIndexPastTheLastIsBadInput) {
  RunResult result = Bpfmap({"put", Pin("a"), "key", "9", "0", "0", "0",
                             "value", "1", "0", "0", "0"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("the index is past the last: the map has "
                                    "2 entries, 0 to 1"));
}

TEST_F(ReportingTest, LibbpfNeverPrintsByItself) {
  RunResult result =
      Bpfmap({"--btf", "/etc/passwd", "create", Pin("t"), "type", "hash",
              "key", "struct nothing", "value", "4", "entries", "1"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
      << result.err;
  EXPECT_THAT(result.err, HasSubstr("--btf /etc/passwd: no BTF could be read"));
  EXPECT_THAT(result.err, Not(HasSubstr("Unknown error")));
  EXPECT_THAT(result.err, Not(HasSubstr("libbpf:")));
  // With --debug its lines are there, marked.
  RunResult debug =
      Bpfmap({"--debug", "--btf", "/etc/passwd", "create", Pin("t"), "type",
              "hash", "key", "struct nothing", "value", "4", "entries", "1"});
  EXPECT_THAT(debug.err, HasSubstr("bpfmap: debug: libbpf: "));
}

// What only /proc says (frozen, memlock, whether an fd is a map) is an
// error when /proc cannot be read, never "frozen no" or "not a BPF map".
// Each run hides a piece of its own /proc in a private mount namespace
// (unshare keeps mounts private; `exec` keeps the shell's pid).
TEST_F(ReportingTest, AnUnreadableProcIsReportedNotGuessed) {
  for (const char* hidden : {"/proc/$$/fdinfo", "/proc/$$/fd"}) {
    SCOPED_TRACE(hidden);
    RunResult result = Shell(fmt::format(
        "exec unshare -m sh -c 'mount -t tmpfs none {} && exec {} -j show {}'",
        hidden, BpfmapPath(), Pin("h")));
    EXPECT_EQ(result.exit_code, 3) << result.err;
    EXPECT_THAT(result.err, HasSubstr("is /proc mounted?"));
    EXPECT_THAT(result.err, Not(HasSubstr("not a BPF map")));
    EXPECT_THAT(result.out, Not(HasSubstr("frozen")));
    ExpectJson(result.out, false);
  }
}

// A map whose BTF the kernel will not hand over (BTF by id needs
// CAP_SYS_ADMIN; the pin opens with CAP_BPF) is dumped as bytes with a
// warning that says why, never silently.
TEST_F(ReportingTest, BtfThatCannotBeReadIsAWarningNotASilentSwitchToBytes) {
  BpfmapOk({"create", Pin("typed"), "type", "hash", "key", "u32", "value",
            "struct counters { u64 packets; }", "entries", "2"});
  BpfmapOk({"put", Pin("typed"), "key", "1", "value", "{\"packets\": 7}"});
  ASSERT_EQ(chmod(Pin("typed").c_str(), 0644), 0);
  RunResult result = RunAsNobody({"dump", Pin("typed")}, true);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("value: 07 00 00 00 00 00 00 00"));
  EXPECT_THAT(result.err, HasSubstr("warning: "));
  EXPECT_THAT(result.err, HasSubstr("showing bytes"));
  EXPECT_THAT(result.err, HasSubstr("reading BTF needs CAP_SYS_ADMIN"));
  RunResult json = RunAsNobody({"-j", "dump", Pin("typed")}, true);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  ExpectJson(json.out, false);
  EXPECT_THAT(json.err, HasSubstr("showing bytes"));
  // With the privilege, the same map reads typed.
  EXPECT_THAT(BpfmapOk({"dump", Pin("typed")}), HasSubstr("packets"));
}

}  // namespace
}  // namespace bpfmap::testing
