// Hostile input and faults, each as a table against live maps. Hostile
// input: exit 2, one line on stderr naming what was wrong, every map as it
// was. Faults and limits: exit 3, a message of their own, nothing lost.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

struct Case {
  std::vector<std::string> args;
  std::string message;
};

class HostileTest : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    LoadFixture("tests/testdata/typed_maps.bpf.c");
    BpfmapOk({"create", Pin("h"), "type", "hash", "key", "4", "value", "4",
              "entries", "2", "name", UniqueMapName("hostile_h")});
    BpfmapOk({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "1", "0",
              "0", "0"});
    BpfmapOk({"put", Pin("typed_hash"), "key", R"({"ip": 1})", "value",
              R"({"mode": "MODE_ON", "tag": "abc"})"});
  }
  void TearDown() override {
    for (const std::string& file : files_) unlink(file.c_str());
    KernelTest::TearDown();
  }

  // Everything observable about the maps.
  // The maps' entries and what show and list say of them, but for which
  // processes hold them: another test's `show` of every map holds each for
  // a moment, and that is no change to the map.
  std::string Snapshot() {
    auto without_holders = [](json map) {
      map.erase("pids");
      map.erase("pids_uninspected");
      return map;
    };
    std::string state;
    for (const char* name : {"h", "typed_hash", "typed_counters", "typed_lpm"}) {
      state += BpfmapOk({"--hex", "-j", "dump", Pin(name)});
      state += without_holders(
                   json::parse(BpfmapOk({"-j", "show", Pin(name)})))
                   .dump();
    }
    json list = json::parse(BpfmapOk({"-j", "list", bpffs()}));
    for (json& map : list) map = without_holders(map);
    return state + list.dump();
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = bpffs() + "." + name;
    std::ofstream(path, std::ios::binary) << text;
    files_.push_back(path);
    return path;
  }

  void ExpectRefused(const Case& c, int code) {
    std::string joined;
    for (const std::string& arg : c.args) {
      joined += " " + (arg.size() > 80 ? arg.substr(0, 60) + "..." : arg);
    }
    SCOPED_TRACE("bpfmap" + joined);
    std::string before = Snapshot();
    RunResult result = Bpfmap(c.args);
    EXPECT_EQ(result.exit_code, code) << result.err;
    EXPECT_THAT(result.err, HasSubstr(c.message));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << result.err.substr(0, 400);
    EXPECT_EQ(result.err.rfind("bpfmap: ", 0), 0u);
    EXPECT_LT(result.err.size(), 1000u) << "an error line should be short";
    EXPECT_EQ(Snapshot(), before);
  }

  std::vector<std::string> files_;
};

