// Whole-map work at scale: batched and one-by-one iteration agree, bulk
// load and bulk delete, draining, and a dump racing writers.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/kernel/map_batch.h"
#include "core/kernel/map_handle.h"
#include "core/model/map_ref.h"
#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

class BulkTest : public KernelTest {
 protected:
  // A map created by bpfmap and filled with `count` entries: key i, value
  // i * 3 (little-endian, in every CPU's slot).
  void CreateFilled(const std::string& name, const std::string& type,
                    uint32_t key_size, uint32_t value_size, uint32_t entries,
                    uint32_t count) {
    std::vector<std::string> create = {"create", Pin(name), "type", type,
                                       "key", std::to_string(key_size),
                                       "value", std::to_string(value_size),
                                       "entries", std::to_string(entries)};
    BpfmapOk(create);
    int fd = bpf_obj_get(Pin(name).c_str());
    ASSERT_GE(fd, 0);
    bool per_cpu = type.find("percpu") != std::string::npos;
    size_t stride = per_cpu ? (value_size + 7) / 8 * 8 : value_size;
    size_t cpus = per_cpu ? libbpf_num_possible_cpus() : 1;
    std::vector<uint8_t> key(key_size), value(stride * cpus);
    for (uint32_t i = 0; i < count; ++i) {
      std::fill(key.begin(), key.end(), 0);
      if (type == "lpm_trie") {
        key[0] = 32;  // prefixlen 32, then the address
        std::memcpy(key.data() + 4, &i, 4);
      } else {
        std::memcpy(key.data(), &i, std::min<size_t>(4, key_size));
      }
      uint64_t v = uint64_t{i} * 3;
      for (size_t cpu = 0; cpu < cpus; ++cpu) {
        std::memcpy(value.data() + stride * cpu, &v,
                    std::min<size_t>(8, value_size));
      }
      ASSERT_EQ(bpf_map_update_elem(fd, key.data(), value.data(), BPF_ANY), 0)
          << name << " " << i;
    }
    close(fd);
  }

  // Every entry, through EntryBatches on `path`, as hex key -> hex value.
  std::map<std::string, std::string> Read(const std::string& name,
                                          BatchPath path, bool* batched) {
    MapRef ref;
    ref.path = Pin(name);
    Result<MapHandle> map = MapHandle::Open(ref, OpenMode::kReadOnly);
    EXPECT_TRUE(map.ok());
    if (!map.ok()) return {};
    Result<EntryBatches> batches = EntryBatches::Start(
        *map, EntryBatches::Mode::kRead, path, /*batch_entries=*/512);
    EXPECT_TRUE(batches.ok()) << batches.error().Describe();
    std::map<std::string, std::string> entries;
    while (true) {
      Result<uint32_t> got = batches->Next();
      EXPECT_TRUE(got.ok()) << got.error().Describe();
      if (!got.ok() || *got == 0) break;
      for (uint32_t i = 0; i < *got; ++i) {
        EntryView entry = batches->entry(i);
        std::string key(reinterpret_cast<const char*>(entry.key),
                        entry.key_size);
        std::string value(reinterpret_cast<const char*>(entry.value),
                          batches->layout().buffer_size());
        EXPECT_TRUE(entries.emplace(key, value).second) << "key seen twice";
      }
    }
    *batched = batches->batched();
    return entries;
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = bpffs() + "." + name;  // beside the bpffs
    std::ofstream(path) << text;
    files_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const std::string& file : files_) unlink(file.c_str());
    KernelTest::TearDown();
  }

  static std::vector<json> SortedLines(const std::string& ndjson) {
    std::vector<json> lines;
    std::istringstream in(ndjson);
    for (std::string line; std::getline(in, line);) {
      lines.push_back(json::parse(line));
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  }

  std::vector<std::string> files_;
};

