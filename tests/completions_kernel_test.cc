// The bash, zsh and fish completions, each driven by its own shell against
// a private bpffs with known maps.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <regex>
#include <set>
#include <sstream>

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
              "4", "entries", "4", "name", UniqueMapName("cmpl_hash")});
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
    // As bash splits a line: at spaces, and around '=' (COMP_WORDBREAKS).
    for (char c : line) {
      if (c == ' ') {
        words.push_back(word);
        word.clear();
      } else if (c == '=') {
        if (!word.empty()) words.push_back(word);
        words.push_back("=");
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
  // What zsh offers for each of `lines`, all typed into one zsh.
  std::vector<std::string> Zsh(const std::vector<std::string>& lines) {
    char fixture[4096];
    EXPECT_NE(realpath("tests/testdata/zsh_complete.zsh", fixture), nullptr);
    std::string dir = Script("_bpfmap");
    dir = dir.substr(0, dir.rfind('/'));
    std::vector<std::string> args = {"PATH=/usr/bin:/bin", "zsh", "-f",
                                     fixture, dir, bin_};
    args.insert(args.end(), lines.begin(), lines.end());
    RunResult result = RunProgram("/usr/bin/env", args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    // Drop terminal control sequences, then cut at the markers.
    std::string out = std::regex_replace(
        result.out, std::regex("\x1b\\[[0-9;?]*[A-Za-z]"), "");
    std::vector<std::string> offered;
    const std::string marker = "@@bpfmap-zsh-case@@\n";
    for (size_t at = 0, end; (end = out.find(marker, at)) != std::string::npos;
         at = end + marker.size()) {
      offered.push_back(out.substr(at, end - at));
    }
    EXPECT_EQ(offered.size(), lines.size()) << "zsh printed:\n" << out;
    offered.resize(lines.size());
    return offered;
  }

  // The words of a shell's output, split at white space and at the
  // terminal's bell and backspace (zsh's echo of the line has both): a
  // candidate that was offered is one of them. A candidate with spaces in
  // it comes out as several words, which only `expected` (a substring
  // check) needs whole.
  static std::set<std::string> Words(const std::string& text) {
    std::set<std::string> words;
    std::string word;
    for (char c : text) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\a' ||
          c == '\b') {
        if (!word.empty()) words.insert(word);
        word.clear();
      } else {
        word += c;
      }
    }
    if (!word.empty()) words.insert(word);
    return words;
  }
  // Fish prints "CANDIDATE<tab>DESCRIPTION": only the candidates count.
  static std::string FishCandidates(const std::string& out) {
    std::istringstream lines(out);
    std::string line, candidates;
    while (std::getline(lines, line)) {
      candidates += line.substr(0, line.find('\t')) + "\n";
    }
    return candidates;
  }

  struct Case {
    std::string line;
    // Each must be in what the shell shows.
    std::vector<std::string> expected;
    // None may be a word of what the shell offers: candidates that would be
    // wrong at this point of the line.
    std::vector<std::string> absent = {};
  };
  std::vector<Case> Cases() const {
    const std::string hash = Pin("cmpl_hash");
    const std::string typed = Pin("cmpl_typed");
    return {
        {"bpfmap ",
         {"create", "dump", "freeze", "lookup", "dequeue", "list"},
         {"hash", "key", "value", "pinned", "noexist", "--drain", hash}},
        {"bpfmap --",
         {"--json", "--output", "--cpus", "--key-type", "--btf"},
         // Options of one command, before there is a command.
         {"dump", "--drain", "--all", "--file"}},
        {"bpfmap -o ",
         {"plain", "table", "ndjson", "bpftool"},
         {"each", "sum", "hash", "dump", "--json"}},
        {"bpfmap --cpus ",
         {"each", "sum", "min", "max"},
         {"plain", "json", "hash", "dump"}},
        {"bpfmap create " + Pin("n") + " ",
         {"type", "key", "value", "entries", "name", "flags"},
         {"dump", "hash", "id", "pinned", "noexist", "--drain"}},
        {"bpfmap create " + Pin("n") + " type ",
         {"lru_hash", "bloom_filter"},
         // No commands, options, other keywords or flags where a type goes.
         {"dump", "get", "--json", "--drain", "key", "entries", "no_prealloc",
          "id"}},
        {"bpfmap create " + Pin("n") + " type hash flags no_prealloc,mm",
         {"no_prealloc,mmapable"},
         // The flags already typed stay in the candidate.
         {"mmapable", "no_prealloc,rdonly", "entries", "hash"}},
        {"bpfmap dump ",
         {hash, typed, "id", "name"},
         // Maps are wanted, not map types, commands or keywords.
         {"hash", "lru_hash", "create", "key", "value", "noexist"}},
        {"bpfmap freeze ",
         {hash, "id", "name"},
         {"hash", "key", "value", "dump"}},
        {"bpfmap get id ",
         {id_},
         // Ids only: not the other ways to name a map, nor its keys.
         {"name", "pinned", hash, "key"}},
        {"bpfmap get name cmpl_",
         {UniqueMapName("cmpl_hash")},
         // A pin's file name is not a map name; the untyped one has none.
         {hash, "cmpl_typed", "id", "key"}},
        {"bpfmap put " + hash + " ",
         {"key", "values", "noexist"},
         {"get", "dump", "hash", "id", "name", "pinned", "--drain"}},
        {"bpfmap dump " + hash + " --d",
         {"--drain"},
         // Options of other commands.
         {"--all", "--file"}},
        {"bpfmap del " + hash + " --",
         {"--all", "--file", "--json"},
         {"--drain"}},
        {"bpfmap put " + hash + " --",
         {"--file", "--json"},
         {"--drain", "--all"}},
        {"bpfmap get " + hash + " --",
         {"--json", "--hex"},
         {"--drain", "--all", "--file"}},
        {"bpfmap get " + typed + " key ",
         {"\"ip\": 0", "\"port\""},
         // A key goes here, not the next keyword.
         {"value", "values", "key", "noexist"}},
        {"bpfmap get " + hash + " key ",
         {},
         {"value", "values", "key", "noexist", "any"}},
    };
  }

  // Checks what a shell showed for `c`; `candidates` is its output without
  // descriptions. zsh's terminal also echoes the line typed (scrolled
  // sideways when it is long, with a single candidate as completed), so for
  // zsh (`echoes_line`) a word of the line cannot be told from a candidate
  // and is not checked: bash and fish check it.
  static void Check(const Case& c, const std::string& offered,
                    const std::string& candidates, bool echoes_line) {
    for (const std::string& want : c.expected) {
      EXPECT_THAT(offered, HasSubstr(want));
    }
    std::set<std::string> words = Words(candidates);
    std::set<std::string> line_words = Words(c.line);
    for (const std::string& wrong : c.absent) {
      if (echoes_line && line_words.count(wrong) != 0) continue;
      EXPECT_EQ(words.count(wrong), 0u)
          << "offered '" << wrong << "', which does not fit here:\n"
          << offered;
    }
  }

  std::string bin_;
  std::string id_;
};

