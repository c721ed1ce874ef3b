// The checks create makes before any syscall; no kernel needed.
#include "core/kernel/map_create.h"

#include <linux/bpf.h>

#include <gtest/gtest.h>

#include <cerrno>

namespace bpfmap {
namespace {

TEST(MapCreateTest, NamesTheKernelAccepts) {
  EXPECT_TRUE(ValidateMapName("").ok());
  EXPECT_TRUE(ValidateMapName("flows_v1.2").ok());
  EXPECT_TRUE(ValidateMapName("abcdefghijklmno").ok());  // 15
}

TEST(MapCreateTest, NamesTheKernelRefuses) {
  Status long_name = ValidateMapName("abcdefghijklmnop");  // 16
  ASSERT_FALSE(long_name.ok());
  EXPECT_EQ(long_name.error().kind(), ErrorKind::kBadInput);
  EXPECT_NE(long_name.error().message().find("at most 15"), std::string::npos);
  for (const char* name : {"a-b", "a b", "ü", "a/b", "a\nb"}) {
    EXPECT_FALSE(ValidateMapName(name).ok()) << name;
  }
}

TEST(MapCreateTest, FlagsAPinnedMapCanKeep) {
  EXPECT_TRUE(ValidateCreateFlags(0).ok());
  EXPECT_TRUE(ValidateCreateFlags(BPF_F_RDONLY | BPF_F_NO_PREALLOC).ok());
  EXPECT_TRUE(ValidateCreateFlags(BPF_F_WRONLY_PROG).ok());
  Status wronly = ValidateCreateFlags(BPF_F_WRONLY);
  ASSERT_FALSE(wronly.ok());
  EXPECT_EQ(wronly.error().kind(), ErrorKind::kBadInput);
}

TEST(MapCreateTest, PinPathMustBeFreeAndOnABpffs) {
  Status directory = CheckPinPath("/sys/fs/bpf/");
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().kind(), ErrorKind::kBadInput);
  Status not_bpffs = CheckPinPath("/tmp/bpfmap-create-test-nothing-here");
  ASSERT_FALSE(not_bpffs.ok());
  EXPECT_EQ(not_bpffs.error().kind(), ErrorKind::kSystem);
  EXPECT_NE(not_bpffs.error().message().find("is not on a bpffs"),
            std::string::npos);
  Status no_parent = CheckPinPath("/nonexistent-dir-for-bpfmap/x");
  ASSERT_FALSE(no_parent.ok());
  EXPECT_EQ(no_parent.error().errno_value(), ENOENT);
  Status existing = CheckPinPath("/etc/passwd");
  ASSERT_FALSE(existing.ok());
  // bpfmap decides this itself: no errno of the kernel's is claimed.
  EXPECT_EQ(existing.error().kind(), ErrorKind::kSystem);
  EXPECT_EQ(existing.error().errno_value(), 0);
  EXPECT_EQ(existing.error().Describe(),
            "/etc/passwd: refusing to replace what is already there");
}

}  // namespace
}  // namespace bpfmap