TEST_F(BulkTest, BatchAndOneByOneGiveTheSameEntries) {
  struct Case {
    const char* type;
    uint32_t key_size;
    bool batches;  // whether every kernel here has batch calls for it
  };
  for (const Case& c : std::vector<Case>{{"hash", 4, true},
                                         {"percpu_hash", 4, true},
                                         {"lru_hash", 4, true},
                                         {"array", 4, true},
                                         {"percpu_array", 4, true},
                                         {"lpm_trie", 8, false}}) {
    SCOPED_TRACE(c.type);
    std::string name = std::string("m_") + c.type;
    // More entries than one batch of 512, to cross batch boundaries.
    CreateFilled(name, c.type, c.key_size, 8, 3000, 2000);
    bool batched = false, one_by_one_batched = true;
    std::map<std::string, std::string> fast =
        Read(name, BatchPath::kAuto, &batched);
    std::map<std::string, std::string> slow =
        Read(name, BatchPath::kOneByOne, &one_by_one_batched);
    if (c.batches) EXPECT_TRUE(batched);
    EXPECT_FALSE(one_by_one_batched);
    EXPECT_EQ(fast.size(), std::string(c.type).find("array") !=
                                   std::string::npos
                               ? 3000u  // arrays hold every index
                               : 2000u);
    EXPECT_EQ(fast, slow);
  }
}

TEST_F(BulkTest, SnapshotAndRestoreIsExact) {
  struct Case {
    const char* type;
    uint32_t entries;
  };
  // LRU maps evict before they are quite full: give them room.
  for (const Case& c : std::vector<Case>{{"hash", 6000},
                                         {"array", 5000},
                                         {"percpu_hash", 5000},
                                         {"lru_percpu_hash", 20000}}) {
    SCOPED_TRACE(c.type);
    std::string from = std::string("from_") + c.type;
    std::string to = std::string("to_") + c.type;
    CreateFilled(from, c.type, 4, 8, c.entries, 5000);
    BpfmapOk({"create", Pin(to), "type", c.type, "key", "4", "value", "8",
              "entries", std::to_string(c.entries)});
    std::string snap = WriteFile(std::string("snap_") + c.type,
                                 BpfmapOk({"-o", "ndjson", "dump", Pin(from)}));
    RunResult put = Bpfmap({"put", Pin(to), "--file", snap});
    EXPECT_EQ(put.exit_code, 0) << put.err;
    EXPECT_THAT(put.err, HasSubstr("wrote 5000 entries"));
    EXPECT_EQ(SortedLines(BpfmapOk({"-o", "ndjson", "dump", Pin(to)})),
              SortedLines(BpfmapOk({"-o", "ndjson", "dump", Pin(from)})));
  }
}

TEST_F(BulkTest, LoadsTypedEntriesJsonArraysAndStdin) {
  LoadFixture("tests/testdata/typed_maps.bpf.c");
  const char* key = R"({"ip": 1, "port": 2, "proto": 3})";
  BpfmapOk({"put", Pin("typed_hash"), "key", key, "value",
            R"({"mode": "MODE_ON", "tag": "x", "small": 5, "u": {"as_u32": 7}})"});
  BpfmapOk({"--btf", FixtureObject(), "create", Pin("copy"), "type", "hash",
            "key", "struct flow_key", "value", "struct flow_value", "entries",
            "16"});
  // The typed JSON array that -j prints.
  std::string snap =
      WriteFile("typed", BpfmapOk({"-j", "dump", Pin("typed_hash")}));
  BpfmapOk({"put", Pin("copy"), "--file", snap});
  EXPECT_EQ(json::parse(BpfmapOk({"-j", "dump", Pin("copy")})),
            json::parse(BpfmapOk({"-j", "dump", Pin("typed_hash")})));
  // Raw hex with --hex, from stdin.
  BpfmapOk({"del", Pin("copy"), "--all"});
  std::string hex =
      WriteFile("hex", BpfmapOk({"--hex", "-o", "ndjson", "dump",
                                 Pin("typed_hash")}));
  RunResult piped = RunProgram(
      "/bin/sh", {"-c", BpfmapPath() + " --hex put " + Pin("copy") +
                            " --file - < " + hex});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(json::parse(BpfmapOk({"-j", "dump", Pin("copy")})),
            json::parse(BpfmapOk({"-j", "dump", Pin("typed_hash")})));
}

