// Whole-map work at scale: batched and one-by-one iteration agree, bulk
// load and bulk delete, draining, and a dump racing writers.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "core/kernel/map_batch.h"
#include "core/kernel/map_handle.h"
#include "core/kernel/map_read.h"
#include "core/kernel/owned_fd.h"
#include "core/model/map_ref.h"
#include "tests/crowded_hash.h"
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
    std::map<std::string, std::string> entries =
        Collect(*batches, batches->layout().buffer_size());
    *batched = batches->batched();
    return entries;
  }

  // Reads `source` to its end, as key -> value buffer of `value_bytes`;
  // a key seen twice fails the test.
  static std::map<std::string, std::string> Collect(EntrySource& source,
                                                    size_t value_bytes) {
    std::map<std::string, std::string> entries;
    while (true) {
      Result<uint32_t> got = source.Next();
      EXPECT_TRUE(got.ok()) << got.error().Describe();
      if (!got.ok() || *got == 0) break;
      for (uint32_t i = 0; i < *got; ++i) {
        EntryView entry = source.entry(i);
        std::string key(reinterpret_cast<const char*>(entry.key),
                        entry.key_size);
        std::string value(reinterpret_cast<const char*>(entry.value),
                          value_bytes);
        EXPECT_TRUE(entries.emplace(key, value).second) << "key seen twice";
      }
    }
    return entries;
  }

  // Every entry, through MapReader on `path`, as key -> value buffer;
  // `*iterating` says whether the iterator read them. Empty, with
  // `*error` set, if the reader could not start.
  std::map<std::string, std::string> ReadThrough(const std::string& name,
                                                 ReadPath path, bool* iterating,
                                                 std::string* error) {
    MapRef ref;
    ref.path = Pin(name);
    Result<MapHandle> map = MapHandle::Open(ref, OpenMode::kReadOnly);
    EXPECT_TRUE(map.ok());
    if (!map.ok()) return {};
    Result<MapReader> reader = MapReader::Start(*map, ReadOptions{path});
    if (!reader.ok()) {
      *error = reader.error().Describe();
      return {};
    }
    *iterating = reader->iterating();
    return Collect(*reader, reader->layout().buffer_size());
  }

  // Runs bpfmap with BPFMAP_READ=`path` in its environment.
  RunResult BpfmapReading(const std::string& path,
                          const std::vector<std::string>& args) const {
    std::vector<std::string> env_args = {"BPFMAP_READ=" + path, BpfmapPath()};
    env_args.insert(env_args.end(), args.begin(), args.end());
    return RunProgram("/usr/bin/env", env_args);
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = bpffs() + "." + name;  // beside the bpffs
    std::ofstream(path) << text;
    files_.push_back(path);
    return path;
  }
  // A directory beside the bpffs, removed when the test ends however it
  // ends (unmounting first whatever the test mounted on it).
  std::string MakeDir(const std::string& name) {
    std::string path = bpffs() + "." + name;
    EXPECT_EQ(mkdir(path.c_str(), 0700), 0)
        << path << ": " << std::strerror(errno);
    dirs_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const std::string& file : files_) unlink(file.c_str());
    for (const std::string& dir : dirs_) {
      umount2(dir.c_str(), MNT_DETACH);  // EINVAL where nothing is mounted
      rmdir(dir.c_str());
    }
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
  std::vector<std::string> dirs_;
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
    if (c.batches) {
      EXPECT_TRUE(batched);
    }
    EXPECT_FALSE(one_by_one_batched);
    EXPECT_EQ(fast.size(), std::string(c.type).find("array") !=
                                   std::string::npos
                               ? 3000u  // arrays hold every index
                               : 2000u);
    EXPECT_EQ(fast, slow);
  }
}

TEST_F(BulkTest, IteratorAndBatchCallsGiveTheSameEntries) {
  struct Case {
    const char* type;
    uint32_t key_size;
    uint32_t value_size;
    bool iterates;    // whether the kernel has a map-element iterator for it
    bool by_default;  // whether bpfmap reads it that way unless told
  };
  for (const Case& c : std::vector<Case>{{"hash", 4, 8, true, false},
                                         {"percpu_hash", 4, 8, true, false},
                                         {"lru_hash", 4, 8, true, false},
                                         {"lru_percpu_hash", 4, 8, true, false},
                                         {"array", 4, 8, true, true},
                                         // A value size that per-CPU
                                         // buffers pad to 8 bytes.
                                         {"array", 4, 12, true, true},
                                         {"percpu_array", 4, 12, true, true},
                                         // Records that straddle the
                                         // iterator's reads and buffer.
                                         {"array", 4, 400, true, true},
                                         {"lpm_trie", 8, 8, false, false}}) {
    SCOPED_TRACE(std::string(c.type) + " value " +
                 std::to_string(c.value_size));
    std::string name =
        std::string("i_") + c.type + std::to_string(c.value_size);
    // More than a batch (4096), and more than the iterator's reads hold.
    CreateFilled(name, c.type, c.key_size, c.value_size, 12000, 10000);
    bool iterating = false, batch_iterating = true, auto_iterating = false;
    std::string error, batch_error, auto_error;
    std::map<std::string, std::string> iterated =
        ReadThrough(name, ReadPath::kIterator, &iterating, &error);
    std::map<std::string, std::string> batched =
        ReadThrough(name, ReadPath::kBatch, &batch_iterating, &batch_error);
    std::map<std::string, std::string> chosen =
        ReadThrough(name, ReadPath::kAuto, &auto_iterating, &auto_error);
    ASSERT_EQ(batch_error, "");
    ASSERT_EQ(auto_error, "");
    EXPECT_FALSE(batch_iterating);
    EXPECT_EQ(auto_iterating, c.by_default);
    EXPECT_EQ(batched.size(),
              std::string(c.type).find("array") != std::string::npos
                  ? 12000u  // arrays hold every index
                  : 10000u);
    EXPECT_EQ(chosen, batched);
    if (!c.iterates) {
      EXPECT_THAT(error, HasSubstr("no element iterator for lpm_trie maps"));
      continue;
    }
    ASSERT_EQ(error, "");
    EXPECT_TRUE(iterating);
    EXPECT_EQ(iterated, batched);
  }
}

