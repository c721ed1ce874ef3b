// Maps whose values refer to other kernel objects, loaded from BPF C the way
// real programs declare them (tests/testdata/map_kinds.bpf.c): maps of maps,
// a tail-call program array, a devmap and a cpumap. bpfmap shows ids (as
// the kernel reports them) and takes ids back, and bpftool reads the same.
#include <bpf/bpf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kFixture = "tests/testdata/map_kinds.bpf.c";

class MapKindsTest : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    LoadFixture(kFixture);
  }

  // key -> value of `map` (-j dump), keys as bpfmap prints them.
  std::map<std::string, json> Dump(const std::string& map) const {
    std::map<std::string, json> entries;
    for (const json& entry : json::parse(BpfmapOk({"-j", "dump", map}))) {
      entries[entry["key"].dump()] = entry["value"];
    }
    return entries;
  }

  uint32_t IdOf(const std::vector<std::string>& map) const {
    std::vector<std::string> args = {"-j", "show"};
    args.insert(args.end(), map.begin(), map.end());
    return json::parse(BpfmapOk(args))["id"].get<uint32_t>();
  }

  // bpftool's value bytes for `key` (hex words) as a little-endian u32.
  uint32_t BpftoolU32(const std::string& map,
                      const std::vector<std::string>& key) const {
    std::vector<std::string> args = {"-j", "map", "lookup", "pinned", map,
                                     "key"};
    args.insert(args.end(), key.begin(), key.end());
    RunResult result = Bpftool(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    json value = json::parse(result.out)["value"];
    uint32_t id = 0;
    for (int i = 3; i >= 0; --i) {
      id = id << 8 | std::stoul(value[i].get<std::string>(), nullptr, 16);
    }
    return id;
  }
};

TEST_F(MapKindsTest, AMapOfMapsShowsItsInnerMapsByIdAsBpftoolDoes) {
  std::map<std::string, json> services = Dump(Pin("services"));
  ASSERT_EQ(services.size(), 2u) << json(services).dump();
  for (const char* index : {"1", "3"}) {
    SCOPED_TRACE(index);
    const json& value = services.at(index);
    uint32_t id = value["map_id"].get<uint32_t>();
    json inner = json::parse(BpfmapOk({"-j", "show", "id",
                                       std::to_string(id)}));
    EXPECT_EQ(inner["name"], std::string(index) == "1" ? "backends_a"
                                                       : "backends_b");
    EXPECT_EQ(BpftoolU32(Pin("services"), {index, "0", "0", "0"}), id);
  }
  // Keys are indexes: get takes a number; plain and table name the member.
  EXPECT_THAT(BpfmapOk({"get", Pin("services"), "key", "3"}),
              HasSubstr(" (backends_b hash)}"));
  EXPECT_THAT(BpfmapOk({"-o", "table", "dump", Pin("services")}),
              HasSubstr("map_id"));
  // -o bpftool prints what bpftool prints: bytes, no "formatted".
  json bpftool = json::parse(BpfmapOk({"-o", "bpftool", "dump",
                                       Pin("services")}));
  EXPECT_FALSE(bpftool[0].contains("formatted")) << bpftool.dump();
  // ... as bpftool 7.3+ prints it, with the inner map's id.
  EXPECT_EQ(bpftool[0]["inner_map_id"], services.at("1")["map_id"])
      << bpftool.dump();
}

