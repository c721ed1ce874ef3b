// The bash, zsh and fish completions, each driven by its own shell against
// a private bpffs with known maps.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

class CompletionsTest : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // `bpfmap` on PATH, as an installed one would be.
    bin_ = bpffs() + ".bin";
    mkdir(bin_.c_str(), 0755);
    std::string link = bin_ + "/bpfmap";
    char real[4096];
    ASSERT_NE(realpath(BpfmapPath().c_str(), real), nullptr);
    ASSERT_EQ(symlink(real, link.c_str()), 0);
    BpfmapOk({"create", Pin("cmpl_hash"), "type", "hash", "key", "4", "value",
              "4", "entries", "4", "name", "cmpl_hash"});
    BpfmapOk({"create", Pin("cmpl_typed"), "type", "hash", "key",
              "struct { u32 ip; u16 port; }", "value", "u64", "entries", "4"});
    id_ = std::to_string(
        json::parse(BpfmapOk({"-j", "show", Pin("cmpl_hash")}))["id"]
            .get<int>());
  }
  void TearDown() override {
    unlink((bin_ + "/bpfmap").c_str());
    rmdir(bin_.c_str());
    KernelTest::TearDown();
  }

  std::string Script(const std::string& name) const {
    char real[4096];
    EXPECT_NE(realpath(("completions/" + name).c_str(), real), nullptr);
    return real;
  }
  std::string Path() const { return bin_ + ":/usr/bin:/bin"; }

  // What each shell offers for `line` (which ends where Tab is pressed).
  std::string Bash(const std::string& line) {
    std::vector<std::string> words;
    std::string word;
    for (char c : line) {
      if (c == ' ') {
        words.push_back(word);
        word.clear();
      } else {
        word += c;
      }
    }
    words.push_back(word);
    std::vector<std::string> args = {
        "PATH=" + Path(), "bash", "-c",
        "source \"$1\"; shift; COMP_WORDS=(\"$@\"); "
        "COMP_CWORD=$(($# - 1)); _bpfmap; printf '%s\\n' \"${COMPREPLY[@]}\"",
        "_", Script("bpfmap.bash")};
    args.insert(args.end(), words.begin(), words.end());
    RunResult result = RunProgram("/usr/bin/env", args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }
  std::string Fish(const std::string& line) {
    RunResult result = RunProgram(
        "/usr/bin/env",
        {"PATH=" + Path(), "BPFMAP_LINE=" + line, "fish", "--no-config", "-c",
         "source " + Script("bpfmap.fish") + "; complete -C \"$BPFMAP_LINE\""});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }
  std::string Zsh(const std::string& line) {
    char fixture[4096];
    EXPECT_NE(realpath("tests/testdata/zsh_complete.zsh", fixture), nullptr);
    std::string dir = Script("_bpfmap");
    dir = dir.substr(0, dir.rfind('/'));
    RunResult result = RunProgram(
        "/usr/bin/env",
        {"PATH=/usr/bin:/bin", "zsh", "-f", fixture, dir, bin_, line});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    // Drop terminal control sequences.
    return std::regex_replace(result.out, std::regex("\x1b\\[[0-9;?]*[A-Za-z]"),
                              "");
  }

  struct Case {
    std::string line;
    std::vector<std::string> expected;
  };
  std::vector<Case> Cases() const {
    return {
        {"bpfmap ", {"create", "dump", "freeze", "lookup", "dequeue", "list"}},
        {"bpfmap --", {"--json", "--output", "--cpus", "--key-type", "--btf"}},
        {"bpfmap -o ", {"plain", "table", "ndjson", "bpftool"}},
        {"bpfmap --cpus ", {"each", "sum", "min", "max"}},
        {"bpfmap create " + Pin("n") + " type ", {"lru_hash", "bloom_filter"}},
        {"bpfmap create " + Pin("n") + " type hash flags no_prealloc,mm",
         {"no_prealloc,mmapable"}},
        {"bpfmap dump ", {Pin("cmpl_hash"), Pin("cmpl_typed"), "id", "name"}},
        {"bpfmap freeze ", {Pin("cmpl_hash"), "id", "name"}},
        {"bpfmap get id ", {id_}},
        {"bpfmap get name cmpl_", {"cmpl_hash"}},
        {"bpfmap put " + Pin("cmpl_hash") + " ",
         {"key", "values", "noexist"}},
        {"bpfmap dump " + Pin("cmpl_hash") + " --d", {"--drain"}},
        {"bpfmap get " + Pin("cmpl_typed") + " key ", {"\"ip\": 0", "\"port\""}},
    };
  }

  std::string bin_;
  std::string id_;
};

TEST_F(CompletionsTest, Bash) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.line);
    std::string offered = Bash(c.line);
    for (const std::string& want : c.expected) {
      EXPECT_THAT(offered, HasSubstr(want));
    }
  }
}

TEST_F(CompletionsTest, Fish) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.line);
    std::string offered = Fish(c.line);
    for (const std::string& want : c.expected) {
      EXPECT_THAT(offered, HasSubstr(want));
    }
  }
}

TEST_F(CompletionsTest, Zsh) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.line);
    std::string offered = Zsh(c.line);
    for (const std::string& want : c.expected) {
      EXPECT_THAT(offered, HasSubstr(want));
    }
  }
}

TEST_F(CompletionsTest, OnlyCandidatesThatFit) {
  std::string offered = Bash("bpfmap du");
  EXPECT_EQ(offered, "dump\n");
  EXPECT_EQ(Bash("bpfmap get " + Pin("cmpl_hash") + " key 1 0 0 0 v"),
            "value\n");
}

}  // namespace
}  // namespace bpfmap::testing