TEST_F(BulkTest, EveryReadPathPrintsTheSameTypedDump) {
  // Typed values, per CPU and not, through the command line.
  const std::string value = "struct { u64 packets; u32 flags; u16 port; }";
  for (const char* type : {"array", "percpu_array", "hash"}) {
    SCOPED_TRACE(type);
    std::string name = std::string("typed_") + type;
    BpfmapOk({"create", Pin(name), "type", type, "key", "u32", "value", value,
              "entries", "10000"});
    std::string lines;
    for (int i = 0; i < 6000; ++i) {
      lines += fmt::format(
          "{{\"key\": {}, \"value\": {{\"packets\": {}, \"flags\": {}, "
          "\"port\": {}}}}}\n",
          i, uint64_t{i} * 1000003, i % 7, i % 65536);
    }
    BpfmapOk({"put", Pin(name), "--file", WriteFile(name + ".ndjson", lines)});
    RunResult batch = BpfmapReading("batch", {"-j", "dump", Pin(name)});
    RunResult iterator = BpfmapReading("iterator", {"-j", "dump", Pin(name)});
    RunResult chosen = BpfmapReading("auto", {"-d", "-j", "dump", Pin(name)});
    ASSERT_EQ(batch.exit_code, 0) << batch.err;
    ASSERT_EQ(iterator.exit_code, 0) << iterator.err;
    ASSERT_EQ(chosen.exit_code, 0) << chosen.err;
    // The same entries; a hash map's order is the kernel's either way.
    auto sorted = [](const std::string& out) {
      json entries = json::parse(out);
      std::vector<std::string> dumped;
      for (const json& entry : entries) dumped.push_back(entry.dump());
      std::sort(dumped.begin(), dumped.end());
      return dumped;
    };
    EXPECT_TRUE(sorted(iterator.out) == sorted(batch.out))
        << "the iterator's entries differ from the batch calls'";
    EXPECT_TRUE(chosen.out ==
                (std::string(type) == "hash" ? batch.out : iterator.out))
        << "the default path printed something else";
    EXPECT_EQ(json::parse(batch.out).size(),
              std::string(type) == "hash" ? 6000u : 10000u);
    // --debug says which path read it, and why not the other.
    EXPECT_THAT(chosen.err,
                HasSubstr(std::string(type) == "hash"
                              ? "not reading through a BPF iterator: its "
                                "iterator may miss or repeat entries"
                              : "reading through a BPF iterator"));
  }
}

TEST_F(BulkTest, AnMmapableArrayIsReadInPlace) {
  // Values of 8 bytes, and of 12 (mapped 16 apart, handed on 12 apart).
  for (uint32_t value_size : {8u, 12u}) {
    SCOPED_TRACE(value_size);
    std::string name = "mapped" + std::to_string(value_size);
    BpfmapOk({"create", Pin(name), "type", "array", "key", "4", "value",
              std::to_string(value_size), "entries", "10000", "flags",
              "mmapable"});
    int fd = bpf_obj_get(Pin(name).c_str());
    ASSERT_GE(fd, 0);
    std::vector<uint8_t> value(value_size);
    for (uint32_t i = 0; i < 10000; i += 7) {
      for (uint32_t b = 0; b < value_size; ++b) value[b] = (i * 31 + b) & 0xff;
      ASSERT_EQ(bpf_map_update_elem(fd, &i, value.data(), BPF_ANY), 0);
    }
    close(fd);
    bool iterating = true, batch_iterating = true;
    std::string error, batch_error;
    std::map<std::string, std::string> mapped =
        ReadThrough(name, ReadPath::kAuto, &iterating, &error);
    std::map<std::string, std::string> batched =
        ReadThrough(name, ReadPath::kBatch, &batch_iterating, &batch_error);
    ASSERT_EQ(error, "");
    ASSERT_EQ(batch_error, "");
    EXPECT_FALSE(iterating);
    EXPECT_EQ(mapped.size(), 10000u);
    EXPECT_TRUE(mapped == batched) << "the mapping differs from the lookups";
    RunResult dump = BpfmapReading("auto", {"-d", "-j", "dump", Pin(name)});
    ASSERT_EQ(dump.exit_code, 0) << dump.err;
    EXPECT_THAT(dump.err, HasSubstr("reading the mmapable array in place"));
    RunResult batch = BpfmapReading("batch", {"-j", "dump", Pin(name)});
    EXPECT_TRUE(dump.out == batch.out) << "the CLI printed something else";
    // A user who may only read the pin cannot map it (the kernel maps only
    // from a writable fd): the array is read another way, and --debug says
    // why.
    ASSERT_EQ(chmod(Pin(name).c_str(), 0444), 0);
    RunResult reader = RunAsNobody({"-d", "-j", "dump", Pin(name)}, true);
    EXPECT_EQ(reader.exit_code, 0) << reader.err;
    EXPECT_THAT(reader.err,
                HasSubstr("not reading the array in place: mapping an array "
                          "needs it open read-write"));
    EXPECT_TRUE(reader.out == batch.out) << "the fallback printed otherwise";
  }
}

