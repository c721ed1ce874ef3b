#include "core/types/c_type.h"

#include <gtest/gtest.h>

namespace bpfmap {
namespace {

TypeRef Parse(std::string_view text) {
  Result<TypeRef> type = ParseCType(text, nullptr);
  EXPECT_TRUE(type.ok()) << text << ": " << type.error().message();
  return type.ok() ? *type : nullptr;
}

TEST(CTypeTest, Scalars) {
  struct Case {
    const char* text;
    TypeKind kind;
    uint32_t size;
    bool is_signed;
  };
  for (const Case& c : std::vector<Case>{
           {"u8", TypeKind::kInt, 1, false},
           {"s16", TypeKind::kInt, 2, true},
           {"__u32", TypeKind::kInt, 4, false},
           {"__be32", TypeKind::kInt, 4, false},
           {"int64_t", TypeKind::kInt, 8, true},
           {"int", TypeKind::kInt, 4, true},
           {"unsigned", TypeKind::kInt, 4, false},
           {"unsigned long long", TypeKind::kInt, 8, false},
           {"long", TypeKind::kInt, 8, true},
           {"short", TypeKind::kInt, 2, true},
           {"char", TypeKind::kChar, 1, true},
           {"unsigned char", TypeKind::kInt, 1, false},
           {"bool", TypeKind::kBool, 1, false},
           {"double", TypeKind::kFloat, 8, true},
           {"const volatile u16", TypeKind::kInt, 2, false},
       }) {
    TypeRef type = Parse(c.text);
    ASSERT_TRUE(type);
    EXPECT_EQ(type->kind, c.kind) << c.text;
    EXPECT_EQ(type->size, c.size) << c.text;
    EXPECT_EQ(type->is_signed, c.is_signed) << c.text;
  }
}

TEST(CTypeTest, ArraysNestRowMajor) {
  TypeRef type = Parse("u16[2][3]");
  ASSERT_TRUE(type);
  EXPECT_EQ(type->size, 12u);
  EXPECT_EQ(type->count, 2u);
  EXPECT_EQ(type->element->count, 3u);
  TypeRef text = Parse("char[16]");
  EXPECT_TRUE(IsCharArray(*text));
}

TEST(CTypeTest, StructLayoutFollowsTheCAbi) {
  // As clang lays it out for -target bpf: padding after proto, after c.
  TypeRef type = Parse(
      "struct flow { u32 ip; u16 port; u8 proto; u64 bytes; char c; }");
  ASSERT_TRUE(type);
  EXPECT_EQ(type->name, "struct flow");
  ASSERT_EQ(type->fields.size(), 5u);
  EXPECT_EQ(type->fields[0].bit_offset, 0u);
  EXPECT_EQ(type->fields[1].bit_offset, 32u);
  EXPECT_EQ(type->fields[2].bit_offset, 48u);
  EXPECT_EQ(type->fields[3].bit_offset, 64u);
  EXPECT_EQ(type->fields[4].bit_offset, 128u);
  EXPECT_EQ(type->size, 24u);
}

TEST(CTypeTest, BitfieldsPackWithinTheirType) {
  TypeRef type =
      Parse("struct { u8 a:3, b:4; u8 c:2; u16 d:9; u32 e; int f:4; }");
  ASSERT_TRUE(type);
  const std::vector<Field>& f = type->fields;
  ASSERT_EQ(f.size(), 6u);
  EXPECT_EQ(f[0].bit_offset, 0u);
  EXPECT_EQ(f[0].bit_size, 3u);
  EXPECT_EQ(f[1].bit_offset, 3u);
  EXPECT_EQ(f[2].bit_offset, 8u);  // would straddle the first byte
  EXPECT_EQ(f[3].bit_offset, 16u);
  EXPECT_EQ(f[4].bit_offset, 32u);
  EXPECT_EQ(f[5].bit_offset, 64u);
  EXPECT_EQ(type->size, 12u);
}

TEST(CTypeTest, UnionsEnumsAndAnonymousMembers) {
  TypeRef type = Parse(
      "struct s { union { u32 as_u32; u8 bytes[4]; } u; struct { u16 x; }; "
      "enum color { RED, GREEN = 4, BLUE } c; void *p; }");
  ASSERT_TRUE(type);
  ASSERT_EQ(type->fields.size(), 4u);
  EXPECT_EQ(type->fields[0].type->kind, TypeKind::kUnion);
  EXPECT_EQ(type->fields[0].type->size, 4u);
  EXPECT_EQ(type->fields[1].name, "");
  const TypeNode& color = *type->fields[2].type;
  ASSERT_EQ(color.enumerators.size(), 3u);
  EXPECT_EQ(color.enumerators[2].name, "BLUE");
  EXPECT_EQ(color.enumerators[2].value, 5);
  EXPECT_EQ(type->fields[3].type->kind, TypeKind::kPointer);
  EXPECT_EQ(type->fields[3].bit_offset, 128u);
  EXPECT_EQ(type->size, 24u);
  EXPECT_EQ(FieldNames(*type), "u, x, c, p");
}

TEST(CTypeTest, NamedTypesComeFromTheLookup) {
  auto node = std::make_shared<TypeNode>();
  node->kind = TypeKind::kStruct;
  node->name = "struct flow_key";
  node->size = 8;
  NamedTypeLookup lookup = [&](std::string_view keyword,
                               std::string_view name) -> Result<TypeRef> {
    if (keyword == "struct" && name == "flow_key") return TypeRef(node);
    return Error::BadInput("not found");
  };
  Result<TypeRef> type = ParseCType("struct flow_key", lookup);
  ASSERT_TRUE(type.ok());
  EXPECT_EQ(type->get(), node.get());
  Result<TypeRef> array = ParseCType("struct flow_key[2]", lookup);
  ASSERT_TRUE(array.ok());
  EXPECT_EQ((*array)->size, 16u);
}

TEST(CTypeTest, RefusesWhatIsNotAType) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"", "no type given"},
           {"u33", "unknown type 'u33'"},
           {"struct flow_key", "struct flow_key is not defined here"},
           {"u8[0]", "length of at least 1"},
           {"u8[", "the type ends early"},
           {"u32 x", "unexpected 'x'"},
           {"struct { u8 a:9; }", "a bitfield of 9 bits does not fit in u8"},
           {"struct { u8 a; u8 a; }", "member a is declared twice"},
           {"struct { }", "has no members"},
           {"struct { u8 a }", "expected ';'"},
           {"long short", "'long short' is not a C type"},
           {"enum { A, A }", "enumerator A is given twice"},
           {"u8[1048576][1048576]", "larger than 1 GiB"},
           {"u8 $", "unexpected character '$'"},
       }) {
    Result<TypeRef> type = ParseCType(c.text, nullptr);
    ASSERT_FALSE(type.ok()) << c.text;
    EXPECT_EQ(type.error().kind(), ErrorKind::kBadInput);
    EXPECT_NE(type.error().message().find(c.message), std::string::npos)
        << c.text << ": " << type.error().message();
  }
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "struct { ";
  deep += "u8 x; ";
  for (int i = 0; i < 39; ++i) deep += "} m; ";
  deep += "}";
  Result<TypeRef> nested = ParseCType(deep, nullptr);
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.error().message().find("nests more than 32 levels"),
            std::string::npos)
      << nested.error().message();
}

}  // namespace
}  // namespace bpfmap
