// Every command on real maps of every kind, through the built binary.
#include <bpf/libbpf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

class CommandsTest : public KernelTest {
 protected:
  void Create(const std::string& name, const std::string& type, int key,
              int value, int entries,
              const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"create",     Pin(name),
                                     "type",       type,
                                     "key",        std::to_string(key),
                                     "value",      std::to_string(value),
                                     "entries",    std::to_string(entries)};
    args.insert(args.end(), extra.begin(), extra.end());
    BpfmapOk(args);
  }
  json Json(const std::vector<std::string>& args) {
    std::vector<std::string> with_j = {"-j"};
    with_j.insert(with_j.end(), args.begin(), args.end());
    std::string out = BpfmapOk(with_j);
    return json::parse(out);
  }
};

TEST_F(CommandsTest, HashRoundTripInEveryFormat) {
  Create("h", "hash", 4, 8, 16, {"name", UniqueMapName("flows")});
  BpfmapOk({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "hex",
            "0102030405060708"});
  BpfmapOk({"put", Pin("h"), "key", "0x02", "0", "0", "00", "value", "8", "7",
            "6", "5", "4", "3", "2", "1"});

  EXPECT_EQ(BpfmapOk({"get", Pin("h"), "key", "1", "0", "0", "0"}),
            "key: 01 00 00 00  value: 01 02 03 04 05 06 07 08\n");
  EXPECT_EQ(Json({"get", Pin("h"), "key", "hex", "01000000"}),
            json::parse(R"({"key":"01000000","value":"0102030405060708"})"));

  json dump = Json({"dump", Pin("h")});
  ASSERT_EQ(dump.size(), 2u);
  json expected = json::parse(
      R"([{"key":"01000000","value":"0102030405060708"},
          {"key":"02000000","value":"0807060504030201"}])");
  std::sort(dump.begin(), dump.end());
  EXPECT_EQ(dump, expected);

  RunResult plain = Bpfmap({"dump", Pin("h")});
  EXPECT_EQ(plain.exit_code, 0);
  EXPECT_THAT(plain.out,
              HasSubstr("key: 02 00 00 00  value: 08 07 06 05 04 03 02 01\n"));
  EXPECT_THAT(plain.err, HasSubstr("Found 2 elements"));

  BpfmapOk({"del", Pin("h"), "key", "1", "0", "0", "0"});
  EXPECT_EQ(Json({"dump", Pin("h")}).size(), 1u);
  EXPECT_EQ(Bpfmap({"get", Pin("h"), "key", "1", "0", "0", "0"}).exit_code, 1);
}

TEST_F(CommandsTest, PrettyJsonParsesAndIsIndented) {
  Create("h", "hash", 4, 4, 4);
  BpfmapOk({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "2", "0", "0",
            "0"});
  std::string out = BpfmapOk({"-p", "dump", Pin("h")});
  EXPECT_THAT(out, HasSubstr("\n  {\n    \"key\": \"01000000\""));
  EXPECT_EQ(json::parse(out).size(), 1u);
}

TEST_F(CommandsTest, OptionsMayFollowTheCommand) {
  Create("h", "hash", 4, 4, 4);
  BpfmapOk({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "2", "0", "0",
            "0"});
  EXPECT_EQ(json::parse(BpfmapOk({"dump", Pin("h"), "-j"})).size(), 1u);
  EXPECT_EQ(json::parse(BpfmapOk({"dump", Pin("h"), "-o", "json"})).size(),
            1u);
  EXPECT_TRUE(json::parse(BpfmapOk({"show", Pin("h"), "--json"})).is_object());
}

