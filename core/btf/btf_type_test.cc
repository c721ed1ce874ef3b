// TypeFromBtf on BTF built in memory with libbpf's writer: no kernel.
#include "core/btf/btf_type.h"

#include <bpf/btf.h>
#include <gtest/gtest.h>

#include <memory>

namespace bpfmap {
namespace {

struct BtfFree {
  void operator()(struct btf* btf) const { btf__free(btf); }
};

class BtfTypeTest : public ::testing::Test {
 protected:
  BtfTypeTest() : btf_(btf__new_empty()) {}
  struct btf* btf() { return btf_.get(); }

 private:
  std::unique_ptr<struct btf, BtfFree> btf_;
};

TEST_F(BtfTypeTest, ResolvesModifiersAndKeepsTheTypedefName) {
  int u32 = btf__add_int(btf(), "unsigned int", 4, 0);
  int konst = btf__add_const(btf(), u32);
  int id = btf__add_typedef(btf(), "ifindex_t", konst);
  Result<TypeRef> type = TypeFromBtf(btf(), id);
  ASSERT_TRUE(type.ok()) << type.error().message();
  EXPECT_EQ((*type)->kind, TypeKind::kInt);
  EXPECT_EQ((*type)->name, "ifindex_t");
  EXPECT_EQ((*type)->size, 4u);
  EXPECT_FALSE((*type)->is_signed);
}

TEST_F(BtfTypeTest, StructWithBitfieldsArrayAndEnum) {
  int u8 = btf__add_int(btf(), "unsigned char", 1, 0);
  int chr = btf__add_int(btf(), "char", 1, BTF_INT_SIGNED | BTF_INT_CHAR);
  int boolean = btf__add_int(btf(), "_Bool", 1, BTF_INT_BOOL);
  int name = btf__add_array(btf(), u8, chr, 6);
  int mode = btf__add_enum(btf(), "mode", 4);
  btf__add_enum_value(btf(), "OFF", 0);
  btf__add_enum_value(btf(), "ON", 1);
  int s = btf__add_struct(btf(), "rec", 12);
  btf__add_field(btf(), "name", name, 0, 0);
  btf__add_field(btf(), "small", u8, 48, 3);
  btf__add_field(btf(), "flag", u8, 51, 1);
  btf__add_field(btf(), "on", boolean, 56, 0);
  btf__add_field(btf(), "mode", mode, 64, 0);
  Result<TypeRef> type = TypeFromBtf(btf(), s);
  ASSERT_TRUE(type.ok()) << type.error().message();
  const TypeNode& rec = **type;
  EXPECT_EQ(rec.name, "struct rec");
  ASSERT_EQ(rec.fields.size(), 5u);
  EXPECT_EQ(rec.fields[0].type->name, "char[6]");
  EXPECT_EQ(rec.fields[0].type->element->kind, TypeKind::kChar);
  EXPECT_EQ(rec.fields[1].bit_size, 3u);
  EXPECT_EQ(rec.fields[2].bit_offset, 51u);
  EXPECT_EQ(rec.fields[3].type->kind, TypeKind::kBool);
  const TypeNode& e = *rec.fields[4].type;
  EXPECT_EQ(e.kind, TypeKind::kEnum);
  EXPECT_EQ(e.name, "enum mode");
  ASSERT_EQ(e.enumerators.size(), 2u);
  EXPECT_EQ(e.enumerators[1].name, "ON");
}

TEST_F(BtfTypeTest, RefusesTypesThatCannotHoldMapData) {
  int fwd = btf__add_fwd(btf(), "opaque", BTF_FWD_STRUCT);
  int proto = btf__add_func_proto(btf(), 0);
  for (int id : {0, fwd, proto, 9999}) {
    Result<TypeRef> type = TypeFromBtf(btf(), id);
    ASSERT_FALSE(type.ok()) << id;
    EXPECT_EQ(type.error().kind(), ErrorKind::kBadInput);
  }
}

TEST_F(BtfTypeTest, RefusesRunawayNesting) {
  int id = btf__add_int(btf(), "int", 4, BTF_INT_SIGNED);
  for (int i = 0; i < 100; ++i) id = btf__add_const(btf(), id);
  Result<TypeRef> type = TypeFromBtf(btf(), id);
  ASSERT_FALSE(type.ok());
  EXPECT_NE(type.error().message().find("nests more than"), std::string::npos);
}

}  // namespace
}  // namespace bpfmap