TEST_F(BulkTest, OneBadLineWritesNothing) {
  BpfmapOk({"create", Pin("h"), "type", "hash", "key", "4", "value", "8",
            "entries", "20000"});
  std::string text;
  for (int i = 0; i < 10000; ++i) {
    uint8_t k[4];
    std::memcpy(k, &i, 4);
    char line[80];
    std::snprintf(line, sizeof(line),
                  "{\"key\":\"%02x%02x%02x%02x\",\"value\":\"%016x\"}\n",
                  k[0], k[1], k[2], k[3], i);
    text += i == 7000 ? "{\"key\":\"0100\",\"value\":\"00\"}\n" : line;
  }
  std::string file = WriteFile("bad", text);
  RunResult result = Bpfmap({"put", Pin("h"), "--file", file});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(file + ":7001: key: \"0100\" is not 4 "
                                           "bytes as a string of hex digits"));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
  EXPECT_EQ(BpfmapOk({"-j", "dump", Pin("h")}), "[]\n");
  // A binary file, a truncated one, a missing one.
  EXPECT_EQ(Bpfmap({"put", Pin("h"), "--file",
                    WriteFile("binary", std::string("\x7f" "ELF\x02\x01", 6))})
                .exit_code,
            2);
  RunResult truncated = Bpfmap(
      {"put", Pin("h"), "--file",
       WriteFile("truncated", "[{\"key\":\"01000000\",\"value\":\"00")});
  EXPECT_EQ(truncated.exit_code, 2);
  EXPECT_THAT(truncated.err, HasSubstr("invalid JSON"));
  RunResult missing = Bpfmap({"put", Pin("h"), "--file", "/nonexistent"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--file /nonexistent: no such file"));
  EXPECT_EQ(BpfmapOk({"-j", "dump", Pin("h")}), "[]\n");
}

TEST_F(BulkTest, AFullMapSaysHowManyWereWritten) {
  BpfmapOk({"create", Pin("small"), "type", "hash", "key", "4", "value", "4",
            "entries", "100"});
  std::string text;
  for (int i = 0; i < 150; ++i) {
    char line[64];
    std::snprintf(line, sizeof(line),
                  "{\"key\":\"%02x000000\",\"value\":\"01000000\"}\n", i);
    text += line;
  }
  std::string file = WriteFile("many", text);
  RunResult result = Bpfmap({"put", Pin("small"), "--file", file});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_THAT(result.err, HasSubstr("the entry at " + file + ":101"));
  EXPECT_THAT(result.err, HasSubstr("100 of 150 entries were written before"));
  EXPECT_THAT(result.err, HasSubstr("the map is full"));
  EXPECT_EQ(json::parse(BpfmapOk({"-j", "dump", Pin("small")})).size(), 100u);
  // noexist stops at the first key already there, saying so.
  RunResult again =
      Bpfmap({"put", Pin("small"), "--file", file, "noexist"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("0 of 150 entries were written before"));
}

TEST_F(BulkTest, DeleteListedKeysOrAll) {
  CreateFilled("h", "hash", 4, 8, 10000, 9000);
  std::string all = BpfmapOk({"-o", "ndjson", "dump", Pin("h")});
  std::string half;
  std::istringstream in(all);
  int n = 0;
  for (std::string line; std::getline(in, line); ++n) {
    if (n % 2 == 0) half += line + "\n";
  }
  half += "{\"key\":\"ffffff00\",\"value\":\"0000000000000000\"}\n";
  RunResult deleted =
      Bpfmap({"del", Pin("h"), "--file", WriteFile("half", half)});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_THAT(deleted.err, HasSubstr("deleted 4500 entries"));
  EXPECT_THAT(deleted.err, HasSubstr("(1 key was not there)"));
  EXPECT_EQ(json::parse(BpfmapOk({"-j", "dump", Pin("h")})).size(), 4500u);
  RunResult emptied = Bpfmap({"del", Pin("h"), "--all"});
  EXPECT_EQ(emptied.exit_code, 0) << emptied.err;
  EXPECT_THAT(emptied.err, HasSubstr("deleted 4500 entries"));
  EXPECT_EQ(BpfmapOk({"-j", "dump", Pin("h")}), "[]\n");
  // Arrays cannot lose entries.
  CreateFilled("a", "array", 4, 8, 4, 4);
  RunResult array = Bpfmap({"del", Pin("a"), "--all"});
  EXPECT_EQ(array.exit_code, 4);
  EXPECT_THAT(array.err, HasSubstr("which has no delete"));
  // A queue is popped empty.
  BpfmapOk({"create", Pin("q"), "type", "queue", "key", "0", "value", "4",
            "entries", "8"});
  BpfmapOk({"put", Pin("q"), "value", "1", "0", "0", "0"});
  BpfmapOk({"put", Pin("q"), "value", "2", "0", "0", "0"});
  EXPECT_THAT(Bpfmap({"del", Pin("q"), "--all"}).err,
              HasSubstr("deleted 2 entries"));
  EXPECT_EQ(Bpfmap({"get", Pin("q")}).exit_code, 1);
}

TEST_F(BulkTest, DrainReadsAndDeletesInTheSameBatches) {
  for (const char* type : {"hash", "percpu_hash", "lpm_trie"}) {
    SCOPED_TRACE(type);
    std::string name = std::string("d_") + type;
    uint32_t key_size = std::string(type) == "lpm_trie" ? 8 : 4;
    CreateFilled(name, type, key_size, 8, 6000, 5000);
    std::string before = BpfmapOk({"-o", "ndjson", "dump", Pin(name)});
    RunResult drained = Bpfmap({"-o", "ndjson", "dump", Pin(name), "--drain"});
    EXPECT_EQ(drained.exit_code, 0) << drained.err;
    EXPECT_EQ(SortedLines(drained.out), SortedLines(before));
    EXPECT_EQ(BpfmapOk({"-j", "dump", Pin(name)}), "[]\n");
  }
  CreateFilled("arr", "array", 4, 8, 4, 4);
  RunResult array = Bpfmap({"dump", Pin("arr"), "--drain"});
  EXPECT_EQ(array.exit_code, 4);
  EXPECT_THAT(array.err, HasSubstr("drain: map"));
}

TEST_F(BulkTest, ADumpRacingWritersFinishes) {
  CreateFilled("busy", "hash", 4, 8, 50000, 40000);
  int fd = bpf_obj_get(Pin("busy").c_str());
  ASSERT_GE(fd, 0);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    uint32_t i = 0;
    uint64_t value = 0;
    while (!stop) {
      uint32_t key = i % 50000;
      if (i % 3 == 0) {
        bpf_map_delete_elem(fd, &key);
      } else {
        bpf_map_update_elem(fd, &key, &value, BPF_ANY);
      }
      ++i;
      ++value;
    }
  });
  for (int round = 0; round < 5; ++round) {
    RunResult dump = Bpfmap({"-j", "dump", Pin("busy")});
    EXPECT_EQ(dump.exit_code, 0) << dump.err;
    EXPECT_TRUE(json::parse(dump.out).is_array());
    RunResult drain = Bpfmap({"-o", "ndjson", "dump", Pin("busy"), "--drain"});
    EXPECT_EQ(drain.exit_code, 0) << drain.err;
  }
  stop = true;
  writer.join();
  close(fd);
}

}  // namespace
}  // namespace bpfmap::testing