TEST_F(CommandsTest, ShowReportsWhatCreateAsked) {
  // A '.' is allowed in a name (the kernel's rule); the pid keeps it unique.
  const std::string name = UniqueMapName("stats.v1");
  Create("a", "array", 4, 8, 32, {"name", name, "flags", "mmapable"});
  json info = Json({"show", Pin("a")});
  EXPECT_EQ(info["type"], "array");
  EXPECT_EQ(info["name"], name);
  EXPECT_EQ(info["flags"], 1024);
  EXPECT_EQ(info["key_size"], 4);
  EXPECT_EQ(info["value_size"], 8);
  EXPECT_EQ(info["max_entries"], 32);
  EXPECT_EQ(info["btf_id"], 0);
  EXPECT_EQ(info["frozen"], false);
  EXPECT_GT(info["id"].get<int>(), 0);
  for (const char* field : {"id", "type", "name", "flags", "key_size",
                            "value_size", "max_entries", "btf_id", "frozen"}) {
    EXPECT_TRUE(info.contains(field)) << field;
  }
  EXPECT_THAT(BpfmapOk({"show", Pin("a")}),
              HasSubstr("type array  name " + name +
                        "  flags 0x400  key 4B  value 8B  max_entries 32"));
  EXPECT_FALSE(info.contains("key_type")) << "no BTF, no type names";
  // Typed maps name their types; bloom filters their hash functions.
  BpfmapOk({"create", Pin("typed"), "type", "hash", "key", "u32", "value",
            "struct stats { u64 packets; }", "entries", "4"});
  json typed = Json({"show", Pin("typed")});
  EXPECT_EQ(typed["key_type"], "u32");
  EXPECT_EQ(typed["value_type"], "struct stats");
  EXPECT_THAT(BpfmapOk({"show", Pin("typed")}),
              HasSubstr("key_type 'u32'  value_type 'struct stats'"));
  SKIP_WITHOUT_MAP_TYPE("bloom_filter");
  Create("bloom", "bloom_filter", 0, 4, 64, {});
  EXPECT_EQ(Json({"show", Pin("bloom")})["hash_funcs"], 5);
}

TEST_F(CommandsTest, MapReferencesByPathPinnedIdAndName) {
  const std::string name = UniqueMapName("bpfmap_ref_t");
  Create("h", "hash", 4, 4, 4, {"name", name});
  BpfmapOk({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "9", "0", "0",
            "0"});
  int id = Json({"show", Pin("h")})["id"];
  std::vector<std::string> key = {"key", "1", "0", "0", "0"};
  for (std::vector<std::string> ref :
       {std::vector<std::string>{Pin("h")},
        std::vector<std::string>{"pinned", Pin("h")},
        std::vector<std::string>{"id", std::to_string(id)},
        std::vector<std::string>{"name", name}}) {
    std::vector<std::string> args = {"get"};
    args.insert(args.end(), ref.begin(), ref.end());
    args.insert(args.end(), key.begin(), key.end());
    EXPECT_EQ(BpfmapOk(args), "key: 01 00 00 00  value: 09 00 00 00\n")
        << ref[0];
  }
}

TEST_F(CommandsTest, ArrayHasEveryIndexAndRefusesDelete) {
  Create("a", "array", 4, 4, 3);
  BpfmapOk({"put", Pin("a"), "key", "2", "0", "0", "0", "value", "7", "0", "0",
            "0"});
  json dump = Json({"dump", Pin("a")});
  ASSERT_EQ(dump.size(), 3u);
  EXPECT_EQ(dump[2], json::parse(R"({"key":"02000000","value":"07000000"})"));
  RunResult del = Bpfmap({"del", Pin("a"), "key", "2", "0", "0", "0"});
  EXPECT_EQ(del.exit_code, 4);
  EXPECT_THAT(del.err, HasSubstr("is of type array, which has no delete"));
}

class PerCpuTest : public CommandsTest,
                   public ::testing::WithParamInterface<const char*> {};

TEST_P(PerCpuTest, OneValueGoesToEveryCpu) {
  Create("m", GetParam(), 4, 4, 8);
  BpfmapOk({"put", Pin("m"), "key", "1", "0", "0", "0", "value", "5", "0", "0",
            "0"});
  json entry = Json({"get", Pin("m"), "key", "1", "0", "0", "0"});
  EXPECT_EQ(entry["key"], "01000000");
  ASSERT_EQ(entry["values"].size(), static_cast<size_t>(libbpf_num_possible_cpus()));
  for (size_t cpu = 0; cpu < entry["values"].size(); ++cpu) {
    EXPECT_EQ(entry["values"][cpu]["cpu"], cpu);
    EXPECT_EQ(entry["values"][cpu]["value"], "05000000");
  }
  std::string plain = BpfmapOk({"get", Pin("m"), "key", "1", "0", "0", "0"});
  EXPECT_THAT(plain, HasSubstr("key: 01 00 00 00  value (cpu 0): 05 00 00 00"));
  EXPECT_EQ(std::count(plain.begin(), plain.end(), '\n'), 1);
  json dump = Json({"dump", Pin("m")});
  EXPECT_FALSE(dump.empty());
}