TEST_F(HostileTest, HostileInputExitsTwoAndChangesNothing) {
  std::string hash = Pin("h"), typed = Pin("typed_hash");
  std::string counters = Pin("typed_counters");
  int cpus = libbpf_num_possible_cpus();
  std::vector<std::string> wrong_cpus = {"put", counters, "key", "1",
                                         "values"};
  for (int i = 0; i <= cpus; ++i) wrong_cpus.push_back("{}");
  // One bad line among a million good ones, at the very end.
  std::string million;
  million.reserve(40u << 20);
  for (int i = 0; i < 1000000; ++i) {
    million += "{\"key\":\"01000000\",\"value\":\"02000000\"}\n";
  }
  million += "{\"key\":\"01000000\",\"value\":\"020000\"}\n";
  std::string megabyte_value =
      "{\"key\":\"01000000\",\"value\":\"" + std::string(1 << 20, 'a') + "\"}";
  std::vector<Case> cases = {
      {{"put", hash, "key", "1", "0", "0", "value", "1", "0", "0", "0"},
       "key: the map takes 4 bytes, got 3"},
      {{"put", hash, "key", "256", "0", "0", "0", "value", "1", "0", "0", "0"},
       "key: byte 1 \"256\""},
      {{"put", typed, "key", R"({"ip": 1})", "value",
        R"({"range": {"lo": 4294967296}})"},
       "value.range.lo: 4294967296 does not fit in u32"},
      {{"put", typed, "key", R"({"ip": -1})", "value", "{}"},
       "key.ip: -1 does not fit in u32"},
      {{"put", typed, "key", R"({"ip": 1})", "value",
        "{\"delta\": " + std::string(300, '9') + "}"},
       "value.delta: 99999999999999999999999999999999... (300 characters) "
       "does not fit in s64"},
      {{"put", hash, "key", "", "value", "1", "0", "0", "0"},
       "key: byte 1 \"\" is empty"},
      {{"put", typed, "key", "", "value", "{}"},
       "key: struct flow_key takes a JSON object"},
      {{"put", hash, "key", "hex", std::string(120000, '0'), "value", "1",
        "0", "0", "0"},
       "key: the map takes 4 bytes, got 60000"},
      {{"put", hash, "--file", WriteFile("megabyte", megabyte_value)},
       ".megabyte:1: value: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa... (1048578 "
       "characters) is not 4 bytes as a string of hex digits"},
      {{"put", typed, "key", R"({"ip": 1})", "value",
        std::string(10000, '[') + std::string(10000, ']')},
       "value: JSON nests more than 64 levels deep"},
      {{"put", typed, "key", R"({"ip": 1})", "value", "{\"tag\": \"\xff\"}"},
       "ill-formed UTF-8"},
      {{"put", typed, "key", R"({"ip": 1})", "value", R"({"tag": "a\u0000b"})"},
       "value.tag: the string holds a NUL character"},
      {{"put", typed, "key", R"({"ip": 1})", "value", R"({"tag": "123456789"})"},
       "value.tag: \"123456789\" is 9 bytes; char[8] holds at most 8"},
      {{"put", typed, "key", R"({"ip": 1, "ip": 2})", "value", "{}"},
       "key.ip: given twice"},
      {{"put", typed, "key", R"({"ip": 1})", "value", R"({"colour": 1})"},
       "value.colour: no such field"},
      {{"put", typed, "key", R"({"ip": 1})", "value", R"({"mode": "MODE_X"})"},
       "value.mode: no enumerator \"MODE_X\""},
      {wrong_cpus, "values: " + std::to_string(cpus + 1) + " given"},
      {{"frob", hash}, "unknown command 'frob'"},
      {{"--frob", "dump", hash}, "--frob"},
      {{"dump", hash, "--frob"}, "--frob"},
      {{"create", Pin("new"), "type", "hash", "key", "4", "value", "4",
        "entries", "1", "flags", "nope"},
       "create: flags: unknown flag 'nope'"},
      {{"create", Pin("new"), "type", "hashh", "key", "4", "value", "4",
        "entries", "1"},
       "unknown map type 'hashh'"},
      {{"create", Pin("new"), "type", "hash", "key", "4", "value", "4",
        "entries", "1", "flags", "wronly"},
       "create: flags: wronly lasts only as long as the creating file "
       "descriptor"},
      {{"create", Pin("new"), "type", "hash", "key", "4", "value", "4",
        "entries", "1", "name", "bad name!"},
       "create: name 'bad name!': character ' ' is not allowed"},
      {{"create", Pin("new"), "type", "hash", "key", "4", "value", "4",
        "entries", "1", "name", "much_too_long_a_name"},
       "create: name 'much_too_long_a_name'"},
      {{"put", hash, "--file",
        WriteFile("truncated", "{\"key\":\"01000000\",\"val")},
       "invalid JSON"},
      {{"put", hash, "--file",
        WriteFile("binary", std::string("\x7f" "ELF\x02\x01\x01\0\0", 9))},
       "invalid JSON"},
      {{"put", hash, "--file",
        WriteFile("nul_tail",
                  std::string("{\"key\":\"01000000\",\"value\":\"02000000\"}"
                              "\0\0\0\n", 42))},
       ".nul_tail:1: invalid JSON at byte 38: a NUL byte"},
      {{"put", hash, "--file",
        WriteFile("nul_array",
                  std::string("[{\"key\":\"01000000\",\"value\":\"02000000\"}]"
                              "\0\0", 41))},
       "invalid JSON at byte 40: a NUL byte"},
      {{"put", hash, "--file", WriteFile("million", million)},
       ":1000001: value: \"020000\" is not 4 bytes as a string of hex digits"},
      {{"--cpus", "avg", "dump", counters}, "--cpus: unknown fold 'avg'"},
      {{"-o", "yaml", "dump", hash}, "unknown output format 'yaml'"},
      {{"get", hash, "key", "1", "0", "0", "0", "value", "1"},
       "'value' does not apply"},
  };
  for (const Case& c : cases) ExpectRefused(c, 2);
  EXPECT_NE(access(Pin("new").c_str(), F_OK), 0);
}

