#include "core/model/map_types.h"

#include <gtest/gtest.h>

namespace bpfmap {
namespace {

TEST(MapTypesTest, NamesRoundTrip) {
  for (const MapTypeInfo& info : AllMapTypes()) {
    Result<const MapTypeInfo*> parsed = ParseMapType(info.name);
    ASSERT_TRUE(parsed.ok()) << info.name;
    EXPECT_EQ((*parsed)->type, info.type);
    EXPECT_EQ(MapTypeName(info.type), info.name);
  }
  EXPECT_EQ(MapTypeName(9999), "9999");
}

TEST(MapTypesTest, KnowsWhatEachTypeSupports) {
  EXPECT_TRUE((*ParseMapType("percpu_hash"))->per_cpu);
  EXPECT_FALSE((*ParseMapType("hash"))->per_cpu);
  EXPECT_EQ((*ParseMapType("queue"))->access, MapAccess::kQueue);
  EXPECT_EQ((*ParseMapType("stack"))->access, MapAccess::kQueue);
  EXPECT_EQ((*ParseMapType("bloom_filter"))->access, MapAccess::kBloomFilter);
  EXPECT_EQ((*ParseMapType("ringbuf"))->access, MapAccess::kNone);
  EXPECT_FALSE((*ParseMapType("struct_ops"))->create_blocker.empty());
  EXPECT_TRUE((*ParseMapType("sk_storage"))->create_blocker.empty());
  EXPECT_TRUE(IsLocalStorage((*ParseMapType("task_storage"))->type));
  EXPECT_FALSE(IsLocalStorage((*ParseMapType("hash"))->type));
  EXPECT_TRUE((*ParseMapType("hash_of_maps"))->create_blocker.empty());
  EXPECT_TRUE((*ParseMapType("lpm_trie"))->create_blocker.empty());
}

TEST(MapTypesTest, UnknownTypeListsTheKnownOnes) {
  Result<const MapTypeInfo*> parsed = ParseMapType("hashmap");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().kind(), ErrorKind::kBadInput);
  EXPECT_NE(parsed.error().message().find("unknown map type 'hashmap' (types: "
                                          "hash, array,"),
            std::string::npos);
}

TEST(MapTypesTest, ParsesFlagNamesAndNumbers) {
  EXPECT_EQ(*ParseMapFlags("no_prealloc"), 1u);
  EXPECT_EQ(*ParseMapFlags("no_prealloc,mmapable"), 1u | 1024u);
  EXPECT_EQ(*ParseMapFlags("rdonly,wronly"), 8u | 16u);
  EXPECT_EQ(*ParseMapFlags("1024"), 1024u);
  EXPECT_EQ(*ParseMapFlags("0x401"), 0x401u);
  for (const MapFlagInfo& flag : AllMapFlags()) {
    EXPECT_EQ(*ParseMapFlags(flag.name), flag.bit) << flag.name;
  }
}

TEST(MapTypesTest, RefusesBadFlags) {
  for (const char* text : {"", "nope", "no_prealloc,", ",mmapable", "0x",
                           "99999999999", "12ab"}) {
    Result<uint32_t> flags = ParseMapFlags(text);
    EXPECT_FALSE(flags.ok()) << text;
  }
  EXPECT_NE(ParseMapFlags("nope").error().message().find(
                "unknown flag 'nope' (flags: no_prealloc,"),
            std::string::npos);
}

}  // namespace
}  // namespace bpfmap