INSTANTIATE_TEST_SUITE_P(Types, PerCpuTest,
                         ::testing::Values("percpu_hash", "percpu_array",
                                           "lru_percpu_hash"));

class KeyedTypeTest : public CommandsTest,
                      public ::testing::WithParamInterface<const char*> {};

TEST_P(KeyedTypeTest, PutGetDumpDel) {
  Create("m", GetParam(), 4, 8, 16);
  BpfmapOk({"put", Pin("m"), "key", "3", "0", "0", "0", "value", "hex",
            "1122334455667788"});
  EXPECT_EQ(Json({"get", Pin("m"), "key", "3", "0", "0", "0"})["value"],
            "1122334455667788");
  json dump = Json({"dump", Pin("m")});
  ASSERT_EQ(dump.size(), 1u);
  BpfmapOk({"del", Pin("m"), "key", "3", "0", "0", "0"});
  EXPECT_TRUE(Json({"dump", Pin("m")}).empty());
}

INSTANTIATE_TEST_SUITE_P(Types, KeyedTypeTest,
                         ::testing::Values("hash", "lru_hash"));

TEST_F(CommandsTest, LpmTrieLongestPrefixMatch) {
  // Key: 4-byte prefix length, then 4 bytes of IPv4 address.
  Create("lpm", "lpm_trie", 8, 4, 16);
  BpfmapOk({"put", Pin("lpm"), "key", "8", "0", "0", "0", "10", "0", "0", "0",
            "value", "1", "0", "0", "0"});
  BpfmapOk({"put", Pin("lpm"), "key", "24", "0", "0", "0", "10", "1", "2", "0",
            "value", "2", "0", "0", "0"});
  // A /32 lookup finds the longest matching prefix.
  EXPECT_EQ(Json({"get", Pin("lpm"), "key", "32", "0", "0", "0", "10", "1",
                  "2", "3"})["value"],
            "02000000");
  EXPECT_EQ(Json({"get", Pin("lpm"), "key", "32", "0", "0", "0", "10", "9",
                  "9", "9"})["value"],
            "01000000");
  EXPECT_EQ(Json({"dump", Pin("lpm")}).size(), 2u);
  BpfmapOk({"del", Pin("lpm"), "key", "24", "0", "0", "0", "10", "1", "2",
            "0"});
  EXPECT_EQ(Json({"dump", Pin("lpm")}).size(), 1u);
}

TEST_F(CommandsTest, QueueIsFifoThroughPutGetDel) {
  Create("q", "queue", 0, 4, 4);
  BpfmapOk({"put", Pin("q"), "value", "1", "0", "0", "0"});
  BpfmapOk({"push", Pin("q"), "value", "2", "0", "0", "0"});
  EXPECT_EQ(BpfmapOk({"get", Pin("q")}), "value: 01 00 00 00\n");
  EXPECT_EQ(Json({"peek", Pin("q")}), json::parse(R"({"value":"01000000"})"));
  EXPECT_EQ(BpfmapOk({"del", Pin("q")}), "value: 01 00 00 00\n");
  EXPECT_EQ(Json({"pop", Pin("q")}), json::parse(R"({"value":"02000000"})"));
  RunResult empty = Bpfmap({"del", Pin("q")});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_THAT(empty.err, HasSubstr("is empty"));
  EXPECT_EQ(Bpfmap({"get", Pin("q")}).exit_code, 1);
}

TEST_F(CommandsTest, StackIsLifoAndAcceptsBpftoolAliases) {
  Create("s", "stack", 0, 4, 4);
  BpfmapOk({"enqueue", Pin("s"), "value", "1", "0", "0", "0"});
  BpfmapOk({"update", Pin("s"), "value", "2", "0", "0", "0"});
  EXPECT_EQ(BpfmapOk({"dequeue", Pin("s")}), "value: 02 00 00 00\n");
  EXPECT_EQ(BpfmapOk({"delete", Pin("s")}), "value: 01 00 00 00\n");
}

