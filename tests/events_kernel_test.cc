// Maps real tracers stream through and keep per object
// (tests/testdata/tracer.bpf.c, written as libbpf-tools write theirs): a
// ring buffer and a perf event array filled by a program on the raw
// sys_enter tracepoint when this process calls getppid(), a spin-locked
// value, task storage and a user ring buffer.
#include <bpf/bpf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kFixture = "tests/testdata/tracer.bpf.c";
constexpr const char* kEventType =
    "struct event { u32 pid; u32 seq; s64 stack_id; char comm[16]; }";

class EventsTest : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    LoadFixture(kFixture);
    if (HasFatalFailure()) return;
    // The program records this process only.
    BpfmapOk({"put", Pin("tracer_bss"), "key", "0", "value",
              "{\"target_tgid\": " + std::to_string(getpid()) + "}"});
    int prog = bpf_obj_get(Pin("progs/trace_getppid").c_str());
    ASSERT_GE(prog, 0) << "open the pinned program";
    link_ = bpf_raw_tracepoint_open("sys_enter", prog);
    close(prog);
    ASSERT_GE(link_, 0) << "attach to raw_tp/sys_enter";
  }

  void TearDown() override {
    if (link_ >= 0) close(link_);
    KernelTest::TearDown();
  }

  // Calls getppid() `n` times: one event each.
  static void Trigger(int n) {
    for (int i = 0; i < n; ++i) syscall(SYS_getppid);
  }

  // The records `events` prints as NDJSON, typed as struct event.
  std::vector<json> Records(std::vector<std::string> args) const {
    std::vector<std::string> full = {"-o", "ndjson", "--value-type",
                                     kEventType, "events"};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<json> records;
    for (const std::string& line : Lines(BpfmapOk(full))) {
      records.push_back(json::parse(line));
    }
    return records;
  }

  int link_ = -1;
};

TEST_F(EventsTest, RingBufferIsReadInPlaceWithoutTakingRecords) {
  Trigger(3);
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass);
    std::vector<json> records = Records({Pin("rb"), "--timeout", "0"});
    ASSERT_EQ(records.size(), 3u);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(records[i]["size"], 32);
      EXPECT_EQ(records[i]["record"]["pid"], getpid());
      EXPECT_EQ(records[i]["record"]["seq"], i);
      EXPECT_FALSE(records[i].contains("cpu"));
    }
  }
  // --where: the records a program wrote, chosen by their fields or bytes;
  // --count counts those.
  std::vector<json> odd = Records({Pin("rb"), "--timeout", "0", "--where",
                                   "seq == 1 or seq == 2"});
  ASSERT_EQ(odd.size(), 2u);
  EXPECT_EQ(odd[0]["record"]["seq"], 1);
  EXPECT_EQ(Records({Pin("rb"), "--timeout", "0", "--count", "1", "--where",
                     "seq >= 1"})[0]["record"]["seq"],
            1);
  EXPECT_EQ(json::parse(BpfmapOk({"-j", "events", Pin("rb"), "--timeout", "0",
                                  "--where", "value[4:8] == 99"})),
            json::array());
  RunResult bad = Bpfmap({"--value-type", kEventType, "events", Pin("rb"),
                          "--timeout", "0", "--where", "sequence == 1"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("bpfmap: events: --where: column 1: no "
                                 "field sequence"));
  // --count stops early; -j is one array however it stops.
  json two = json::parse(BpfmapOk({"-j", "events", Pin("rb"), "--count", "2"}));
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0]["record"].get<std::string>().size(), 64u);  // hex
  // --consume takes them: a second read finds none.
  EXPECT_EQ(Records({Pin("rb"), "--consume", "--timeout", "0"}).size(), 3u);
  EXPECT_EQ(json::parse(BpfmapOk({"-j", "events", Pin("rb"), "--timeout",
                                  "0"})),
            json::array());
  // New records arrive while it waits.
  std::thread trigger([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    Trigger(2);
  });
  std::vector<json> later =
      Records({Pin("rb"), "--consume", "--count", "2", "--timeout", "20"});
  trigger.join();
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[1]["record"]["seq"], 4);
}