TEST_F(CompletionsTest, Bash) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.line);
    std::string offered = Bash(c.line);
    Check(c, offered, offered, /*echoes_line=*/false);
  }
}

TEST_F(CompletionsTest, Fish) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.line);
    std::string offered = Fish(c.line);
    Check(c, offered, FishCandidates(offered), /*echoes_line=*/false);
  }
}

TEST_F(CompletionsTest, Zsh) {
  std::vector<Case> cases = Cases();
  std::vector<std::string> lines;
  for (const Case& c : cases) lines.push_back(c.line);
  std::vector<std::string> offered = Zsh(lines);
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].line);
    Check(cases[i], offered[i], offered[i], /*echoes_line=*/true);
  }
}

TEST_F(CompletionsTest, OnlyCandidatesThatFit) {
  std::string offered = Bash("bpfmap du");
  EXPECT_EQ(offered, "dump\n");
  // get of a hash map takes a key and nothing else; put a value too, once.
  EXPECT_EQ(Bash("bpfmap get " + Pin("cmpl_hash") + " key 1 0 0 0 v"), "\n");
  EXPECT_EQ(Bash("bpfmap put " + Pin("cmpl_hash") + " key 1 0 0 0 v"),
            "value\nvalues\n");
  EXPECT_EQ(Bash("bpfmap put " + Pin("cmpl_hash") + " key 1 0 0 0 value 1 " +
                 "0 0 0 k"),
            "\n");
  // Objects a value or key refers to: interfaces for a devmap, the words
  // that name a map for a map of maps, the object kind for storage maps;
  // and the options of events.
  BpfmapOk({"create", Pin("cmpl_dev"), "type", "devmap", "key", "4", "value",
            "8", "entries", "2"});
  EXPECT_EQ(Bash("bpfmap put " + Pin("cmpl_dev") + " key 0 value d"),
            "dev\n");
  EXPECT_EQ(Bash("bpfmap put " + Pin("cmpl_dev") + " key 0 value dev l"),
            "lo\n");
  BpfmapOk({"create", Pin("cmpl_outer"), "type", "array_of_maps", "key", "4",
            "value", "4", "entries", "2", "inner_map", Pin("cmpl_hash")});
  EXPECT_EQ(Bash("bpfmap put " + Pin("cmpl_outer") + " key 0 value pi"),
            "pinned\n");
  BpfmapOk({"create", Pin("cmpl_tasks"), "type", "task_storage", "value",
            "u64"});
  EXPECT_EQ(Bash("bpfmap get " + Pin("cmpl_tasks") + " key "), "pid\n");
  EXPECT_EQ(Bash("bpfmap events " + Pin("cmpl_hash") + " --ta"), "--take\n");
  // --fmt: the map's fields (by path, or by a name no other field has),
  // then the kinds that fit the field after FIELD=; each FIELD=KIND after
  // the last comma.
  std::string typed = Pin("cmpl_typed");
  EXPECT_EQ(Bash("bpfmap dump " + typed + " --fmt key.p"), "key.port=\n");
  EXPECT_EQ(Bash("bpfmap dump " + typed + " --fmt po"), "port=\n");
  // ip is a u32: an IPv4 address, never an IPv6 one or a MAC.
  EXPECT_EQ(Bash("bpfmap dump " + typed + " --fmt key.ip=ipv"), "ipv4\n");
  EXPECT_EQ(Bash("bpfmap dump " + typed + " --fmt port=ma"), "\n");
  EXPECT_EQ(Bash("bpfmap --fmt ip=hex,port=p"), "port\n");
  std::string fish = Fish("bpfmap dump " + typed + " --fmt ip=ip");
  EXPECT_THAT(fish, HasSubstr("ip=ipv4"));
  EXPECT_THAT(fish, ::testing::Not(HasSubstr("ip=ipv6")));
  // --where and --sort: the same fields, without '='.
  EXPECT_EQ(Bash("bpfmap dump " + typed + " --sort key.p"), "key.port\n");
  EXPECT_EQ(Bash("bpfmap dump " + typed + " --where po"), "port\n");
  EXPECT_EQ(Bash("bpfmap dump " + typed + " --cou"), "--count\n");
  EXPECT_EQ(Bash("bpfmap dump " + typed + " --count --li"), "--limit\n");
  // watch --sort: fields, and the rates of numbers.
  EXPECT_THAT(Bash("bpfmap watch " + typed + " --sort rat"),
              ::testing::StartsWith("rate("));
  EXPECT_EQ(Bash("bpfmap watch " + typed + " --sor"), "--sort\n");
  // diff: a map or a snapshot file on each side, then nothing.
  EXPECT_EQ(Bash("bpfmap diff " + typed + " nam"), "name\n");
  EXPECT_THAT(Bash("bpfmap diff " + typed + " " + typed + " "), "\n");
  // Flags already given are not offered again.
  EXPECT_EQ(Bash("bpfmap create " + Pin("n") + " flags no_prealloc,no_p"),
            "\n");
}

}  // namespace
}  // namespace bpfmap::testing