TEST_F(CommandsTest, BloomFilterAddAndMembership) {
  SKIP_WITHOUT_MAP_TYPE("bloom_filter");
  Create("b", "bloom_filter", 0, 4, 64);
  BpfmapOk({"put", Pin("b"), "value", "1", "2", "3", "4"});
  RunResult present = Bpfmap({"get", Pin("b"), "value", "1", "2", "3", "4"});
  EXPECT_EQ(present.exit_code, 0);
  EXPECT_EQ(present.out, "value: 01 02 03 04\n");
  RunResult absent = Bpfmap({"lookup", Pin("b"), "value", "9", "9", "9", "9"});
  EXPECT_EQ(absent.exit_code, 1);
  EXPECT_THAT(absent.err, HasSubstr("is not in"));
  EXPECT_EQ(Bpfmap({"-j", "get", Pin("b"), "value", "9", "9", "9", "9"}).out,
            "null\n");
}

TEST_F(CommandsTest, CreatesEveryTypeThatNeedsOnlyAttributes) {
  struct Case {
    const char* type;
    int key, value, entries;
    std::vector<std::string> extra;
  };
  std::vector<Case> cases = {
      {"hash", 4, 4, 4, {}},
      {"array", 4, 4, 4, {}},
      {"prog_array", 4, 4, 4, {}},
      {"perf_event_array", 4, 4, 4, {}},
      {"percpu_hash", 4, 4, 4, {}},
      {"percpu_array", 4, 4, 4, {}},
      {"stack_trace", 4, 1016, 4, {}},
      {"cgroup_array", 4, 4, 4, {}},
      {"lru_hash", 4, 4, 4, {}},
      {"lru_percpu_hash", 4, 4, 4, {}},
      {"lpm_trie", 8, 4, 4, {"flags", "no_prealloc"}},
      {"devmap", 4, 4, 4, {}},
      {"sockmap", 4, 4, 4, {}},
      {"cpumap", 4, 4, 4, {}},
      {"xskmap", 4, 4, 4, {}},
      {"sockhash", 4, 4, 4, {}},
      {"cgroup_storage", 8, 8, 0, {}},
      {"reuseport_sockarray", 4, 4, 4, {}},
      {"percpu_cgroup_storage", 8, 8, 0, {}},
      {"queue", 0, 4, 4, {}},
      {"stack", 0, 4, 4, {}},
      {"devmap_hash", 4, 4, 4, {}},
      {"ringbuf", 0, 0, 4096, {}},
      {"bloom_filter", 0, 4, 4, {}},
      {"user_ringbuf", 0, 0, 4096, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.type);
    // Fails, too, where the kernel is new enough to have had the type.
    if (!MissingMapType(c.type).empty()) continue;
    Create(std::string("t_") + c.type, c.type, c.key, c.value, c.entries,
           c.extra);
    EXPECT_EQ(Json({"show", Pin(std::string("t_") + c.type)})["type"], c.type);
  }
}

TEST_F(CommandsTest, LpmTrieGetsNoPreallocWithoutAsking) {
  Create("lpm", "lpm_trie", 8, 4, 4);
  EXPECT_EQ(Json({"show", Pin("lpm")})["flags"], 1);
}

TEST_F(CommandsTest, ListFindsMapsRecursivelyAndSkipsOtherObjects) {
  ASSERT_EQ(mkdir(Pin("sub").c_str(), 0700), 0);
  Create("top", "hash", 4, 4, 4);
  Create("sub/inner", "array", 4, 4, 4);
  json list = Json({"list", bpffs()});
  // A new bpffs also holds the kernel's maps.debug/progs.debug iterators,
  // which are not maps.
  ASSERT_EQ(list.size(), 2u) << list.dump();
  EXPECT_EQ(list[0]["path"], Pin("sub/inner"));
  EXPECT_EQ(list[0]["type"], "array");
  EXPECT_EQ(list[1]["path"], Pin("top"));
  // Who holds each: nothing but its pin here.
  EXPECT_EQ(list[1]["pids"], json::array());
  EXPECT_EQ(list[1]["pinned"], json::array({Pin("top")}));
  EXPECT_THAT(BpfmapOk({"-o", "table", "list", bpffs()}),
              HasSubstr("pids  programs"));
  std::string plain = BpfmapOk({"list", bpffs()});
  EXPECT_THAT(plain, HasSubstr(Pin("top") + "  id "));
  // With no DIR, every mounted bpffs is searched, ours included.
  json all = Json({"list"});
  bool found = false;
  for (const json& item : all) found |= item["path"] == Pin("top");
  EXPECT_TRUE(found);
}

