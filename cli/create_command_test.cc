#include "cli/create_command.h"

#include <gtest/gtest.h>

namespace bpfmap::cli {
namespace {

TEST(CreateCommandTest, ReadsEveryKeywordInAnyOrder) {
  Result<CreateRequest> request = ParseCreateWords(
      {"/sys/fs/bpf/m", "entries", "64", "value", "8", "flags",
       "no_prealloc,mmapable", "name", "m1", "key", "4", "type",
       "percpu_hash"},
      "");
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_EQ(request->path, "/sys/fs/bpf/m");
  EXPECT_EQ(request->type, 5u);
  EXPECT_EQ(request->key_size, 4u);
  EXPECT_EQ(request->value_size, 8u);
  EXPECT_EQ(request->max_entries, 64u);
  EXPECT_EQ(request->flags, 1u | 1024u);
  EXPECT_EQ(request->name, "m1");
}

TEST(CreateCommandTest, FlagsMayBeANumber) {
  Result<CreateRequest> request =
      ParseCreateWords({"/b/m", "type", "hash", "key", "4", "value", "4",
                        "entries", "0x10", "flags", "0x400"},
                       "");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->flags, 0x400u);
  EXPECT_EQ(request->max_entries, 16u);
}

TEST(CreateCommandTest, TakesCTypesForKeyAndValue) {
  Result<CreateRequest> request = ParseCreateWords(
      {"/b/m", "type", "hash", "key", "u32", "value",
       "struct stats { u64 packets; u64 bytes; char comm[16]; }", "entries",
       "8"},
      "");
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_EQ(request->key_size, 4u);
  EXPECT_EQ(request->value_size, 32u);
  ASSERT_TRUE(request->types.key);
  ASSERT_TRUE(request->types.value);
  EXPECT_EQ(request->types.value->name, "struct stats");
}

TEST(CreateCommandTest, GivesASizedSideATypeWhenTheOtherIsTyped) {
  Result<CreateRequest> request =
      ParseCreateWords({"/b/m", "type", "array", "key", "4", "value",
                        "struct { u64 n; }", "entries", "8"},
                       "");
  ASSERT_TRUE(request.ok()) << request.error().message();
  ASSERT_TRUE(request->types.key);
  EXPECT_EQ(request->types.key->size, 4u);
  EXPECT_EQ(request->types.key->kind, TypeKind::kInt);
}

TEST(CreateCommandTest, RefusesMalformedWords) {
  std::vector<std::string> base = {"type", "hash", "key", "4", "value", "4",
                                   "entries", "4"};
  auto with = [&](std::vector<std::string> words) {
    std::vector<std::string> all = {"/b/m"};
    all.insert(all.end(), base.begin(), base.end());
    all.insert(all.end(), words.begin(), words.end());
    return all;
  };
  struct Case {
    std::vector<std::string> words;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {{}, "PATH is needed"},
           {{"m", "type", "hash"}, "is not a path"},
           {{"/b/m", "type", "hash", "key", "4", "value", "4"},
            "'entries' is needed"},
           {with({"name"}), "'name' needs a value"},
           {with({"colour", "red"}), "unexpected 'colour'"},
           {with({"type", "array"}), "'type' given twice"},
           {with({"flags", "nope"}), "create: flags: unknown flag 'nope'"},
           {with({"name", "x-y"}), "create: name 'x-y'"},
           {{"/b/m", "type", "hash", "key", "-4", "value", "4", "entries",
             "4"},
            "key size: '-4' is not a number"},
           {{"/b/m", "type", "hash", "key", "4", "value", "4", "entries",
             "4294967296"},
            "entries: '4294967296' is not a number"},
           {{"/b/m", "type", "nope", "key", "4", "value", "4", "entries", "4"},
            "unknown map type 'nope'"},
           {{"/b/m", "type", "hash", "key", "u33", "value", "4", "entries",
             "4"},
            "create: key 'u33': unknown type 'u33'"},
           {{"/b/m", "type", "hash", "key", "4", "value", "struct flows",
             "entries", "4"},
            "create: value 'struct flows': struct flows is not defined here"},
           {{"/b/m", "type", "hash", "key", "4", "value", "struct { u8 a:9; }",
             "entries", "4"},
            "a bitfield of 9 bits does not fit in u8"},
       }) {
    Result<CreateRequest> request = ParseCreateWords(c.words, "");
    ASSERT_FALSE(request.ok()) << c.message;
    EXPECT_EQ(request.error().kind(), ErrorKind::kBadInput);
    EXPECT_NE(request.error().message().find(c.message), std::string::npos)
        << request.error().message();
  }
}

}  // namespace
}  // namespace bpfmap::cli
