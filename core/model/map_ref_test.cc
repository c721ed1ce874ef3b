#include "core/model/map_ref.h"

#include <gtest/gtest.h>

namespace bpfmap {
namespace {

Result<MapRef> Parse(const std::vector<std::string>& words, size_t& pos) {
  return ParseMapRef(words, pos);
}

TEST(MapRefTest, ReadsEveryForm) {
  size_t pos = 0;
  std::vector<std::string> words = {"/sys/fs/bpf/x", "pinned", "rel/y", "id",
                                    "42", "name", "flows"};
  MapRef a = *Parse(words, pos);
  EXPECT_EQ(a.kind, MapRef::Kind::kPinned);
  EXPECT_EQ(a.path, "/sys/fs/bpf/x");
  EXPECT_EQ(pos, 1u);
  MapRef b = *Parse(words, pos);
  EXPECT_EQ(b.path, "rel/y");
  EXPECT_EQ(pos, 3u);
  MapRef c = *Parse(words, pos);
  EXPECT_EQ(c.kind, MapRef::Kind::kId);
  EXPECT_EQ(c.id, 42u);
  MapRef d = *Parse(words, pos);
  EXPECT_EQ(d.kind, MapRef::Kind::kName);
  EXPECT_EQ(d.name, "flows");
  EXPECT_EQ(pos, words.size());
  EXPECT_EQ(a.ToString(), "pinned /sys/fs/bpf/x");
  EXPECT_EQ(c.ToString(), "id 42");
  EXPECT_EQ(d.ToString(), "name flows");
}

TEST(MapRefTest, RefusesWhatIsNotAReference) {
  for (const std::vector<std::string>& words :
       std::vector<std::vector<std::string>>{{},
                                             {"flows"},
                                             {"id"},
                                             {"id", "x"},
                                             {"id", "0"},
                                             {"id", "-1"},
                                             {"id", "99999999999"},
                                             {"name"},
                                             {"pinned"},
                                             {"pinned", ""}}) {
    size_t pos = 0;
    Result<MapRef> ref = Parse(words, pos);
    EXPECT_FALSE(ref.ok()) << (words.empty() ? "(empty)" : words[0]);
    if (!ref.ok()) {
      EXPECT_EQ(ref.error().kind(), ErrorKind::kBadInput);
    }
  }
}

}  // namespace
}  // namespace bpfmap