TEST_F(CommandsTest, MutationsPrintNullInJson) {
  EXPECT_EQ(Bpfmap({"-j", "create", Pin("h"), "type", "hash", "key", "4",
                    "value", "4", "entries", "4"})
                .out,
            "null\n");
  EXPECT_EQ(Bpfmap({"-j", "put", Pin("h"), "key", "1", "0", "0", "0", "value",
                    "1", "0", "0", "0"})
                .out,
            "null\n");
  EXPECT_EQ(Bpfmap({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "1",
                    "0", "0", "0"})
                .out,
            "");
}

TEST_F(CommandsTest, DebugLogsGoToStderr) {
  Create("h", "hash", 4, 4, 4);
  RunResult result = Bpfmap({"-d", "-j", "dump", Pin("h")});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(json::parse(result.out).is_array());
  EXPECT_THAT(result.err, HasSubstr("bpfmap: debug: opened pinned "));
  EXPECT_THAT(result.err, HasSubstr("read-only"));
  EXPECT_THAT(result.err, HasSubstr("reading with batch calls"));
  EXPECT_EQ(Bpfmap({"-j", "dump", Pin("h")}).err, "");
}

TEST_F(CommandsTest, FreezeKeepsTheMapAsItIsForUserSpace) {
  Create("h", "hash", 4, 4, 4);
  BpfmapOk({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "7", "0",
            "0", "0"});
  EXPECT_EQ(Bpfmap({"-j", "freeze", Pin("h")}).out, "null\n");
  EXPECT_EQ(Json({"show", Pin("h")})["frozen"], true);
  EXPECT_EQ(json::parse(Bpftool({"-j", "map", "show", "pinned", Pin("h")}).out)
                ["frozen"],
            1);
  RunResult put = Bpfmap({"put", Pin("h"), "key", "2", "0", "0", "0",
                          "value", "1", "0", "0", "0"});
  EXPECT_EQ(put.exit_code, 3);
  EXPECT_THAT(put.err, HasSubstr("the map is frozen"));
  EXPECT_EQ(Bpfmap({"del", Pin("h"), "key", "1", "0", "0", "0"}).exit_code, 3);
  // Reading is as before; freezing again changes nothing and succeeds.
  EXPECT_EQ(Json({"--hex", "dump", Pin("h")}).size(), 1u);
  EXPECT_EQ(Bpfmap({"freeze", Pin("h")}).exit_code, 0);
  EXPECT_EQ(Bpfmap({"freeze", Pin("nothing")}).exit_code, 3);
}