TEST_F(EventsTest, StackTracesShowAsKernelSymbols) {
  Trigger(1);
  std::vector<json> records = Records({Pin("rb"), "--timeout", "0"});
  ASSERT_EQ(records.size(), 1u);
  int64_t stack_id = records[0]["record"]["stack_id"];
  ASSERT_GE(stack_id, 0) << "bpf_get_stackid failed";
  json dump = json::parse(BpfmapOk({"-j", "dump", Pin("stacks")}));
  ASSERT_EQ(dump.size(), 1u);
  EXPECT_EQ(dump[0]["key"], stack_id);
  bool in_syscall = false;
  for (const json& frame : dump[0]["value"]) {
    EXPECT_EQ(frame["address"].get<std::string>().rfind("0xffff", 0), 0u)
        << frame;
    if (frame.value("symbol", "").find("do_syscall_64") == 0) {
      in_syscall = true;
    }
  }
  EXPECT_TRUE(in_syscall) << dump.dump();
  // Plain and table: one line of frames.
  std::string id = std::to_string(stack_id);
  EXPECT_THAT(BpfmapOk({"get", Pin("stacks"), "key", id}),
              HasSubstr("do_syscall_64+0x"));
  EXPECT_THAT(BpfmapOk({"-o", "table", "dump", Pin("stacks")}),
              HasSubstr("stack"));
  // --value-type retypes the frames, not the stack ids.
  EXPECT_THAT(BpfmapOk({"--value-type", "u64[127]", "get", Pin("stacks"),
                        "key", id}),
              HasSubstr("["));
  // Only the kernel writes stacks.
  RunResult put = Bpfmap({"put", Pin("stacks"), "key", id, "value", "hex",
                          std::string(127 * 16, '0')});
  EXPECT_EQ(put.exit_code, 4);
  EXPECT_THAT(put.err, HasSubstr("only the kernel writes stacks"));
  // --hex and -o bpftool keep the bytes.
  json bpftool = json::parse(BpfmapOk({"-o", "bpftool", "dump", Pin("stacks")}));
  EXPECT_EQ(bpftool[0]["value"].size(), 127u * 8);
}