TEST_F(MapKindsTest, PutTakesAnInnerMapByPathIdOrNameAndRestoresADump) {
  std::string name = UniqueMapName("backend");
  // As the template: Linux 6.1 also wants its BTF (a map without BTF does
  // not match a template with BTF there; 6.18 compares special fields only).
  BpfmapOk({"create", Pin("mine"), "type", "hash", "key", "u32", "value",
            "struct backend { u32 addr; u16 port; u16 weight; }", "entries",
            "16", "name", name});
  std::string outer = Pin("services_by_vip");
  BpfmapOk({"put", outer, "key", "hex", "0a000001", "value", "pinned",
            Pin("mine")});
  BpfmapOk({"put", outer, "key", "hex", "0a000002", "value", "id",
            std::to_string(IdOf({"pinned", Pin("mine")}))});
  BpfmapOk({"put", outer, "key", "hex", "0a000003", "value", "name", name});
  BpfmapOk({"put", outer, "key", "hex", "0a000004", "value",
            R"({"map_id": )" + std::to_string(IdOf({"name", name})) + "}"});
  std::map<std::string, json> before = Dump(outer);
  ASSERT_EQ(before.size(), 4u);
  for (const auto& [key, value] : before) {
    EXPECT_EQ(value["map_id"], IdOf({"pinned", Pin("mine")})) << key;
  }
  // What dump printed, put --file writes back (ids become fds again).
  std::string snapshot = BpfmapOk({"-o", "ndjson", "dump", outer});
  BpfmapOk({"del", outer, "key", "hex", "0a000001"});
  BpfmapOk({"del", outer, "key", "hex", "0a000002"});
  RunResult restored = RunProgram(
      "/bin/sh", {"-c", "printf '%s' \"$1\" | \"$2\" put \"$3\" --file -",
                  "sh", snapshot, BpfmapPath(), outer});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(Dump(outer), before);
  // A file whose second line names no map writes nothing at all.
  std::string bad = R"({"key": "0b000001", "value": {"map_id": )" +
                    std::to_string(IdOf({"pinned", Pin("mine")})) +
                    "}}\n" + R"({"key": "0b000002", "value": {"map_id": 4000000000}})" +
                    "\n";
  RunResult refused = RunProgram(
      "/bin/sh", {"-c", "printf '%s' \"$1\" | \"$2\" put \"$3\" --file -",
                  "sh", bad, BpfmapPath(), outer});
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("nothing was written"));
  EXPECT_EQ(Dump(outer), before);
}

TEST_F(MapKindsTest, AWrongInnerMapIsRefusedAndChangesNothing) {
  std::string outer = Pin("services_by_vip");
  BpfmapOk({"create", Pin("array"), "type", "array", "key", "4", "value",
            "8", "entries", "16"});
  struct Case {
    std::vector<std::string> value;
    int exit_code;
    const char* says;
  };
  const Case cases[] = {
      {{"id", "4000000000"}, 3, "no map has id 4000000000"},
      {{R"({"map_id": 0})"}, 2, "map id 0: an entry of"},
      {{"pinned", Pin("array")}, 2, "must match the map the outer map was"},
      {{"pinned", Pin("progs/stage_pass")}, 2, "not a BPF map"},
      {{"id"}, 2, "takes a map: id ID, pinned PATH or name NAME"},
  };
  std::map<std::string, json> before = Dump(outer);
  for (const Case& c : cases) {
    std::vector<std::string> args = {"put", outer, "key", "hex", "0a000009",
                                     "value"};
    args.insert(args.end(), c.value.begin(), c.value.end());
    SCOPED_TRACE(::testing::PrintToString(args));
    RunResult result = Bpfmap(args);
    EXPECT_EQ(result.exit_code, c.exit_code) << result.err;
    EXPECT_THAT(result.err, HasSubstr(c.says));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
    EXPECT_EQ(Dump(outer), before);
  }
}