TEST_F(CommandsTest, CreateRdonlyMakesAFrozenMapAndRefusesWronly) {
  RunResult created = Bpfmap({"-d", "create", Pin("ro"), "type", "hash",
                              "key", "4", "value", "4", "entries", "4",
                              "flags", "rdonly"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.err, HasSubstr("rdonly is kept by freezing the map"));
  // Through a fresh descriptor, as any later process sees it.
  EXPECT_EQ(Json({"show", Pin("ro")})["frozen"], true);
  EXPECT_EQ(json::parse(Bpftool({"-j", "map", "show", "pinned", Pin("ro")})
                            .out)["frozen"],
            1);
  EXPECT_NE(Bpftool({"map", "update", "pinned", Pin("ro"), "key", "1", "0",
                     "0", "0", "value", "1", "0", "0", "0"})
                .exit_code,
            0);
  EXPECT_EQ(Bpfmap({"put", Pin("ro"), "key", "1", "0", "0", "0", "value",
                    "1", "0", "0", "0"})
                .exit_code,
            3);
  RunResult wronly = Bpfmap({"create", Pin("wo"), "type", "hash", "key", "4",
                             "value", "4", "entries", "4", "flags", "wronly"});
  EXPECT_EQ(wronly.exit_code, 2);
  EXPECT_THAT(wronly.err, HasSubstr("create: flags: wronly"));
  EXPECT_NE(access(Pin("wo").c_str(), F_OK), 0);
}

// getnext walks the keys in the kernel's order, as bpftool's does: from the
// first key to an answer of no after the last.
TEST_F(CommandsTest, GetNextWalksEveryKeyInTheKernelsOrder) {
  BpfmapOk({"create", Pin("walk"), "type", "hash", "key", "u32", "value",
            "u64", "entries", "16"});
  std::set<uint32_t> put = {3, 5, 8, 13};
  for (uint32_t key : put) {
    BpfmapOk({"put", Pin("walk"), "key", std::to_string(key), "value", "1"});
  }
  std::set<uint32_t> seen;
  json next = json::parse(BpfmapOk({"-j", "getnext", Pin("walk")}));
  EXPECT_TRUE(next["key"].is_null());
  for (size_t i = 0; i < put.size(); ++i) {
    uint32_t key = next["next_key"].get<uint32_t>();
    EXPECT_TRUE(seen.insert(key).second) << key;
    // bpftool agrees on what follows.
    std::vector<std::string> bytes;
    for (int b = 0; b < 4; ++b) bytes.push_back(std::to_string(key >> 8 * b & 255));
    std::vector<std::string> args = {"-j", "map", "getnext", "pinned",
                                     Pin("walk"), "key"};
    args.insert(args.end(), bytes.begin(), bytes.end());
    RunResult theirs = Bpftool(args);
    RunResult ours = Bpfmap({"-o", "bpftool", "getnext", Pin("walk"), "key",
                             std::to_string(key)});
    if (i + 1 == put.size()) {
      EXPECT_EQ(ours.exit_code, 1) << ours.err;
      EXPECT_THAT(ours.err, HasSubstr("no key after"));
      EXPECT_NE(theirs.exit_code, 0);
      break;
    }
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    EXPECT_EQ(json::parse(ours.out), json::parse(theirs.out));
    next = json::parse(BpfmapOk({"-j", "getnext", Pin("walk"), "key",
                                 std::to_string(key)}));
  }
  EXPECT_EQ(seen, put);
  BpfmapOk({"create", Pin("empty"), "type", "hash", "key", "4", "value", "4",
            "entries", "2"});
  EXPECT_EQ(Bpfmap({"getnext", Pin("empty")}).exit_code, 1);
  BpfmapOk({"create", Pin("fifo"), "type", "queue", "key", "0", "value", "4",
            "entries", "2"});
  RunResult queue = Bpfmap({"getnext", Pin("fifo")});
  EXPECT_EQ(queue.exit_code, 4) << queue.err;
}

TEST_F(CommandsTest, PinGivesALiveMapAnotherName) {
  BpfmapOk({"create", Pin("first"), "type", "array", "key", "4", "value",
            "4", "entries", "2"});
  BpfmapOk({"pin", Pin("first"), Pin("second")});
  BpfmapOk({"put", Pin("second"), "key", "1", "0", "0", "0", "value", "7",
            "0", "0", "0"});
  EXPECT_THAT(BpfmapOk({"get", Pin("first"), "key", "1", "0", "0", "0"}),
              HasSubstr("07 00 00 00"));
  ASSERT_EQ(unlink(Pin("first").c_str()), 0);
  EXPECT_EQ(Bpfmap({"show", Pin("second")}).exit_code, 0);
  RunResult taken = Bpfmap({"pin", Pin("second"), Pin("second")});
  EXPECT_EQ(taken.exit_code, 3);
  EXPECT_THAT(taken.err, HasSubstr("refusing to replace"));
  RunResult elsewhere = Bpfmap({"pin", Pin("second"), "/tmp/not-bpffs"});
  EXPECT_EQ(elsewhere.exit_code, 3);
  EXPECT_THAT(elsewhere.err, HasSubstr("is not on a bpffs"));
  RunResult no_path = Bpfmap({"-j", "pin", Pin("second")});
  EXPECT_EQ(no_path.exit_code, 2);
  EXPECT_THAT(no_path.err, HasSubstr("PATH is needed"));
  EXPECT_TRUE(json::accept(no_path.out));
}

}  // namespace
}  // namespace bpfmap::testing