TEST_F(HostileTest, FaultsAndLimitsExitThreeWithTheirOwnMessage) {
  // A full map.
  BpfmapOk({"put", Pin("h"), "key", "2", "0", "0", "0", "value", "2", "0",
            "0", "0"});
  std::string three;
  for (int i = 3; i < 6; ++i) {
    three += "{\"key\":\"0" + std::to_string(i) + "000000\",\"value\":\"00000000\"}\n";
  }
  // A frozen map.
  BpfmapOk({"create", Pin("frozen"), "type", "hash", "key", "4", "value",
            "4", "entries", "2"});
  BpfmapOk({"put", Pin("frozen"), "key", "1", "0", "0", "0", "value", "1",
            "0", "0", "0"});
  ASSERT_EQ(Bpftool({"map", "freeze", "pinned", Pin("frozen")}).exit_code, 0);
  // A map id that is gone by the time it is used.
  BpfmapOk({"create", Pin("gone"), "type", "hash", "key", "4", "value", "4",
            "entries", "2"});
  std::string gone_id = std::to_string(
      json::parse(BpfmapOk({"-j", "show", Pin("gone")}))["id"].get<int>());
  ASSERT_EQ(unlink(Pin("gone").c_str()), 0);  // the last reference
  // A map created read-only for user space.
  BpfmapOk({"create", Pin("rdonly"), "type", "hash", "key", "4", "value",
            "4", "entries", "2", "flags", "rdonly"});
  // Maps the kernel will not freeze: values with a spin lock, and a map a
  // process has mapped writable.
  const std::string locked_value =
      "struct locked { struct bpf_spin_lock lock; u32 n; }";
  BpfmapOk({"create", Pin("locked"), "type", "hash", "key", "u32", "value",
            locked_value, "entries", "2", "--btf", "/sys/kernel/btf/vmlinux"});
  // Whether this kernel freezes such a map is the kernel's to say (6.1
  // does, 6.18 refuses): bpftool, a peer, asks it on a twin.
  BpfmapOk({"create", Pin("locked_twin"), "type", "hash", "key", "u32",
            "value", locked_value, "entries", "2", "--btf",
            "/sys/kernel/btf/vmlinux"});
  bool freezes_locked =
      Bpftool({"map", "freeze", "pinned", Pin("locked_twin")}).exit_code == 0;
  BpfmapOk({"create", Pin("mapped"), "type", "array", "key", "4", "value",
            "8", "entries", "512", "flags", "mmapable"});
  int mapped_fd = bpf_obj_get(Pin("mapped").c_str());
  ASSERT_GE(mapped_fd, 0);
  void* mapping = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
                       mapped_fd, 0);
  ASSERT_NE(mapping, MAP_FAILED);
  BpfmapOk({"create", Pin("q"), "type", "queue", "key", "0", "value", "4",
            "entries", "2"});
  BpfmapOk({"create", Pin("a"), "type", "array", "key", "4", "value", "4",
            "entries", "2"});
  std::vector<Case> cases = {
      {{"put", Pin("h"), "key", "3", "0", "0", "0", "value", "3", "0", "0",
        "0"},
       "map is full (2 entries)"},
      {{"put", Pin("h"), "--file", WriteFile("three", three)},
       "0 of 3 entries were written before it"},
      {{"put", Pin("frozen"), "key", "1", "0", "0", "0", "value", "2", "0",
        "0", "0"},
       "the map is frozen: it can be read, not changed"},
      {{"del", Pin("frozen"), "key", "1", "0", "0", "0"},
       "the map is frozen"},
      {{"del", Pin("frozen"), "--all"}, "the map is frozen"},
      {{"put", Pin("rdonly"), "key", "1", "0", "0", "0", "value", "2", "0",
        "0", "0"},
       "the map is frozen: it can be read, not changed"},
      {{"put", Pin("rdonly"), "--file", WriteFile("one", three)},
       "the map is frozen"},
      {{"create", "/tmp/bpfmap-not-bpffs-pin", "type", "hash", "key", "4",
        "value", "4", "entries", "1"},
       "is not on a bpffs"},
      {{"create", Pin("no/such/dir/m"), "type", "hash", "key", "4", "value",
        "4", "entries", "1"},
       "No such file or directory"},
      {{"create", Pin("h"), "type", "hash", "key", "4", "value", "4",
        "entries", "1"},
       "refusing to replace what is already there"},
      {{"get", "id", gone_id, "key", "1", "0", "0", "0"},
       "id " + gone_id},
      {{"freeze", Pin("mapped")}, "a process has the map mapped writable"},
  };
  for (const Case& c : cases) ExpectRefused(c, 3);
  // What the kernel or the map's type cannot do at all: exit 4.
  std::vector<Case> unsupported = {
      {{"dump", Pin("q")}, "which supports push, peek and pop"},
      {{"dump", Pin("a"), "--drain"}, "which has no delete"},
      {{"del", Pin("a"), "--all"}, "which has no delete"},
  };
  std::vector<std::string> freeze_locked = {"freeze", Pin("locked")};
  std::vector<std::string> create_locked_rdonly = {
      "create", Pin("locked_rdonly"), "type", "hash", "key", "u32", "value",
      locked_value, "entries", "2", "flags", "rdonly", "--btf",
      "/sys/kernel/btf/vmlinux"};
  if (!freezes_locked) {
    unsupported.push_back(
        {freeze_locked,
         "freeze: Operation not supported (the kernel does not freeze maps "
         "whose values hold a bpf_spin_lock"});
    unsupported.push_back(
        {create_locked_rdonly,
         "freeze: Operation not supported (the kernel does not freeze maps"});
  }
  for (const Case& c : unsupported) ExpectRefused(c, 4);
  if (freezes_locked) {
    BpfmapOk(freeze_locked);
    BpfmapOk(create_locked_rdonly);
  }
  EXPECT_EQ(access(Pin("locked_rdonly").c_str(), F_OK) == 0, freezes_locked);
  EXPECT_EQ(json::parse(BpfmapOk({"-j", "show", Pin("locked")}))["frozen"],
            freezes_locked);
  EXPECT_EQ(json::parse(BpfmapOk({"-j", "show", Pin("mapped")}))["frozen"],
            false);
  munmap(mapping, 4096);
  close(mapped_fd);
  // Without privileges: the hint says what is needed.
  std::ifstream sysctl("/proc/sys/kernel/unprivileged_bpf_disabled");
  int disabled = 0;
  if (sysctl >> disabled && disabled != 0) {
    std::string before = Snapshot();
    RunResult unprivileged = RunAsNobody(
        {"put", Pin("h"), "key", "1", "0", "0", "0", "value", "9", "0", "0",
         "0"},
        /*with_cap_bpf=*/false);
    EXPECT_EQ(unprivileged.exit_code, 3);
    EXPECT_THAT(unprivileged.err,
                HasSubstr("(needs read and write permission on the pin, and "
                          "root or CAP_BPF)"));
    EXPECT_EQ(Snapshot(), before);
  }
  // A pin the user may only read: reading works, writing is refused.
  ASSERT_EQ(chmod(Pin("h").c_str(), 0444), 0);
  std::string before = Snapshot();
  RunResult read_only = RunAsNobody({"put", Pin("h"), "key", "1", "0", "0",
                                     "0", "value", "9", "0", "0", "0"},
                                    /*with_cap_bpf=*/true);
  EXPECT_EQ(read_only.exit_code, 3);
  EXPECT_THAT(read_only.err,
              HasSubstr("Permission denied (needs read and write permission "
                        "on the pin"));
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace bpfmap::testing