TEST_F(MapKindsTest, CreateTakesTheInnerMapAsTemplate) {
  BpfmapOk({"create", Pin("tmpl"), "type", "hash", "key", "u32", "value",
            "u64", "entries", "4"});
  BpfmapOk({"create", Pin("outer"), "type", "hash_of_maps", "key", "u32",
            "value", "4", "entries", "8", "inner_map", "pinned",
            Pin("tmpl")});
  RunResult shown = Bpftool({"-j", "map", "show", "pinned", Pin("outer")});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(json::parse(shown.out)["type"], "hash_of_maps");
  BpfmapOk({"put", Pin("outer"), "key", "hex", "01000000", "value",
            Pin("tmpl")});
  RunResult missing = Bpfmap({"create", Pin("no_tmpl"), "type",
                              "array_of_maps", "key", "4", "value", "4",
                              "entries", "2"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("needs inner_map MAP"));
  RunResult gone = Bpfmap({"create", Pin("no_tmpl"), "type",
                           "array_of_maps", "key", "4", "value", "4",
                           "entries", "2", "inner_map", Pin("nothing")});
  EXPECT_EQ(gone.exit_code, 3) << gone.err;
  EXPECT_THAT(gone.err, HasSubstr("inner_map: pinned " + Pin("nothing")));
  EXPECT_NE(access(Pin("no_tmpl").c_str(), F_OK), 0);
  RunResult stray = Bpfmap({"create", Pin("plain"), "type", "hash", "key",
                            "4", "value", "4", "entries", "2", "inner_map",
                            Pin("tmpl")});
  EXPECT_EQ(stray.exit_code, 2);
  EXPECT_THAT(stray.err, HasSubstr("for array_of_maps and hash_of_maps"));
}

TEST_F(MapKindsTest, AProgramArrayShowsAndTakesProgramIds) {
  std::string stages = Pin("stages");
  std::map<std::string, json> before = Dump(stages);
  ASSERT_EQ(before.size(), 2u) << json(before).dump();
  uint32_t drop = before.at("2")["prog_id"].get<uint32_t>();
  EXPECT_EQ(BpftoolU32(stages, {"2", "0", "0", "0"}), drop);
  RunResult prog = Bpftool({"-j", "prog", "show", "id",
                            std::to_string(drop)});
  ASSERT_EQ(prog.exit_code, 0) << prog.err;
  EXPECT_EQ(json::parse(prog.out)["name"], "stage_drop");
  BpfmapOk({"put", stages, "key", "1", "value", "pinned",
            Pin("progs/stage_drop")});
  BpfmapOk({"put", stages, "key", "3", "value", "id", std::to_string(drop)});
  std::map<std::string, json> after = Dump(stages);
  EXPECT_EQ(after.at("1")["prog_id"], drop);
  EXPECT_EQ(after.at("3")["prog_id"], drop);
  // At a terminal, each id with the program it names.
  EXPECT_THAT(BpfmapOk({"dump", stages}),
              HasSubstr("{prog_id=" + std::to_string(drop) +
                        " (stage_drop xdp)}"));
  std::string table = BpfmapOk({"-o", "table", "dump", stages});
  EXPECT_THAT(table, HasSubstr("prog_id  prog"));
  EXPECT_THAT(table, HasSubstr("stage_drop xdp"));
  // show says who owns the array, as bpftool does.
  json shown = json::parse(BpfmapOk({"-j", "show", stages}));
  EXPECT_EQ(shown["owner_prog_type"], "xdp") << shown.dump();
  EXPECT_TRUE(shown["owner_jited"].is_boolean()) << shown.dump();
  RunResult theirs = Bpftool({"-j", "map", "show", "pinned", stages});
  ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
  EXPECT_EQ(json::parse(BpfmapOk({"-o", "bpftool", "show", stages})),
            json::parse(theirs.out));
  EXPECT_THAT(BpfmapOk({"show", stages}), HasSubstr("owner_prog_type xdp"));
  RunResult exist = Bpfmap({"put", stages, "key", "1", "value", "id",
                            std::to_string(drop), "exist"});
  EXPECT_EQ(exist.exit_code, 2) << exist.err;
  EXPECT_THAT(exist.err, HasSubstr("take no exist or noexist"));
  RunResult other_type = Bpfmap({"put", stages, "key", "1", "value",
                                 "pinned", Pin("progs/not_xdp")});
  EXPECT_EQ(other_type.exit_code, 2) << other_type.err;
  EXPECT_THAT(other_type.err, HasSubstr("holds programs of one type"));
  RunResult unnamed = Bpfmap({"put", stages, "key", "1", "value", "name",
                              UniqueMapName("noprog")});
  EXPECT_EQ(unnamed.exit_code, 3) << unnamed.err;
  EXPECT_THAT(unnamed.err, HasSubstr("no program has this name"));
  RunResult map_given = Bpfmap({"put", stages, "key", "1", "value", "pinned",
                                Pin("services")});
  EXPECT_EQ(map_given.exit_code, 2) << map_given.err;
  EXPECT_THAT(map_given.err, HasSubstr("not a BPF program"));
  BpfmapOk({"del", stages, "key", "3"});
  EXPECT_EQ(Dump(stages).count("3"), 0u);
  // While pinned, a write is kept, and nothing is said.
  RunResult kept = Bpfmap({"put", stages, "key", "3", "value", "pinned",
                           Pin("progs/stage_pass")});
  EXPECT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_EQ(kept.err, "");
  // Held only by the program that tail-calls through it, the array loses
  // what is written when bpfmap exits: said, as bpftool says it.
  std::string id = std::to_string(IdOf({"pinned", stages}));
  ASSERT_EQ(unlink(stages.c_str()), 0);
  RunResult lost = Bpfmap({"put", "id", id, "key", "3", "value", "pinned",
                           Pin("progs/stage_pass")});
  EXPECT_EQ(lost.exit_code, 0) << lost.err;
  EXPECT_THAT(lost.err, HasSubstr("is not pinned and no process holds it"));
}

TEST_F(MapKindsTest, DeviceAndCpuMapValuesHaveNamedMembers) {
  BpfmapOk({"put", Pin("tx_ports"), "key", "0", "value", R"({"ifindex": 1})"});
  EXPECT_EQ(Dump(Pin("tx_ports")).at("0"),
            json::parse(R"({"ifindex": 1, "prog_id": 0})"));
  RunResult bpftool = Bpftool({"-j", "map", "lookup", "pinned",
                               Pin("tx_ports"), "key", "0", "0", "0", "0"});
  ASSERT_EQ(bpftool.exit_code, 0) << bpftool.err;
  EXPECT_EQ(json::parse(bpftool.out)["value"][0], "0x01");
  // An interface by name.
  BpfmapOk({"put", Pin("tx_ports"), "key", "1", "value", "dev", "lo"});
  EXPECT_EQ(Dump(Pin("tx_ports")).at("1"),
            json::parse(R"({"ifindex": 1, "prog_id": 0})"));
  EXPECT_THAT(BpfmapOk({"dump", Pin("tx_ports")}),
              HasSubstr("{ifindex=1 (lo) prog_id=0}"));
  EXPECT_THAT(BpfmapOk({"-o", "table", "dump", Pin("tx_ports")}),
              HasSubstr("ifindex  dev  prog_id  prog"));
  // A plain XDP program is not one loaded for devmap entries.
  RunResult not_devmap_prog =
      Bpfmap({"put", Pin("tx_ports"), "key", "2", "value", "dev", "lo",
              "prog", "pinned", Pin("progs/stage_pass")});
  EXPECT_EQ(not_devmap_prog.exit_code, 2) << not_devmap_prog.err;
  EXPECT_THAT(not_devmap_prog.err, HasSubstr("xdp/devmap"));
  RunResult no_dev = Bpfmap({"put", Pin("tx_ports"), "key", "2", "value",
                             "dev", "nosuchdev0"});
  EXPECT_EQ(no_dev.exit_code, 2);
  EXPECT_THAT(no_dev.err, HasSubstr("no network interface has this name"));
  RunResult no_prog = Bpfmap({"put", Pin("tx_ports"), "key", "2", "value",
                              "dev", "lo", "prog", "id", "4000000000"});
  EXPECT_EQ(no_prog.exit_code, 3);
  EXPECT_THAT(no_prog.err, HasSubstr("no program has id 4000000000"));
  BpfmapOk({"create", Pin("dev4"), "type", "devmap", "key", "4", "value",
            "4", "entries", "2"});
  const std::vector<std::vector<std::string>> bad_words = {
      {"dev"}, {"dev", "lo", "program", "id", "1"}, {"dev", "lo", "prog"}};
  for (const auto& words : bad_words) {
    std::vector<std::string> args = {"put", Pin("tx_ports"), "key", "2",
                                     "value"};
    args.insert(args.end(), words.begin(), words.end());
    SCOPED_TRACE(::testing::PrintToString(args));
    EXPECT_EQ(Bpfmap(args).exit_code, 2);
  }
  RunResult four = Bpfmap({"put", Pin("dev4"), "key", "0", "value", "dev",
                           "lo", "prog", "id", "1"});
  EXPECT_EQ(four.exit_code, 2) << four.err;
  EXPECT_THAT(four.err, HasSubstr("4-byte values: an interface, no program"));
  EXPECT_EQ(Dump(Pin("tx_ports")).count("2"), 0u);
  EXPECT_TRUE(Dump(Pin("dev4")).empty());
  BpfmapOk({"put", Pin("cpus"), "key", "0", "value", R"({"qsize": 192})"});
  EXPECT_EQ(Dump(Pin("cpus")).at("0")["qsize"], 192);
}

TEST_F(MapKindsTest, ASocketCannotBeWrittenFromItsCookie) {
  RunResult result = Bpfmap({"put", Pin("socks"), "key", "0", "value",
                             R"({"cookie": 1})"});
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_THAT(result.err, HasSubstr("no socket can be opened from it"));
}

// dump --recursive: each inner map's entries under its entry, typed by the
// inner map's own BTF, in every format.
TEST_F(MapKindsTest, ARecursiveDumpNestsEachInnerMapTyped) {
  std::map<std::string, json> services = Dump(Pin("services"));
  std::string a = std::to_string(services.at("1")["map_id"].get<uint32_t>());
  BpfmapOk({"put", "id", a, "key", "7", "value",
            R"({"addr": "10.0.0.1", "port": 80, "weight": 3})"});
  json nested = json::parse(BpfmapOk({"-j", "dump", "--recursive",
                                      Pin("services")}));
  ASSERT_EQ(nested.size(), 2u) << nested.dump();
  for (const json& entry : nested) {
    const json& value = entry["value"];
    EXPECT_EQ(value["map_id"], services.at(entry["key"].dump())["map_id"]);
    ASSERT_TRUE(value["entries"].is_array()) << entry.dump();
    if (entry["key"] == 1) {
      EXPECT_EQ(value["entries"],
                json::parse(R"([{"key": 7, "value": {"addr": "10.0.0.1",
                                "port": 80, "weight": 3}}])"));
    } else {
      EXPECT_TRUE(value["entries"].empty()) << entry.dump();
    }
  }
  for (const std::string& line :
       Lines(BpfmapOk({"-o", "ndjson", "dump", "--recursive",
                       Pin("services")}))) {
    EXPECT_TRUE(json::accept(line)) << line;
  }
  EXPECT_THAT(BpfmapOk({"dump", "--recursive", Pin("services")}),
              HasSubstr("\n    key: 7  value: {addr=10.0.0.1 port=80 "
                        "weight=3}\n"));
  // --value-type types the inner maps; the outer values stay ids.
  json as_u64 = json::parse(BpfmapOk({"-j", "--value-type", "u64", "dump",
                                      "--recursive", Pin("services")}));
  for (const json& entry : as_u64) {
    EXPECT_TRUE(entry["value"]["map_id"].is_number()) << entry.dump();
    for (const json& inner : entry["value"]["entries"]) {
      EXPECT_TRUE(inner["value"].is_number()) << inner.dump();
    }
  }
  RunResult both = Bpfmap({"-j", "dump", "--recursive", "--drain",
                           Pin("services")});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_THAT(both.err, HasSubstr("--drain and --recursive"));
  EXPECT_TRUE(json::accept(both.out)) << both.out;
  RunResult flat = Bpfmap({"dump", "--recursive", Pin("stages")});
  EXPECT_EQ(flat.exit_code, 2);
  EXPECT_THAT(flat.err, HasSubstr("not a map of maps"));
}