TEST_F(BulkTest, ReadingAheadPrintsWhatOneThreadPrints) {
  // Many batches, typed, through every format and a selection: a second
  // thread reading ahead changes nothing printed.
  CreateFilled("ahead", "hash", 4, 8, 24000, 20000);
  CreateFilled("ahead_cpu", "percpu_array", 4, 8, 12000, 12000);
  auto run = [&](const char* threads, std::vector<std::string> args) {
    std::vector<std::string> env_args = {std::string("BPFMAP_THREADS=") +
                                             threads,
                                         BpfmapPath()};
    env_args.insert(env_args.end(), args.begin(), args.end());
    return RunProgram("/usr/bin/env", env_args);
  };
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{
           {"-j", "dump", Pin("ahead")},
           {"dump", Pin("ahead")},
           {"-o", "ndjson", "dump", Pin("ahead_cpu")},
           {"--cpus", "sum", "--value-type", "u64", "-j", "dump",
            Pin("ahead_cpu")},
           {"-j", "dump", Pin("ahead"), "--key-type", "u32", "--value-type",
            "u64", "--where", "value > 3000", "--limit", "9000"},
           {"dump", Pin("ahead"), "--count"}}) {
    SCOPED_TRACE(args.back());
    RunResult one = run("1", args);
    RunResult two = run("2", args);
    ASSERT_EQ(one.exit_code, 0) << one.err;
    ASSERT_EQ(two.exit_code, 0) << two.err;
    EXPECT_TRUE(one.out == two.out) << "two threads printed something else";
    EXPECT_EQ(one.err, two.err);
  }
  // A reader that goes away early ends both threads (exit as for SIGPIPE).
  RunResult head = RunProgram(
      "/bin/sh", {"-c", "BPFMAP_THREADS=2 " + BpfmapPath() + " -o ndjson dump " +
                            Pin("ahead") + " | head -n 3 > /dev/null"});
  EXPECT_EQ(head.exit_code, 0) << head.err;
  RunResult bad = RunProgram(
      "/usr/bin/env", {"BPFMAP_THREADS=3", BpfmapPath(), "dump", Pin("ahead")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "bpfmap: BPFMAP_THREADS: '3' is not 1 or 2\n");
}

TEST_F(BulkTest, ValuesWithKernelFieldsAreReadWithLookups) {
  // An array of more than a batch would be read through the iterator, which
  // copies a bpf_timer as the kernel keeps it; lookups zero it.
  LoadFixture("tests/testdata/timers.bpf.c");
  int fd = bpf_obj_get(Pin("slots").c_str());
  ASSERT_GE(fd, 0);
  for (uint32_t i = 0; i < 5000; i += 3) {
    uint64_t slot[3] = {i * 10u, 0, 0};  // tokens, then the timer (zeroed)
    ASSERT_EQ(bpf_map_update_elem(fd, &i, slot, BPF_ANY), 0) << i;
  }
  close(fd);
  RunResult chosen = BpfmapReading("auto", {"-d", "-j", "dump", Pin("slots")});
  RunResult batch = BpfmapReading("batch", {"-j", "dump", Pin("slots")});
  ASSERT_EQ(chosen.exit_code, 0) << chosen.err;
  EXPECT_THAT(chosen.err, HasSubstr("not reading through a BPF iterator: its "
                                    "values hold fields only the kernel may "
                                    "read"));
  EXPECT_TRUE(chosen.out == batch.out) << "auto printed something else";
  EXPECT_EQ(json::parse(chosen.out)[9]["value"]["tokens"], 90);
  // A --value-type that hides the timer does not change how it is read.
  RunResult hidden = BpfmapReading(
      "auto", {"-d", "-j", "dump", Pin("slots"), "--value-type",
               "struct { u64 tokens; u8 opaque[16]; }"});
  ASSERT_EQ(hidden.exit_code, 0) << hidden.err;
  EXPECT_THAT(hidden.err, HasSubstr("fields only the kernel may read"));
  // Asked for, the iterator is refused, in one line.
  RunResult forced = BpfmapReading("iterator", {"-j", "dump", Pin("slots")});
  EXPECT_NE(forced.exit_code, 0);
  EXPECT_EQ(Lines(forced.err).size(), 1u) << forced.err;
  EXPECT_THAT(forced.err, HasSubstr("BPFMAP_READ=iterator: its values hold"));
}

TEST_F(BulkTest, DiffReadsMapsAsDumpDoes) {
  CreateFilled("left", "array", 4, 8, 6000, 6000);
  CreateFilled("right", "array", 4, 8, 6000, 6000);
  RunResult iterated =
      BpfmapReading("auto", {"-d", "diff", Pin("left"), Pin("right")});
  RunResult batched =
      BpfmapReading("batch", {"-d", "diff", Pin("left"), Pin("right")});
  EXPECT_EQ(iterated.exit_code, 0) << iterated.err;
  EXPECT_EQ(batched.exit_code, 0) << batched.err;
  EXPECT_THAT(iterated.err, HasSubstr("reading through a BPF iterator"));
  EXPECT_THAT(batched.err, ::testing::Not(HasSubstr("BPF iterator")));
}

