#include "core/btf/btf_scan.h"

#include <bpf/btf.h>
#include <gtest/gtest.h>
#include <linux/btf.h>

#include <string>

namespace bpfmap {
namespace {

// BTF with a record of every kind the walk steps over, built by libbpf.
std::string SampleBtf(int* func_id, int* struct_id, int* after_id = nullptr) {
  struct btf* btf = btf__new_empty();
  int u32 = btf__add_int(btf, "u32", 4, 0);
  int ptr = btf__add_ptr(btf, u32);
  btf__add_array(btf, u32, u32, 4);
  *struct_id = btf__add_struct(btf, "pair", 8);
  btf__add_field(btf, "a", u32, 0, 0);
  btf__add_field(btf, "b", u32, 32, 0);
  btf__add_enum(btf, "color", 4);
  btf__add_enum_value(btf, "RED", 0);
  btf__add_fwd(btf, "later", BTF_FWD_STRUCT);
  btf__add_typedef(btf, "u32_t", u32);
  btf__add_volatile(btf, u32);
  btf__add_const(btf, ptr);
  int proto = btf__add_func_proto(btf, u32);
  btf__add_func_param(btf, "x", u32);
  btf__add_func_param(btf, "y", ptr);
  // A function of another name first, then the one looked for.
  btf__add_func(btf, "other", BTF_FUNC_GLOBAL, proto);
  *func_id = btf__add_func(btf, "wanted", BTF_FUNC_GLOBAL, proto);
  int var = btf__add_var(btf, "v", BTF_VAR_GLOBAL_ALLOCATED, u32);
  btf__add_datasec(btf, ".data", 4);
  btf__add_datasec_var_info(btf, var, 0, 4);
  btf__add_float(btf, "double", 8);
  btf__add_decl_tag(btf, "tag", *struct_id, 0);
  btf__add_type_tag(btf, "user", u32);
  btf__add_enum64(btf, "big", 8, false);
  btf__add_enum64_value(btf, "HUGE", 1ull << 40);
  int after = btf__add_func(btf, "after", BTF_FUNC_GLOBAL, proto);
  if (after_id != nullptr) *after_id = after;
  uint32_t size = 0;
  const void* raw = btf__raw_data(btf, &size);
  std::string bytes(static_cast<const char*>(raw), size);
  btf__free(btf);
  return bytes;
}

TEST(BtfScanTest, FindsWhatLibbpfFinds) {
  int func = 0, pair = 0, last = 0;
  std::string raw = SampleBtf(&func, &pair, &last);
  Result<uint32_t> found = FindTypeInRawBtf(raw, BTF_KIND_FUNC, "wanted");
  ASSERT_TRUE(found.ok()) << found.error().Describe();
  EXPECT_EQ(*found, static_cast<uint32_t>(func));
  Result<uint32_t> after = FindTypeInRawBtf(raw, BTF_KIND_FUNC, "after");
  ASSERT_TRUE(after.ok()) << after.error().Describe();
  EXPECT_EQ(*after, static_cast<uint32_t>(last));
  Result<uint32_t> pair_id = FindTypeInRawBtf(raw, BTF_KIND_STRUCT, "pair");
  ASSERT_TRUE(pair_id.ok());
  EXPECT_EQ(*pair_id, static_cast<uint32_t>(pair));
}

TEST(BtfScanTest, AbsentNamesAndKindsAreNo) {
  int func = 0, pair = 0;
  std::string raw = SampleBtf(&func, &pair);
  // "pair" is a struct, not a function; "want" only a prefix.
  for (const char* name : {"pair", "want", "wantedx", ""}) {
    Result<uint32_t> found = FindTypeInRawBtf(raw, BTF_KIND_FUNC, name);
    ASSERT_FALSE(found.ok()) << name;
    EXPECT_EQ(found.error().kind(), ErrorKind::kNo) << name;
  }
}

TEST(BtfScanTest, DamagedBtfIsBadInput) {
  int func = 0, pair = 0;
  std::string raw = SampleBtf(&func, &pair);
  std::string cut = raw.substr(0, raw.size() - 40);
  std::string no_magic = raw;
  no_magic[0] = 0;
  std::string unknown_kind = raw;
  // The first type's info word: kind 31 does not exist.
  size_t info = 24 + 4 + 3;  // header, name_off, the info word's top byte
  unknown_kind[info] = 31;
  for (const std::string* bad : {&cut, &no_magic, &unknown_kind}) {
    Result<uint32_t> found = FindTypeInRawBtf(*bad, BTF_KIND_FUNC, "wanted");
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.error().kind(), ErrorKind::kBadInput)
        << found.error().Describe();
  }
  EXPECT_FALSE(FindTypeInRawBtf("", BTF_KIND_FUNC, "wanted").ok());
}

}  // namespace
}  // namespace bpfmap
