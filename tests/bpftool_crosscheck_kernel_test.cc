// bpftool, a peer nobody here wrote, reads what bpfmap wrote and the reverse;
// `-o bpftool` prints exactly what `bpftool -j` prints.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;

class BpftoolTest : public KernelTest {
 protected:
  json BpftoolJson(const std::vector<std::string>& args) {
    std::vector<std::string> with_j = {"-j"};
    with_j.insert(with_j.end(), args.begin(), args.end());
    RunResult result = Bpftool(with_j);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
  }
  json BpfmapAsBpftool(const std::vector<std::string>& args) {
    std::vector<std::string> with_o = {"-o", "bpftool"};
    with_o.insert(with_o.end(), args.begin(), args.end());
    return json::parse(BpfmapOk(with_o));
  }
  static json Sorted(json array) {
    std::sort(array.begin(), array.end());
    return array;
  }
};

TEST_F(BpftoolTest, BpftoolReadsWhatBpfmapWrote) {
  const std::string name = UniqueMapName("xcheck");
  BpfmapOk({"create", Pin("h"), "type", "hash", "key", "4", "value", "8",
            "entries", "8", "name", name});
  BpfmapOk({"put", Pin("h"), "key", "1", "0", "0", "0", "value", "hex",
            "0102030405060708"});
  RunResult lookup = Bpftool({"map", "lookup", "pinned", Pin("h"), "key", "1",
                              "0", "0", "0"});
  EXPECT_EQ(lookup.exit_code, 0) << lookup.err;
  EXPECT_THAT(lookup.out, ::testing::HasSubstr(
                              "value: 01 02 03 04 05 06 07 08"));
  json show = BpftoolJson({"map", "show", "pinned", Pin("h")});
  EXPECT_EQ(show["name"], name);
  EXPECT_EQ(show["type"], "hash");
  EXPECT_EQ(show["bytes_key"], 4);
}

TEST_F(BpftoolTest, BpfmapReadsWhatBpftoolWrote) {
  const std::string name = UniqueMapName("fromtool");
  RunResult create = Bpftool({"map", "create", Pin("h"), "type", "hash", "key",
                              "4", "value", "4", "entries", "8", "name",
                              name});
  ASSERT_EQ(create.exit_code, 0) << create.err;
  ASSERT_EQ(Bpftool({"map", "update", "pinned", Pin("h"), "key", "7", "0", "0",
                     "0", "value", "0xaa", "0xbb", "0xcc", "0xdd"})
                .exit_code,
            0);
  EXPECT_EQ(BpfmapOk({"get", Pin("h"), "key", "7", "0", "0", "0"}),
            "key: 07 00 00 00  value: aa bb cc dd\n");
  EXPECT_EQ(json::parse(BpfmapOk({"-j", "dump", "name", name})),
            json::parse(R"([{"key":"07000000","value":"aabbccdd"}])"));
}

TEST_F(BpftoolTest, BpftoolFormatMatchesBpftoolForKeyedMaps) {
  for (const char* type : {"hash", "array", "percpu_hash", "percpu_array",
                           "lru_hash", "lru_percpu_hash"}) {
    SCOPED_TRACE(type);
    std::string pin = Pin(std::string("m_") + type);
    BpfmapOk({"create", pin, "type", type, "key", "4", "value", "6",
              "entries", "4", "name", UniqueMapName("xc")});
    BpfmapOk({"put", pin, "key", "1", "0", "0", "0", "value", "1", "2", "3",
              "4", "5", "6"});
    BpfmapOk({"put", pin, "key", "2", "0", "0", "0", "value", "6", "5", "4",
              "3", "2", "1"});
    EXPECT_EQ(Sorted(BpfmapAsBpftool({"dump", pin})),
              Sorted(BpftoolJson({"map", "dump", "pinned", pin})));
    EXPECT_EQ(BpfmapAsBpftool({"get", pin, "key", "1", "0", "0", "0"}),
              BpftoolJson({"map", "lookup", "pinned", pin, "key", "1", "0",
                           "0", "0"}));
    EXPECT_EQ(BpfmapAsBpftool({"show", pin}),
              BpftoolJson({"map", "show", "pinned", pin}));
  }
}

TEST_F(BpftoolTest, BpftoolFormatMatchesBpftoolForQueuesAndMutations) {
  BpfmapOk({"create", Pin("q"), "type", "queue", "key", "0", "value", "4",
            "entries", "4"});
  BpfmapOk({"put", Pin("q"), "value", "1", "2", "3", "4"});
  EXPECT_EQ(BpfmapAsBpftool({"get", Pin("q")}),
            BpftoolJson({"map", "peek", "pinned", Pin("q")}));
  EXPECT_EQ(BpfmapAsBpftool({"show", Pin("q")}),
            BpftoolJson({"map", "show", "pinned", Pin("q")}));
  // Commands with nothing to print: bpftool prints null.
  EXPECT_EQ(BpfmapAsBpftool({"put", Pin("q"), "value", "5", "6", "7", "8"}),
            BpftoolJson({"map", "push", "pinned", Pin("q"), "value", "5", "6",
                         "7", "8"}));
  // What bpftool peeks is what bpfmap then pops, printed alike.
  json peeked = BpftoolJson({"map", "peek", "pinned", Pin("q")});
  EXPECT_EQ(BpfmapAsBpftool({"del", Pin("q")}), peeked);
}

TEST_F(BpftoolTest, BpftoolFormatListMatchesBpftoolShowWithPins) {
  BpfmapOk({"create", Pin("l"), "type", "hash", "key", "4", "value", "4",
            "entries", "4", "name", UniqueMapName("listed")});
  json ours = BpfmapAsBpftool({"list", bpffs()});
  ASSERT_EQ(ours.size(), 1u);
  json theirs = BpftoolJson({"-f", "map", "show", "pinned", Pin("l")});
  EXPECT_EQ(ours[0], theirs);
}

}  // namespace
}  // namespace bpfmap::testing