TEST_F(BulkTest, AnIteratorItCannotHaveFallsBackOrSaysWhy) {
  BpfmapOk({"create", Pin("big"), "type", "array", "key", "4", "value", "8",
            "entries", "8192"});
  std::string dumped = BpfmapOk({"-j", "dump", Pin("big")});
  ASSERT_EQ(chmod(Pin("big").c_str(), 0444), 0);  // nobody may read it
  // A user with CAP_BPF alone may not load tracing programs (they need
  // CAP_PERFMON too): the default path falls back to batch calls, and says
  // why under --debug; BPFMAP_READ=iterator is refused.
  setenv("BPFMAP_READ", "auto", 1);
  RunResult fallback = RunAsNobody({"-d", "-j", "dump", Pin("big")}, true);
  setenv("BPFMAP_READ", "iterator", 1);
  RunResult forced = RunAsNobody({"-j", "dump", Pin("big")}, true);
  unsetenv("BPFMAP_READ");
  EXPECT_EQ(fallback.exit_code, 0) << fallback.err;
  EXPECT_TRUE(fallback.out == dumped) << "differs from root's dump";
  EXPECT_THAT(fallback.err, HasSubstr("not reading through a BPF iterator: "));
  EXPECT_THAT(fallback.err, HasSubstr("reading with batch calls"));
  EXPECT_NE(forced.exit_code, 0);
  EXPECT_EQ(Lines(forced.err).size(), 1u) << forced.err;
  // A bad BPFMAP_READ is bad input, before any map is read; in JSON mode
  // stdout is still one JSON document.
  RunResult bad = BpfmapReading("fast", {"-j", "dump", Pin("big")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err,
            "bpfmap: BPFMAP_READ: 'fast' is not auto, iterator or batch\n");
  EXPECT_TRUE(json::parse(bad.out).contains("error")) << bad.out;
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

// put --file holds one run of about 1 MiB of checked entries (65,536 of
// these) and parks the rest in an unlinked temporary file: a load of many
// runs is still checked whole before the first write, written in order,
// and its messages name lines and entries past the first run.
TEST_F(BulkTest, ALoadOfManyRunsIsCheckedWholeThenWritten) {
  constexpr int kEntries = 200000;
  BpfmapOk({"create", Pin("big"), "type", "hash", "key", "4", "value", "8",
            "entries", std::to_string(kEntries)});
  auto line = [](int i) {
    char text[64];
    uint8_t k[4];
    std::memcpy(k, &i, 4);
    std::snprintf(text, sizeof(text),
                  "{\"key\":\"%02x%02x%02x%02x\",\"value\":\"%016x\"}\n", k[0],
                  k[1], k[2], k[3], i);
    return std::string(text);
  };
  std::string lines;
  for (int i = 0; i < kEntries; ++i) lines += line(i);
  std::string spool_dir = MakeDir("spool");
  // `bpfmap COMMAND big --file -` (put or del) reading `file` from stdin,
  // with its spool in `tmpdir`.
  auto from_stdin = [&](const std::string& command, const std::string& file,
                        const std::string& tmpdir) {
    return RunProgram(
        "/bin/sh",
        {"-c", "TMPDIR=" + tmpdir + " " + BpfmapPath() + " " + command + " " +
                   Pin("big") + " --file - < " + file});
  };
  auto put = [&](const std::string& file, const std::string& tmpdir) {
    return from_stdin("put", file, tmpdir);
  };

  // A bad line in the fourth run: nothing written.
  std::string bad_text = lines;
  bad_text.replace(bad_text.find(line(199990)), line(199990).size(),
                   "{\"key\":\"01\",\"value\":\"00\"}\n");
  RunResult bad = put(WriteFile("bad_runs", bad_text), spool_dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err,
            "bpfmap: <stdin>:199991: key: \"01\" is not 4 bytes as "
            "a string of hex digits\n");
  EXPECT_EQ(BpfmapOk({"dump", "--count", Pin("big")}), "0\n");
  // The same from a file, which two threads check as two halves at once
  // (BPFMAP_THREADS=2): the second half numbers its lines after the first
  // half's, and a bad line in each half is the first half's.
  std::string bad_file = WriteFile("bad_runs", bad_text);
  auto put_file = [&](const std::string& file, const std::string& threads) {
    return RunProgram("/usr/bin/env",
                      {"BPFMAP_THREADS=" + threads, BpfmapPath(), "--debug",
                       "put", Pin("big"), "--file", file});
  };
  for (const char* threads : {"1", "2"}) {
    SCOPED_TRACE(threads);
    RunResult bad_half = put_file(bad_file, threads);
    EXPECT_EQ(bad_half.exit_code, 2);
    EXPECT_THAT(bad_half.err,
                HasSubstr("bpfmap: " + bad_file + ":199991: key: \"01\""));
    EXPECT_EQ(bad_half.err.find("two halves") != std::string::npos,
              std::string(threads) == "2")
        << bad_half.err;
    std::string both_text = bad_text;
    both_text.replace(both_text.find(line(4999)), line(4999).size(),
                      "{\"key\":\"02\",\"value\":\"00\"}\n");
    RunResult bad_both = put_file(WriteFile("bad_both", both_text), threads);
    EXPECT_EQ(bad_both.exit_code, 2);
    EXPECT_THAT(bad_both.err, HasSubstr(":5000: key: \"02\""));
    EXPECT_EQ(BpfmapOk({"dump", "--count", Pin("big")}), "0\n");
  }
  // The same as a JSON array: the element is counted across runs.
  std::string array = "[";
  for (int i = 0; i < kEntries; ++i) {
    std::string entry =
        i == 150000 ? "{\"key\":\"01\",\"value\":\"00\"}\n" : line(i);
    array += (i == 0 ? "" : ",") + entry.substr(0, entry.size() - 1);
  }
  RunResult bad_array = Bpfmap(
      {"put", Pin("big"), "--file", WriteFile("bad_array", array + "]")});
  EXPECT_EQ(bad_array.exit_code, 2);
  EXPECT_THAT(bad_array.err, HasSubstr(": entry 150001: key: \"01\""));
  EXPECT_EQ(BpfmapOk({"dump", "--count", Pin("big")}), "0\n");

  // Where no temporary file can be made (a read-only /tmp), the checked
  // entries stay in memory, as --debug says.
  RunResult no_dir = RunProgram(
      "/bin/sh",
      {"-c", "TMPDIR=/nonexistent-bpfmap " + BpfmapPath() + " --debug put " +
                 Pin("big") + " --file - < " + WriteFile("runs", lines)});
  EXPECT_EQ(no_dir.exit_code, 0) << no_dir.err;
  EXPECT_THAT(no_dir.err,
              HasSubstr("create a temporary file in /nonexistent-bpfmap"));
  EXPECT_THAT(no_dir.err, HasSubstr("checked entries stay in memory"));
  EXPECT_EQ(BpfmapOk({"dump", "--count", Pin("big")}), "200000\n");
  BpfmapOk({"del", Pin("big"), "--all"});

  // A TMPDIR too small for the runs: the write that failed, and nothing
  // written to the map.
  std::string small_dir = MakeDir("small");
  ASSERT_EQ(mount("tmpfs", small_dir.c_str(), "tmpfs", 0, "size=64k"), 0)
      << std::strerror(errno);
  RunResult no_room = put(WriteFile("runs", lines), small_dir);
  EXPECT_EQ(no_room.exit_code, 3);
  EXPECT_EQ(no_room.err, "bpfmap: write a temporary file in " + small_dir +
                             " (set TMPDIR elsewhere): No space left on "
                             "device\n");
  EXPECT_EQ(BpfmapOk({"dump", "--count", Pin("big")}), "0\n");

  // All of it, from stdin: every entry, and nothing left in TMPDIR.
  RunResult good = put(WriteFile("runs", lines), spool_dir);
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_THAT(good.err, HasSubstr("wrote 200000 entries"));
  EXPECT_EQ(BpfmapOk({"dump", "--count", Pin("big")}), "200000\n");
  EXPECT_EQ(SortedLines(BpfmapOk({"-o", "ndjson", "dump", Pin("big")})),
            SortedLines(lines));
  EXPECT_EQ(RunProgram("/bin/sh", {"-c", "ls -A " + spool_dir}).out, "");

  // From a file in two halves, the same entries.
  BpfmapOk({"del", Pin("big"), "--all"});
  RunResult halves = put_file(WriteFile("runs", lines), "2");
  EXPECT_EQ(halves.exit_code, 0) << halves.err;
  EXPECT_THAT(halves.err, HasSubstr("two halves"));
  EXPECT_EQ(SortedLines(BpfmapOk({"-o", "ndjson", "dump", Pin("big")})),
            SortedLines(lines));

  // del --file of the same keys, read in two runs (the second spooled,
  // so a TMPDIR too small for it deletes nothing): a bad key in the second
  // run deletes nothing; then every key goes, and nothing is left in
  // TMPDIR.
  auto del = [&](const std::string& file, const std::string& tmpdir) {
    return from_stdin("del", file, tmpdir);
  };
  RunResult del_no_room = del(WriteFile("runs", lines), small_dir);
  EXPECT_EQ(del_no_room.exit_code, 3);
  EXPECT_EQ(del_no_room.err, no_room.err);
  EXPECT_EQ(BpfmapOk({"dump", "--count", Pin("big")}), "200000\n");
  RunResult bad_del = del(bad_file, spool_dir);
  EXPECT_EQ(bad_del.exit_code, 2);
  EXPECT_EQ(bad_del.err,
            "bpfmap: <stdin>:199991: key: \"01\" is not 4 bytes as "
            "a string of hex digits\n");
  EXPECT_EQ(BpfmapOk({"dump", "--count", Pin("big")}), "200000\n");
  RunResult good_del = del(WriteFile("runs", lines), spool_dir);
  EXPECT_EQ(good_del.exit_code, 0) << good_del.err;
  EXPECT_THAT(good_del.err, HasSubstr("deleted 200000 entries"));
  EXPECT_EQ(BpfmapOk({"dump", "--count", Pin("big")}), "0\n");
  EXPECT_EQ(RunProgram("/bin/sh", {"-c", "ls -A " + spool_dir}).out, "");

  // A map too small: the entry the kernel refused, in a later run (of the
  // second half), and how many went before it.
  BpfmapOk({"create", Pin("smaller"), "type", "hash", "key", "4", "value", "8",
            "entries", "150000"});
  RunResult full =
      Bpfmap({"put", Pin("smaller"), "--file", WriteFile("runs", lines)});
  EXPECT_EQ(full.exit_code, 3);
  EXPECT_THAT(full.err, HasSubstr(":150001 into "));
  EXPECT_THAT(full.err,
              HasSubstr("150000 of 200000 entries were written before it"));
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
  // Said before the file is read, even an empty one.
  RunResult array_file =
      Bpfmap({"del", Pin("a"), "--file", WriteFile("empty", "")});
  EXPECT_EQ(array_file.exit_code, 4);
  EXPECT_THAT(array_file.err, HasSubstr("which has no delete"));
  // A map that refuses part way: how many keys went before it.
  CreateFilled("frozen", "hash", 4, 8, 16, 8);
  std::string keys = BpfmapOk({"-o", "ndjson", "dump", Pin("frozen")});
  BpfmapOk({"freeze", Pin("frozen")});
  RunResult refused =
      Bpfmap({"del", Pin("frozen"), "--file", WriteFile("frozen", keys)});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err,
              HasSubstr("del --file: stopped after deleting 0 of 8 keys: "));
  EXPECT_THAT(refused.err, HasSubstr("frozen"));
  EXPECT_EQ(BpfmapOk({"dump", "--count", Pin("frozen")}), "8\n");
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

// Entries of a map with u32 keys and u64 values and no BTF, as bpfmap prints
// them in NDJSON: one {"key": HEX, "value": HEX} per line, little-endian.
struct U64Entry {
  uint32_t key;
  uint64_t value;
};

uint64_t FromLittleEndianHex(const std::string& hex) {
  uint64_t n = 0;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    n |= std::stoull(hex.substr(i, 2), nullptr, 16) << (4 * i);
  }
  return n;
}

std::vector<U64Entry> ParseU64Entries(const std::string& ndjson) {
  std::vector<U64Entry> entries;
  std::istringstream in(ndjson);
  for (std::string line; std::getline(in, line);) {
    json entry = json::parse(line);
    std::string key = entry.at("key"), value = entry.at("value");
    EXPECT_EQ(key.size(), 8u) << line;
    EXPECT_EQ(value.size(), 16u) << line;
    entries.push_back({static_cast<uint32_t>(FromLittleEndianHex(key)),
                       FromLittleEndianHex(value)});
  }
  return entries;
}

// Stops a writer thread and joins it however the test ends: a failed
// ASSERT returns early, and a std::thread destroyed unjoined would end the
// whole process.
class StopAndJoin {
 public:
  StopAndJoin(std::atomic<bool>& stop, std::thread& thread)
      : stop_(stop), thread_(thread) {}
  ~StopAndJoin() { Now(); }
  void Now() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool>& stop_;
  std::thread& thread_;
};

// Waits up to 10 s for `ready`; false if it never came.
template <typename Ready>
bool WaitFor(Ready ready) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST_F(BulkTest, ADumpRacingWritersFinishes) {
  // Keys [0, kStable) are written once, before the writer starts, and never
  // touched again: a dump must show each of them once, with its value. The
  // writer churns only keys [kChurn, kChurn + kChurnKeys), updating and
  // deleting them. The map has room for both ranges, so no update fails
  // for want of space.
  constexpr uint32_t kStable = 20000;
  constexpr uint32_t kChurn = 1000000;
  constexpr uint32_t kChurnKeys = 20000;
  CreateFilled("busy", "hash", 4, 8, 50000, kStable);
  int fd = bpf_obj_get(Pin("busy").c_str());
  ASSERT_GE(fd, 0);
  std::atomic<bool> stop{false};
  // Writes the kernel accepted, and updates it refused (there should be
  // none: a refusal would mean the writer was not writing).
  std::atomic<uint64_t> updates{0}, deletes{0}, failed_updates{0};
  std::thread writer([&] {
    uint32_t i = 0;
    uint64_t value = 0;
    while (!stop) {
      uint32_t key = kChurn + i % kChurnKeys;
      if (i % 3 == 0) {
        // Absent keys (ENOENT) are expected; only real deletes count.
        if (bpf_map_delete_elem(fd, &key) == 0) ++deletes;
      } else if (bpf_map_update_elem(fd, &key, &value, BPF_ANY) == 0) {
        ++updates;
      } else {
        ++failed_updates;
      }
      ++i;
      ++value;
    }
  });
  StopAndJoin stop_writer(stop, writer);
  // The writer is running before the first dump starts.
  ASSERT_TRUE(WaitFor([&] { return updates > 0 && deletes > 0; }))
      << failed_updates << " updates failed";

  // Checks one dump's (or drain's) entries: no key twice, every stable key
  // with the value it was given, nothing from outside both ranges.
  auto check = [&](const std::vector<U64Entry>& entries) {
    std::set<uint32_t> seen;
    uint32_t stable = 0;
    for (const U64Entry& entry : entries) {
      EXPECT_TRUE(seen.insert(entry.key).second)
          << "key " << entry.key << " is in the output twice";
      if (entry.key < kStable) {
        ++stable;
        EXPECT_EQ(entry.value, uint64_t{entry.key} * 3) << "key " << entry.key;
      } else {
        EXPECT_TRUE(entry.key >= kChurn && entry.key < kChurn + kChurnKeys)
            << "key " << entry.key << " was never written";
      }
    }
    EXPECT_EQ(stable, kStable) << "keys the writer never deleted are missing";
  };

  // Dumps until 5 of them were raced: the writer both updated and deleted
  // between the start of bpfmap and its end. On a loaded machine the
  // writer's thread may not get a core during some dump; every dump is
  // checked all the same.
  int raced = 0, rounds = 0;
  for (; raced < 5 && rounds < 100; ++rounds) {
    SCOPED_TRACE(rounds);
    uint64_t updates_before = updates, deletes_before = deletes;
    RunResult dump = Bpfmap({"-o", "ndjson", "dump", Pin("busy")});
    uint64_t updates_after = updates, deletes_after = deletes;
    ASSERT_EQ(dump.exit_code, 0) << dump.err;
    if (updates_after > updates_before && deletes_after > deletes_before) {
      ++raced;
    }
    check(ParseU64Entries(dump.out));
  }
  EXPECT_EQ(raced, 5) << "the writer ran during only " << raced << " of "
                      << rounds << " dumps";
  {
    // -j is one JSON array of the same entries.
    RunResult dump = Bpfmap({"-j", "dump", Pin("busy")});
    ASSERT_EQ(dump.exit_code, 0) << dump.err;
    json array = json::parse(dump.out);
    ASSERT_TRUE(array.is_array());
    std::string lines;
    for (const json& entry : array) lines += entry.dump() + "\n";
    check(ParseU64Entries(lines));
  }
  // A drain racing the writer takes each stable key exactly once, and then
  // they are gone: the writer never writes them again. (That drains race
  // their writer is checked by the next test.)
  RunResult drain = Bpfmap({"-o", "ndjson", "dump", Pin("busy"), "--drain"});
  ASSERT_EQ(drain.exit_code, 0) << drain.err;
  check(ParseU64Entries(drain.out));
  stop_writer.Now();
  EXPECT_EQ(failed_updates.load(), 0u);
  for (const U64Entry& entry : ParseU64Entries(
           BpfmapOk({"-o", "ndjson", "dump", Pin("busy")}))) {
    EXPECT_GE(entry.key, kChurn) << "drained key " << entry.key << " is back";
  }
  close(fd);
}

TEST_F(BulkTest, DrainUnderAConcurrentWriterLosesAndRepeatsNothing) {
  // What the kernel guarantees: a hash map's batched lookup-and-delete
  // takes each bucket's lock, copies that bucket's entries out and deletes
  // them before letting it go, and every update takes the same lock. So an
  // entry is drained with the last value written to it before its bucket's
  // turn, or stays in the map for the next drain; none is lost or drained
  // twice, and once drained it is gone: an update with BPF_EXIST fails.
  //
  // What it does not guarantee is a counter incremented from user space
  // (lookup, add, update): a drain can take the old value between the
  // writer's lookup and its update, and the update then puts old + delta
  // back, so the old value is counted twice (with BPF_EXIST instead, the
  // delta is lost). Nor is a BPF program's atomic add into a value safe: it
  // can land in an element a drain has just deleted. So this writer never
  // adds to a value: it inserts keys never used before (0, 1, 2, ...) with
  // BPF_NOEXIST, and overwrites recent ones with BPF_EXIST, each write
  // carrying the key and a version; it counts a write only when the kernel
  // accepted it. Then every key inserted must come out exactly once across
  // all the drains, with the last version written to it (an overwrite
  // lost in a window between a drain's read and its delete would show as
  // an older version), and the values' sum must be the sum of those.
  constexpr uint32_t kEntries = 30000;
  BpfmapOk({"create", Pin("flows"), "type", "hash", "key", "4", "value", "8",
            "entries", std::to_string(kEntries)});
  int fd = bpf_obj_get(Pin("flows").c_str());
  ASSERT_GE(fd, 0);
  // The key in the high half, the version of the write in the low.
  auto value_of = [](uint32_t key, uint32_t version) {
    return uint64_t{key} << 32 | version;
  };
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> writes{0};    // accepted inserts and overwrites
  std::atomic<uint32_t> inserted{0};  // keys [0, inserted) went in
  std::atomic<uint64_t> overwrites{0}, found_drained{0}, revived{0};
  std::atomic<uint64_t> full{0}, failed{0};
  // The writer's alone until it is joined: each key's last version, and
  // whether an overwrite has found it drained.
  std::vector<uint32_t> last_version;
  std::vector<bool> gone;
  std::thread writer([&] {
    uint32_t next = 0;
    uint64_t i = 0;
    while (!stop) {
      uint64_t value = value_of(next, 0);
      if (bpf_map_update_elem(fd, &next, &value, BPF_NOEXIST) == 0) {
        last_version.push_back(0);
        gone.push_back(false);
        inserted = ++next;
        ++writes;
      } else if (errno == E2BIG) {
        ++full;  // the map is full until a drain: insert this key later
        std::this_thread::yield();
      } else {
        ++failed;  // EEXIST would mean a key was inserted twice
        break;
      }
      if (next == 0) continue;
      // Overwrite one of the 64 newest keys, if it is still there.
      uint32_t back = static_cast<uint32_t>(i++ % std::min(next, 64u));
      uint32_t key = next - 1 - back;
      uint32_t version = last_version[key] + 1;
      value = value_of(key, version);
      if (bpf_map_update_elem(fd, &key, &value, BPF_EXIST) == 0) {
        if (gone[key]) ++revived;
        last_version[key] = version;
        ++overwrites;
        ++writes;
      } else if (errno == ENOENT) {
        gone[key] = true;  // drained
        ++found_drained;
      } else if (errno != E2BIG) {
        ++failed;
        break;
      }
    }
  });
  StopAndJoin stop_writer(stop, writer);
  ASSERT_TRUE(WaitFor([&] { return writes > 0 || failed > 0; }));

  std::map<uint32_t, uint64_t> drained;  // key -> value
  int twice = 0;
  auto take = [&](const std::string& ndjson) {
    std::vector<U64Entry> entries = ParseU64Entries(ndjson);
    for (const U64Entry& entry : entries) {
      if (!drained.emplace(entry.key, entry.value).second && ++twice <= 10) {
        ADD_FAILURE() << "key " << entry.key << " was drained twice";
      }
    }
    return entries.size();
  };
  // Drains until 10 of them were raced: the writer wrote between the start
  // of bpfmap and its end (on a loaded machine its thread may not get a
  // core during some drain; every drain counts all the same).
  size_t drained_while_writing = 0;
  int raced = 0, rounds = 0;
  for (; raced < 10 && rounds < 300; ++rounds) {
    SCOPED_TRACE(rounds);
    uint64_t writes_before = writes;
    RunResult drain =
        Bpfmap({"-o", "ndjson", "dump", Pin("flows"), "--drain"});
    uint64_t writes_after = writes;
    ASSERT_EQ(drain.exit_code, 0) << drain.err;
    if (writes_after > writes_before) ++raced;
    drained_while_writing += take(drain.out);
  }
  stop_writer.Now();
  ASSERT_EQ(failed.load(), 0u) << "the kernel refused a write";
  EXPECT_EQ(raced, 10) << "the writer ran during only " << raced << " of "
                      << rounds << " drains";
  EXPECT_GT(drained_while_writing, 0u);
  EXPECT_GT(overwrites.load(), 0u);
  EXPECT_EQ(revived.load(), 0u) << "an overwrite found a drained key again";
  // Once more with the writer stopped: this empties the map.
  RunResult last = Bpfmap({"-o", "ndjson", "dump", Pin("flows"), "--drain"});
  ASSERT_EQ(last.exit_code, 0) << last.err;
  take(last.out);
  EXPECT_EQ(take(BpfmapOk({"-o", "ndjson", "dump", Pin("flows")})), 0u)
      << "a drain with no writer left entries behind";

  uint32_t total = inserted;
  RecordProperty("drains", rounds);
  RecordProperty("inserted", static_cast<int>(total));
  RecordProperty("overwrites", static_cast<int>(overwrites.load()));
  RecordProperty("overwrites_finding_key_drained",
                 static_cast<int>(found_drained.load()));
  RecordProperty("full_retries", static_cast<int>(full.load()));
  ASSERT_EQ(last_version.size(), total);
  uint64_t sum_in = 0, sum_out = 0;
  int wrong = 0;
  for (uint32_t key = 0; key < total; ++key) {
    uint64_t want = value_of(key, last_version[key]);
    sum_in += want;
    auto found = drained.find(key);
    if (found == drained.end()) {
      if (++wrong <= 10) ADD_FAILURE() << "key " << key << " was never drained";
    } else if (found->second != want && ++wrong <= 10) {
      ADD_FAILURE() << "key " << key << " was drained with version "
                    << (found->second & 0xffffffff) << " of key "
                    << (found->second >> 32) << ", but version "
                    << last_version[key] << " was the last written";
    }
  }
  for (const auto& [key, value] : drained) sum_out += value;
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(drained.size(), total) << "keys never inserted were drained";
  EXPECT_EQ(sum_out, sum_in);
  close(fd);
}

TEST_F(BulkTest, AHashDumpWhileAWriterMovesItsEntriesHasEveryKeyOnce) {
  // An update re-links a hash map's entry at the head of its bucket. The
  // batch calls read a whole bucket under its lock, so a dump racing such
  // updates can neither miss nor repeat an entry. (The kernel's hash-map
  // iterator resumes a bucket by position and can do both, which is why
  // BPFMAP_READ=auto reads hash maps with batch calls.) Every key here is
  // in one bucket, larger than a batch, so the dump also grows its batch.
  constexpr uint32_t kKeys = 5000;
  std::vector<uint32_t> keys = KeysInOneBucket(kKeys, kKeys);
  int fd = CreateCrowdedHash(UniqueMapName("crowd").c_str(),
                             Pin("crowded").c_str(), kKeys, keys);
  ASSERT_GE(fd, 0) << std::strerror(-fd);
  OwnedFd owned(fd);
  ASSERT_TRUE(InOneBucket(fd))
      << "the keys are not in one bucket (the kernel hashes keys otherwise?)";
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> updates{0};
  std::thread writer([&] {
    uint64_t i = 0;
    while (!stop) {
      uint32_t key = keys[(i++ * 2654435761u) % kKeys];
      uint64_t value = uint64_t{key} * 3;  // the same value, moved
      if (bpf_map_update_elem(fd, &key, &value, BPF_EXIST) == 0) ++updates;
    }
  });
  StopAndJoin stop_writer(stop, writer);
  ASSERT_TRUE(WaitFor([&] { return updates > 0; }));
  int raced = 0, rounds = 0;
  for (; raced < 5 && rounds < 100; ++rounds) {
    SCOPED_TRACE(rounds);
    uint64_t before = updates;
    RunResult dump =
        BpfmapReading("auto", {"-d", "-o", "ndjson", "dump", Pin("crowded")});
    uint64_t after = updates;
    ASSERT_EQ(dump.exit_code, 0) << dump.err;
    ASSERT_THAT(dump.err, HasSubstr("reading with batch calls"));
    if (after > before) ++raced;
    std::vector<U64Entry> entries = ParseU64Entries(dump.out);
    std::set<uint32_t> seen;
    for (const U64Entry& entry : entries) {
      EXPECT_TRUE(seen.insert(entry.key).second)
          << "key " << entry.key << " is in the output twice";
      EXPECT_EQ(entry.value, uint64_t{entry.key} * 3) << "key " << entry.key;
    }
    ASSERT_EQ(seen.size(), kKeys) << "entries are missing";
  }
  stop_writer.Now();
  EXPECT_EQ(raced, 5) << "the writer ran during only " << raced << " of "
                      << rounds << " dumps";
}

TEST_F(BulkTest, AnArrayIteratedWhileWritersRaceHasEveryIndexOnce) {
  // The iterator walks an array by index: a writer updating values during
  // the walk changes values, never which indexes are read.
  constexpr uint32_t kEntries = 30000;
  BpfmapOk({"create", Pin("racing"), "type", "array", "key", "4", "value", "8",
            "entries", std::to_string(kEntries)});
  int fd = bpf_obj_get(Pin("racing").c_str());
  ASSERT_GE(fd, 0);
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> updates{0};
  std::thread writer([&] {
    uint64_t value = 1;
    while (!stop) {
      uint32_t key = static_cast<uint32_t>((value * 2654435761u) % kEntries);
      if (bpf_map_update_elem(fd, &key, &value, BPF_ANY) == 0) ++updates;
      ++value;
    }
  });
  ASSERT_TRUE(WaitFor([&] { return updates > 0; }));
  int raced = 0, rounds = 0;
  for (; raced < 3 && rounds < 50; ++rounds) {
    uint64_t before = updates;
    RunResult dump =
        BpfmapReading("auto", {"-d", "-o", "ndjson", "dump", Pin("racing")});
    uint64_t after = updates;
    ASSERT_EQ(dump.exit_code, 0) << dump.err;
    ASSERT_THAT(dump.err, HasSubstr("reading through a BPF iterator"));
    if (after > before) ++raced;
    std::vector<std::string> lines = Lines(dump.out);
    ASSERT_EQ(lines.size(), kEntries);
    // In index order, each once.
    std::vector<U64Entry> entries = ParseU64Entries(dump.out);
    for (uint32_t i = 0; i < entries.size(); ++i) {
      if (entries[i].key != i) {
        ADD_FAILURE() << "line " << i << " holds index " << entries[i].key;
        break;
      }
    }
  }
  stop = true;
  writer.join();
  close(fd);
  EXPECT_EQ(raced, 3) << "the writer ran during only " << raced << " of "
                      << rounds << " dumps";
}

}  // namespace
}  // namespace bpfmap::testing