TEST_F(EventsTest, RecordsOfAnotherSizeAreBytesWithAWarning) {
  Trigger(1);
  RunResult result = Bpfmap({"-j", "--value-type", "u64", "events", Pin("rb"),
                             "--timeout", "0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  json records = json::parse(result.out);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(records[0]["record"].is_string());
  EXPECT_THAT(result.err, HasSubstr("a record of 32 bytes is not a u64"));
  // Plain: one line, as bytes.
  EXPECT_THAT(BpfmapOk({"events", Pin("rb"), "--timeout", "0"}),
              HasSubstr("record: "));
}

TEST_F(EventsTest, PerfEventArrayOnlyWithTake) {
  RunResult refused = Bpfmap({"events", Pin("events"), "--timeout", "0"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("add --take"));
  RunResult dump = Bpfmap({"dump", Pin("events")});
  EXPECT_EQ(dump.exit_code, 4);
  EXPECT_THAT(dump.err, HasSubstr("bpfmap events MAP --take"));

  // Records made while bpfmap holds the array reach it, with CPU and time.
  RunResult taken;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    taken = RunProgram(BpfmapPath(),
                       {"-o", "ndjson", "--value-type", kEventType, "events",
                        Pin("events"), "--take", "--count", "2", "--timeout",
                        "30"});
    done = true;
  });
  // Events until the reader has its two (it exits then) or gives up.
  while (!done) {
    Trigger(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  reader.join();
  ASSERT_EQ(taken.exit_code, 0) << taken.err;
  EXPECT_THAT(taken.err, HasSubstr("replaced"));
  std::vector<std::string> lines = Lines(taken.out);
  ASSERT_EQ(lines.size(), 2u) << taken.out;
  for (const std::string& line : lines) {
    json record = json::parse(line);
    EXPECT_TRUE(record["cpu"].is_number());
    EXPECT_GT(record["time_ns"].get<uint64_t>(), 0u);
    EXPECT_EQ(record["record"]["pid"], getpid());
    // A perf sample pads 32 bytes to 36; the type still applies.
    EXPECT_EQ(record["size"], 36);
  }
}

TEST_F(EventsTest, WhatCannotBeReadSaysWhatToUse) {
  RunResult dump = Bpfmap({"dump", Pin("rb")});
  EXPECT_EQ(dump.exit_code, 4);
  EXPECT_THAT(dump.err, HasSubstr("bpfmap events MAP"));
  RunResult json_dump = Bpfmap({"-j", "dump", Pin("rb")});
  EXPECT_EQ(json_dump.exit_code, 4);
  EXPECT_TRUE(json::parse(json_dump.out).contains("error"));

  RunResult user = Bpfmap({"events", Pin("commands")});
  EXPECT_EQ(user.exit_code, 4);
  EXPECT_THAT(user.err, HasSubstr("user ring buffer"));
  RunResult hash = Bpfmap({"events", Pin("locked_stats")});
  EXPECT_EQ(hash.exit_code, 2);
  EXPECT_THAT(hash.err, HasSubstr("events reads ringbuf and perf_event_array"));
  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{
           {"events", Pin("rb"), "--take"},
           {"events", Pin("events"), "--consume"},
           {"events", Pin("rb"), "--count", "0"},
           {"events", Pin("rb"), "--timeout", "soon"},
           {"--key-type", "u32", "events", Pin("rb")}}) {
    RunResult result = Bpfmap(bad);
    EXPECT_EQ(result.exit_code, 2) << bad.back() << ": " << result.err;
    EXPECT_EQ(Lines(result.err).size(), 1u) << result.err;
  }
  RunResult storage = Bpfmap({"dump", Pin("task_stats")});
  EXPECT_EQ(storage.exit_code, 4);
  EXPECT_THAT(storage.err, HasSubstr("key pid PID"));
}

TEST_F(EventsTest, UserRingBufferTakesRecords) {
  BpfmapOk({"put", Pin("commands"), "value", "1", "2", "3", "4"});
  BpfmapOk({"--value-type", "struct cmd { u32 op; u64 arg; }", "put",
            Pin("commands"), "value", "{\"op\": 1, \"arg\": 2}"});
  RunResult keyed = Bpfmap({"put", Pin("commands"), "key", "0", "value", "1"});
  EXPECT_EQ(keyed.exit_code, 2);
  std::vector<std::string> huge = {"put", Pin("commands"), "value", "hex",
                                   std::string(2 * 4096, 'a')};
  RunResult too_big = Bpfmap(huge);
  EXPECT_EQ(too_big.exit_code, 2);
  EXPECT_THAT(too_big.err, HasSubstr("cannot fit"));
  // Nothing drains it: records of 1,000 bytes fill its 4,096 soon.
  RunResult full;
  for (int i = 0; i < 8 && full.exit_code != 3; ++i) {
    full = Bpfmap({"put", Pin("commands"), "value", "hex",
                   std::string(2 * 1000, 'b')});
  }
  EXPECT_EQ(full.exit_code, 3) << full.err;
  EXPECT_THAT(full.err, HasSubstr("full until the program drains it"));
}

TEST_F(EventsTest, SpinLockedValuesAreReadAndWrittenUnderTheLock) {
  BpfmapOk({"put", Pin("locked_stats"), "key", "0", "value",
            "{\"packets\": 5, \"bytes\": 100}", "lock"});
  json got = json::parse(
      BpfmapOk({"-j", "get", Pin("locked_stats"), "key", "0", "--lock"}));
  EXPECT_EQ(got["value"]["packets"], 5);
  EXPECT_EQ(got["value"]["bytes"], 100);
  RunResult dump = Bpfmap({"--debug", "-j", "dump", Pin("locked_stats")});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  EXPECT_EQ(json::parse(dump.out)[0]["value"]["packets"], 5);
  EXPECT_THAT(dump.err, HasSubstr("BPF_F_LOCK"));
  // bpftool reads what bpfmap wrote.
  RunResult bpftool = Bpftool({"-j", "map", "lookup", "pinned",
                               Pin("locked_stats"), "key", "0", "0", "0", "0"});
  ASSERT_EQ(bpftool.exit_code, 0) << bpftool.err;
  EXPECT_EQ(json::parse(bpftool.out)["formatted"]["value"]["packets"], 5);

  // A typed value without a lock: refused, naming the type.
  BpfmapOk({"create", Pin("typed"), "type", "hash", "key", "u32", "value",
            "struct nolock { u64 a; }", "entries", "4"});
  BpfmapOk({"put", Pin("typed"), "key", "1", "value", "{\"a\": 1}"});
  RunResult typed_lock = Bpfmap({"get", Pin("typed"), "key", "1", "--lock"});
  EXPECT_EQ(typed_lock.exit_code, 2);
  EXPECT_THAT(typed_lock.err, HasSubstr("(struct nolock) hold no bpf_spin_lock"));
  RunResult typed_put_lock = Bpfmap(
      {"put", Pin("typed"), "key", "1", "value", "{\"a\": 2}", "lock"});
  EXPECT_EQ(typed_put_lock.exit_code, 2);
  // Byte tokens for a typed key: an out-of-range byte is named.
  RunResult byte = Bpfmap({"get", Pin("typed"), "key", "256", "0", "0", "0"});
  EXPECT_EQ(byte.exit_code, 2);
  EXPECT_THAT(byte.err, HasSubstr("out of range"));
  // A map without BTF holds no lock: refused before the kernel is asked.
  BpfmapOk({"create", Pin("plain"), "type", "hash", "key", "4", "value", "8",
            "entries", "4"});
  BpfmapOk({"put", Pin("plain"), "key", "0", "0", "0", "0", "value", "hex",
            "0100000000000000"});
  RunResult no_lock =
      Bpfmap({"get", Pin("plain"), "key", "0", "0", "0", "0", "--lock"});
  EXPECT_EQ(no_lock.exit_code, 2);
  EXPECT_THAT(no_lock.err, HasSubstr("no bpf_spin_lock"));
  RunResult get_lock_word =
      Bpfmap({"get", Pin("plain"), "key", "0", "0", "0", "0", "lock"});
  EXPECT_EQ(get_lock_word.exit_code, 2);
  // Nothing takes `lock` where no lock can be.
  RunResult record_lock =
      Bpfmap({"put", Pin("commands"), "value", "1", "lock"});
  EXPECT_EQ(record_lock.exit_code, 2);
  RunResult file_lock = Bpfmap({"put", Pin("plain"), "--file", "-", "lock"});
  EXPECT_EQ(file_lock.exit_code, 2);
  EXPECT_THAT(file_lock.err, HasSubstr("take no lock"));
}

TEST_F(EventsTest, TaskStorageIsKeyedByProcess) {
  std::string pid = std::to_string(getpid());
  BpfmapOk({"put", Pin("task_stats"), "key", "pid", pid, "value",
            "{\"calls\": 3, \"last_ns\": 7}"});
  json got =
      json::parse(BpfmapOk({"-j", "get", Pin("task_stats"), "key", "pid", pid}));
  EXPECT_EQ(got, json::parse(R"({"value": {"calls": 3, "last_ns": 7}})"));
  RunResult again = Bpfmap({"put", Pin("task_stats"), "key", "pid", pid,
                            "value", "{\"calls\": 4}", "noexist"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("pid " + pid + " already has a value"));
  json theirs = json::parse(BpfmapOk(
      {"-o", "bpftool", "get", Pin("task_stats"), "key", "pid", pid}));
  EXPECT_FALSE(theirs["formatted"].contains("key")) << theirs.dump();
  BpfmapOk({"del", Pin("task_stats"), "key", "pid", pid});
  RunResult gone = Bpfmap({"get", Pin("task_stats"), "key", "pid", pid});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_THAT(gone.err, HasSubstr("no value for pid " + pid));
  // A process that is gone names no value: the key is wrong.
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  RunResult gone_process = Bpfmap(
      {"get", Pin("task_stats"), "key", "pid", std::to_string(child)});
  EXPECT_EQ(gone_process.exit_code, 2) << gone_process.err;
  EXPECT_THAT(gone_process.err, HasSubstr("there is no process"));
  // Socket storage takes another process's descriptor; one it lacks is
  // the key's fault.
  BpfmapOk({"create", Pin("socks"), "type", "sk_storage", "value", "u64"});
  RunResult no_fd = Bpfmap({"get", Pin("socks"), "key", "socket", pid,
                            "100000"});
  EXPECT_EQ(no_fd.exit_code, 2) << no_fd.err;
  EXPECT_THAT(no_fd.err, HasSubstr("has no descriptor 100000"));
  for (const std::vector<std::string>& key :
       std::vector<std::vector<std::string>>{
           {"0", "0", "0", "0"}, {"pid", "x"}, {"cgroup", "/sys/fs/cgroup"}}) {
    std::vector<std::string> args = {"get", Pin("task_stats"), "key"};
    args.insert(args.end(), key.begin(), key.end());
    RunResult bad = Bpfmap(args);
    EXPECT_EQ(bad.exit_code, 2) << key[0] << ": " << bad.err;
    EXPECT_THAT(bad.err, HasSubstr("key"));
  }
}

TEST_F(EventsTest, CreatesRingBuffersAndStorageMaps) {
  BpfmapOk({"create", Pin("rb2"), "type", "ringbuf", "entries", "8192"});
  RunResult shown = Bpftool({"-j", "map", "show", "pinned", Pin("rb2")});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(json::parse(shown.out)["type"], "ringbuf");
  EXPECT_EQ(json::parse(shown.out)["max_entries"], 8192);
  EXPECT_EQ(json::parse(BpfmapOk({"-j", "events", Pin("rb2"), "--timeout",
                                  "0"})),
            json::array());
  BpfmapOk({"create", Pin("tasks"), "type", "task_storage", "value",
            "struct seen { u64 calls; }"});
  std::string pid = std::to_string(getpid());
  BpfmapOk({"put", Pin("tasks"), "key", "pid", pid, "value", "{\"calls\": 9}"});
  EXPECT_EQ(json::parse(BpfmapOk(
                {"-j", "get", Pin("tasks"), "key", "pid", pid}))["value"],
            json::parse(R"({"calls": 9})"));
  // Inode storage, keyed by a file; a FIFO is named, never opened for real
  // (which would block).
  BpfmapOk({"create", Pin("inodes"), "type", "inode_storage", "value",
            "struct seen { u64 opens; }"});
  std::string fifo = bpffs() + ".fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  BpfmapOk({"put", Pin("inodes"), "key", "file", fifo, "value",
            "{\"opens\": 2}"});
  json inode = json::parse(
      BpfmapOk({"-j", "get", Pin("inodes"), "key", "file", fifo}));
  unlink(fifo.c_str());
  EXPECT_EQ(inode["value"]["opens"], 2);
  // A kind only a loader can make is refused with the reason.
  RunResult ops = Bpfmap({"create", Pin("ops"), "type", "struct_ops", "key",
                          "4", "value", "8", "entries", "1"});
  EXPECT_EQ(ops.exit_code, 4);
  EXPECT_THAT(ops.err, HasSubstr("only a loader registering struct_ops"));
  RunResult entries = Bpfmap({"create", Pin("tasks2"), "type", "task_storage",
                              "value", "u64", "entries", "16"});
  EXPECT_EQ(entries.exit_code, 2);
  EXPECT_THAT(entries.err, HasSubstr("entries 0"));
}

TEST_F(EventsTest, CgroupStorageIsKeyedByCgroup) {
  SKIP_WITHOUT_MAP_TYPE("cgrp_storage");
  // A cgroup2 hierarchy of the test's own (the machine may run cgroup v1).
  std::string cgroups = bpffs() + ".cgroup";
  ASSERT_EQ(mkdir(cgroups.c_str(), 0755), 0);
  ASSERT_EQ(mount("cgroup2", cgroups.c_str(), "cgroup2", 0, nullptr), 0)
      << std::strerror(errno);
  std::string group = cgroups + "/bpfmap-test";
  mkdir(group.c_str(), 0755);
  BpfmapOk({"create", Pin("cgroups"), "type", "cgrp_storage", "value",
            "struct seen { u64 bytes; }"});
  BpfmapOk({"put", Pin("cgroups"), "key", "cgroup", group, "value",
            "{\"bytes\": 4096}"});
  json got = json::parse(
      BpfmapOk({"-j", "get", Pin("cgroups"), "key", "cgroup", group}));
  rmdir(group.c_str());
  umount2(cgroups.c_str(), MNT_DETACH);
  rmdir(cgroups.c_str());
  EXPECT_EQ(got["value"]["bytes"], 4096);
  RunResult not_cgroup = Bpfmap(
      {"get", Pin("cgroups"), "key", "cgroup", "/tmp"});
  EXPECT_EQ(not_cgroup.exit_code, 2);
  EXPECT_THAT(not_cgroup.err, HasSubstr("not a cgroup v2 directory"));
}

}  // namespace
}  // namespace bpfmap::testing
