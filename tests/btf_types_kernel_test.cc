// Key and value types read from the BTF of maps a real BPF object declared.
#include <gtest/gtest.h>

#include "core/kernel/map_btf.h"
#include "core/kernel/map_handle.h"
#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

class BtfTypesTest : public KernelTest {
 protected:
  MapTypes TypesOf(const std::string& name) {
    MapRef ref;
    ref.path = Pin(name);
    Result<MapHandle> map = MapHandle::Open(ref, OpenMode::kReadOnly);
    EXPECT_TRUE(map.ok()) << map.error().Describe();
    if (!map.ok()) return {};
    EXPECT_NE(map->info().btf_id, 0u);
    Result<MapTypes> types = LoadMapTypes(map->info());
    EXPECT_TRUE(types.ok()) << types.error().Describe();
    return types.ok() ? *types : MapTypes{};
  }
};

const Field& FieldNamed(const TypeNode& type, const std::string& name) {
  for (const Field& field : type.fields) {
    if (field.name == name) return field;
  }
  static const Field kNone;
  ADD_FAILURE() << type.name << " has no field " << name;
  return kNone;
}

TEST_F(BtfTypesTest, StructKeyWithPadding) {
  LoadFixture("tests/testdata/typed_maps.bpf.c");
  MapTypes types = TypesOf("typed_hash");
  ASSERT_NE(types.key, nullptr);
  const TypeNode& key = *types.key;
  EXPECT_EQ(key.kind, TypeKind::kStruct);
  EXPECT_EQ(key.name, "struct flow_key");
  EXPECT_EQ(key.size, 8u);  // 4 + 2 + 1, and a byte of padding
  ASSERT_EQ(key.fields.size(), 3u);
  EXPECT_EQ(key.fields[1].name, "port");
  EXPECT_EQ(key.fields[1].bit_offset, 32u);
  EXPECT_EQ(key.fields[1].type->size, 2u);
  EXPECT_EQ(key.fields[2].bit_offset, 48u);
}

TEST_F(BtfTypesTest, ValueOfEveryKind) {
  LoadFixture("tests/testdata/typed_maps.bpf.c");
  MapTypes types = TypesOf("typed_hash");
  ASSERT_NE(types.value, nullptr);
  const TypeNode& value = *types.value;

  const TypeNode& mode = *FieldNamed(value, "mode").type;
  EXPECT_EQ(mode.kind, TypeKind::kEnum);
  EXPECT_EQ(mode.name, "enum mode");
  ASSERT_EQ(mode.enumerators.size(), 3u);
  EXPECT_EQ(mode.enumerators[2].name, "MODE_AUTO");
  EXPECT_EQ(mode.enumerators[2].value, 7);

  const TypeNode& delta = *FieldNamed(value, "delta").type;
  EXPECT_EQ(delta.kind, TypeKind::kInt);
  EXPECT_EQ(delta.name, "delta_t");  // the typedef's name, resolved to s64
  EXPECT_TRUE(delta.is_signed);
  EXPECT_EQ(delta.size, 8u);

  const TypeNode& tag = *FieldNamed(value, "tag").type;
  EXPECT_EQ(tag.kind, TypeKind::kArray);
  EXPECT_EQ(tag.count, 8u);
  EXPECT_EQ(tag.element->kind, TypeKind::kChar);

  const TypeNode& range = *FieldNamed(value, "range").type;
  EXPECT_EQ(range.kind, TypeKind::kStruct);
  EXPECT_EQ(range.fields.size(), 2u);

  const Field& small = FieldNamed(value, "small");
  const Field& flag = FieldNamed(value, "flag");
  EXPECT_EQ(small.bit_size, 3u);
  EXPECT_EQ(flag.bit_size, 1u);
  EXPECT_EQ(flag.bit_offset, small.bit_offset + 3);

  const TypeNode& wide = *FieldNamed(value, "wide").type;
  EXPECT_EQ(wide.element->kind, TypeKind::kInt);
  EXPECT_FALSE(wide.element->is_signed);

  const TypeNode& u = *FieldNamed(value, "u").type;
  EXPECT_EQ(u.kind, TypeKind::kUnion);
  EXPECT_EQ(u.size, 4u);
  EXPECT_EQ(u.fields[0].bit_offset, 0u);
  EXPECT_EQ(u.fields[1].bit_offset, 0u);

  EXPECT_EQ(FieldNamed(value, "on").type->kind, TypeKind::kBool);
}

TEST_F(BtfTypesTest, ScalarsAndLpmKey) {
  LoadFixture("tests/testdata/typed_maps.bpf.c");
  MapTypes percpu = TypesOf("typed_percpu");
  ASSERT_NE(percpu.value, nullptr);
  EXPECT_EQ(percpu.key->name, "__u32");
  EXPECT_EQ(percpu.value->size, 8u);
  MapTypes lpm = TypesOf("typed_lpm");
  ASSERT_NE(lpm.key, nullptr);
  EXPECT_EQ(lpm.key->fields[1].type->name, "__u8[4]");
}

TEST_F(BtfTypesTest, MapsWithoutBtfHaveNoTypes) {
  BpfmapOk({"create", Pin("plain"), "type", "hash", "key", "4", "value", "4",
            "entries", "4"});
  MapRef ref;
  ref.path = Pin("plain");
  Result<MapHandle> map = MapHandle::Open(ref, OpenMode::kReadOnly);
  ASSERT_TRUE(map.ok());
  Result<MapTypes> types = LoadMapTypes(map->info());
  ASSERT_TRUE(types.ok());
  EXPECT_EQ(types->key, nullptr);
  EXPECT_EQ(types->value, nullptr);
}

TEST_F(BtfTypesTest, ShowReportsTheBtfIdAsBpftoolDoes) {
  LoadFixture("tests/testdata/typed_maps.bpf.c");
  std::string ours = BpfmapOk({"-o", "bpftool", "show", Pin("typed_hash")});
  RunResult theirs =
      Bpftool({"-j", "map", "show", "pinned", Pin("typed_hash")});
  ASSERT_EQ(theirs.exit_code, 0);
  // Byte for byte, field order included.
  EXPECT_EQ(ours, theirs.out);
}

}  // namespace
}  // namespace bpfmap::testing