// Inner maps are opened one at a time and closed as their dump ends: a
// map of 300 inner maps dumps within 32 open descriptors.
TEST_F(MapKindsTest, ARecursiveDumpHoldsOneInnerMapAtATime) {
  // No BTF on either side, so that inner maps made here match it on 6.1.
  BpfmapOk({"create", Pin("tmpl"), "type", "hash", "key", "4", "value", "8",
            "entries", "16"});
  BpfmapOk({"create", Pin("many"), "type", "hash_of_maps", "key", "4",
            "value", "4", "entries", "1000", "inner_map", Pin("tmpl")});
  int many = bpf_obj_get(Pin("many").c_str());
  ASSERT_GE(many, 0);
  for (uint32_t i = 0; i < 1000; ++i) {
    int inner = bpf_map_create(BPF_MAP_TYPE_HASH, nullptr, 4, 8, 16, nullptr);
    ASSERT_GE(inner, 0) << i;
    uint64_t value = i;
    EXPECT_EQ(bpf_map_update_elem(inner, &i, &value, BPF_ANY), 0);
    EXPECT_EQ(bpf_map_update_elem(many, &i, &inner, BPF_ANY), 0) << i;
    close(inner);  // the outer map holds it now
  }
  close(many);
  RunResult result = RunProgram(
      "/usr/bin/prlimit", {"--nofile=32:32", BpfmapPath(), "-j", "dump",
                           "--recursive", Pin("many")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  json nested = json::parse(result.out);
  EXPECT_EQ(nested.size(), 1000u);
  for (const json& entry : nested) {
    EXPECT_EQ(entry["value"]["entries"].size(), 1u) << entry.dump();
  }
}

}  // namespace
}  // namespace bpfmap::testing
