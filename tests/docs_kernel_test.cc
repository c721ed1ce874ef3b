// The man pages, --help and the completions against the CLI's own
// definition: every page lints clean, names every command, option, format,
// map type and flag the CLI has, runs its examples, and bpfmap-json(7)
// describes the JSON bpfmap really prints. tools/install puts everything
// where man and the shells find it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/kernel_test_env.h"

namespace bpfmap::testing {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

RunResult Bpfmap(const std::vector<std::string>& args) {
  return RunProgram(BpfmapPath(), args);
}

// The commands, as `bpfmap --help` lists them (aliases left out), so that a
// new command is checked here without anyone touching this file.
const std::vector<std::string>& Commands() {
  static const std::vector<std::string> commands = [] {
    std::vector<std::string> names;
    const std::string heading = "Subcommands:\n";
    std::string help = Bpfmap({"--help"}).out;
    size_t start = help.find(heading);
    EXPECT_NE(start, std::string::npos) << help;
    std::istringstream in(
        start == std::string::npos ? "" : help.substr(start + heading.size()));
    for (std::string line; std::getline(in, line) && !line.empty();) {
      size_t start = line.find_first_not_of(' ');
      names.push_back(line.substr(start, line.find_first_of(", ", start) - start));
    }
    return names;
  }();
  return commands;
}

std::string Page(const std::string& name) {
  std::ifstream in("man/" + name);
  EXPECT_TRUE(in.good()) << "man/" << name;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> AllPages() {
  std::vector<std::string> pages = {"bpfmap.8", "bpfmap-json.7",
                                    "bpfmap-formats.7"};
  for (const std::string& command : Commands()) {
    pages.push_back("bpfmap-" + command + ".8");
  }
  return pages;
}

// A page's text with roff escapes undone, for searching.
std::string Plain(std::string text) {
  static const std::vector<std::pair<std::string, std::string>> kEscapes = {
      {"\\-", "-"}, {"\\(aq", "'"}, {"\\fB", ""}, {"\\fI", ""},
      {"\\fR", ""}, {"\\&", ""},    {"\\e", "\\"}};
  for (const auto& [from, to] : kEscapes) {
    for (size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos;) {
      text.replace(pos, from.size(), to);
      pos += to.size();
    }
  }
  return text;
}

// The comma-separated list after `marker` in `text`, up to `end`.
std::vector<std::string> ListAfter(const std::string& text,
                                   const std::string& marker,
                                   const std::string& end) {
  size_t start = text.find(marker);
  EXPECT_NE(start, std::string::npos) << marker;
  if (start == std::string::npos) return {};
  start += marker.size();
  std::string list = text.substr(start, text.find(end, start) - start);
  std::vector<std::string> items;
  std::istringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

// Whether `page` (plain text) names `word`; says which page otherwise.
::testing::AssertionResult Mentions(const std::string& page_name,
                                    const std::string& page,
                                    const std::string& word) {
  if (page.find(word) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << page_name << " does not mention \"" << word << "\"";
}

TEST(DocsTest, ThereIsAPageForEveryCommandAndNoOther) {
  EXPECT_GE(Commands().size(), 8u);
  std::vector<std::string> expected = AllPages(), found;
  for (const std::string& path : Lines(RunProgram("/usr/bin/env",
                                                  {"sh", "-c", "ls man/*.[78]"})
                                           .out)) {
    found.push_back(path.substr(4));
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(found, expected);
}

TEST(DocsTest, EveryPageLintsClean) {
  for (const std::string& page : AllPages()) {
    SCOPED_TRACE(page);
    RunResult lint =
        RunProgram("/usr/bin/mandoc", {"-T", "lint", "-W", "warning",
                                       "man/" + page});
    EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
    EXPECT_EQ(lint.out + lint.err, "");
    RunResult groff = RunProgram(
        "/usr/bin/env", {"sh", "-c", "groff -ww -z -man man/" + page});
    EXPECT_EQ(groff.exit_code, 0) << groff.err;
    EXPECT_EQ(groff.err, "");
  }
}

// The CLI's definition, as the binary itself states it.
struct CliDefinition {
  std::vector<std::string> options;  // long names: --json ...
  std::map<std::string, std::vector<std::string>> aliases;
  std::map<std::string, std::vector<std::string>> command_options;
  std::vector<std::string> formats, folds, types, flags;
};

CliDefinition Definition() {
  CliDefinition cli;
  RunResult help = Bpfmap({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  std::smatch match;
  std::string text = help.out;
  std::regex long_option("(--[a-z][a-z-]+)");
  std::string options = text.substr(0, text.find("Subcommands:"));
  for (auto it = std::sregex_iterator(options.begin(), options.end(),
                                      long_option);
       it != std::sregex_iterator(); ++it) {
    cli.options.push_back((*it)[1]);
  }
  cli.formats = ListAfter(text, "output format: ", "\n");
  cli.folds = ListAfter(text, "per-CPU values: ", " (");
  for (const std::string& command : Commands()) {
    RunResult command_help = Bpfmap({command, "--help"});
    EXPECT_EQ(command_help.exit_code, 0);
    if (command_help.out.find("Aliases: ") != std::string::npos) {
      cli.aliases[command] = ListAfter(command_help.out, "Aliases: ", "\n");
    }
    std::string before_usage =
        command_help.out.substr(0, command_help.out.find("\nUsage:\n"));
    for (auto it = std::sregex_iterator(before_usage.begin(),
                                        before_usage.end(), long_option);
         it != std::sregex_iterator(); ++it) {
      if ((*it)[1] != "--help") cli.command_options[command].push_back((*it)[1]);
    }
  }
  RunResult types = Bpfmap({"create", "/x/y", "type", "?", "key", "1",
                            "value", "1", "entries", "1"});
  cli.types = ListAfter(types.err, "(types: ", ")");
  RunResult flags = Bpfmap({"create", "/x/y", "type", "hash", "key", "1",
                            "value", "1", "entries", "1", "flags", "?"});
  cli.flags = ListAfter(flags.err, "(flags: ", ", or a number)");
  EXPECT_GT(cli.options.size(), 8u);
  EXPECT_EQ(cli.formats.size(), 6u);
  EXPECT_GT(cli.types.size(), 30u);
  EXPECT_GT(cli.flags.size(), 10u);
  return cli;
}

std::vector<std::string> Completions(std::vector<std::string> words) {
  std::vector<std::string> args = {"__complete",
                                   std::to_string(words.size() - 1)};
  args.insert(args.end(), words.begin(), words.end());
  RunResult result = Bpfmap(args);
  EXPECT_EQ(result.exit_code, 0);
  return Lines(result.out);
}

TEST(DocsTest, HelpPagesAndCompletionsNameWhatTheCliDefines) {
  CliDefinition cli = Definition();
  std::string main_page = Plain(Page("bpfmap.8"));
  std::vector<std::string> offered_commands = Completions({""});
  std::vector<std::string> offered_options = Completions({"--"});
  for (const std::string& option : cli.options) {
    SCOPED_TRACE(option);
    EXPECT_TRUE(Mentions("bpfmap.8", main_page, option));
    EXPECT_THAT(offered_options, ::testing::Contains(option));
  }
  for (const std::string& command : Commands()) {
    SCOPED_TRACE(command);
    std::string name = "bpfmap-" + command + ".8";
    std::string page = Plain(Page(name));
    EXPECT_TRUE(Mentions("bpfmap.8", main_page, "bpfmap-" + command + " (8)"));
    EXPECT_THAT(offered_commands, ::testing::Contains(command));
    for (const std::string& alias : cli.aliases[command]) {
      EXPECT_TRUE(Mentions("bpfmap.8", main_page, alias));
      EXPECT_TRUE(Mentions(name, page, alias));
      EXPECT_THAT(offered_commands, ::testing::Contains(alias));
    }
    for (const std::string& option : cli.command_options[command]) {
      EXPECT_TRUE(Mentions(name, page, option));
      EXPECT_THAT(Completions({command, "x/y", "--"}),
                  ::testing::Contains(option));
    }
  }
  EXPECT_EQ(offered_commands.size(),
            Commands().size() + cli.aliases["get"].size() +
                cli.aliases["put"].size() + cli.aliases["del"].size());
  std::vector<std::string> offered_formats = Completions({"-o", ""});
  EXPECT_EQ(offered_formats, cli.formats);
  for (const std::string& format : cli.formats) {
    EXPECT_TRUE(Mentions("bpfmap.8", main_page, ".B " + format));
  }
  EXPECT_EQ(Completions({"--cpus", ""}), cli.folds);
  for (const std::string& fold : cli.folds) {
    EXPECT_TRUE(Mentions("bpfmap.8", main_page, fold));
  }
  std::string create_page = Plain(Page("bpfmap-create.8"));
  EXPECT_EQ(Completions({"create", "/x/y", "type", ""}), cli.types);
  for (const std::string& type : cli.types) {
    EXPECT_TRUE(Mentions("bpfmap-create.8", create_page, ".BR " + type + " "));
  }
  std::vector<std::string> offered_flags =
      Completions({"create", "/x/y", "flags", ""});
  EXPECT_EQ(offered_flags, cli.flags);
  for (const std::string& flag : cli.flags) {
    EXPECT_TRUE(Mentions("bpfmap-create.8", create_page, ".BR " + flag + " ,"));
  }
}

class DocsKernelTest : public KernelTest {};

TEST_F(DocsKernelTest, EveryExampleInThePagesRuns) {
  char cwd_template[] = "/tmp/bpfmap-examples.XXXXXX";
  ASSERT_NE(mkdtemp(cwd_template), nullptr);
  std::string cwd = cwd_template;
  char binary[4096];
  ASSERT_NE(realpath(BpfmapPath().c_str(), binary), nullptr);
  std::string bin_dir = std::string(binary);
  bin_dir = bin_dir.substr(0, bin_dir.rfind('/'));
  size_t ran = 0;
  for (const std::string& page : AllPages()) {
    bool in_example = false;
    for (std::string line : Lines(Page(page))) {
      if (line == ".EX") in_example = true;
      if (line == ".EE") in_example = false;
      if (!in_example || line.rfind("$ bpfmap", 0) != 0) continue;
      line = Plain(line.substr(2));
      for (size_t pos = 0;
           (pos = line.find("/sys/fs/bpf", pos)) != std::string::npos;) {
        line.replace(pos, 11, bpffs());
        pos += bpffs().size();
      }
      SCOPED_TRACE(page + ": " + line);
      RunResult result = RunProgram(
          "/usr/bin/env",
          {"PATH=" + bin_dir + ":/usr/bin:/bin", "sh", "-c",
           "cd " + cwd + " && " + line});
      EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
      ++ran;
    }
  }
  EXPECT_GT(ran, 30u);
  RunProgram("/bin/rm", {"-rf", cwd});
}

// The fields bpfmap-json(7) documents for each object: name -> (type,
// optional).
using Schema = std::map<std::string, std::map<std::string,
                                              std::pair<std::string, bool>>>;

Schema ReadSchema() {
  Schema schema;
  std::vector<std::string> lines = Lines(Page("bpfmap-json.7"));
  bool in_schema = false;
  std::string object;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.rfind(".SH ", 0) == 0) in_schema = line == ".SH SCHEMA";
    if (!in_schema) continue;
    if (line.rfind(".SS ", 0) == 0) object = line.substr(4);
    if (line == ".TP" && i + 2 < lines.size() &&
        lines[i + 1].rfind(".B ", 0) == 0 &&
        lines[i + 2].rfind(".IR ", 0) == 0) {
      std::string field = Plain(lines[i + 1].substr(3));
      std::string type = lines[i + 2].substr(4);
      type = type.substr(0, type.find_first_of(" ,."));
      bool optional = i + 3 < lines.size() &&
                      lines[i + 3].rfind("optional", 0) == 0;
      schema[object][field] = {type, optional};
    }
  }
  // "Every field of map, and:" path.
  for (const auto& [field, spec] : schema["map"]) {
    schema["pinned map"].emplace(field, spec);
  }
  return schema;
}

bool HasType(const json& value, const std::string& type) {
  if (type == "integer") return value.is_number_integer();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "number") return value.is_number();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "object") return value.is_object();
  if (type == "data") return !value.is_null();
  return false;
}

void ExpectMatches(const json& value, const Schema& schema,
                   const std::string& object) {
  SCOPED_TRACE(object + ": " + value.dump());
  ASSERT_TRUE(value.is_object());
  const auto& fields = schema.at(object);
  for (const auto& [name, member] : value.items()) {
    auto field = fields.find(name);
    ASSERT_NE(field, fields.end()) << "undocumented field " << name;
    EXPECT_TRUE(HasType(member, field->second.first))
        << name << " is not " << field->second.first;
    if (name == "values") {
      for (const json& item : member) ExpectMatches(item, schema, "cpu value");
    }
  }
  for (const auto& [name, spec] : fields) {
    if (!spec.second) {
      EXPECT_TRUE(value.contains(name)) << "missing field " << name;
    }
  }
}

TEST_F(DocsKernelTest, RealJsonMatchesBpfmapJson7) {
  Schema schema = ReadSchema();
  for (const char* object : {"entry", "cpu value", "next key", "map",
                             "pinned map", "error", "histogram", "bucket",
                             "count", "difference", "watch record"}) {
    EXPECT_FALSE(schema[object].empty()) << object;
  }
  EXPECT_EQ(schema["map"]["frozen"].first, "boolean");
  EXPECT_TRUE(schema["entry"]["key"].second);
  BpfmapOk({"create", Pin("h"), "type", "hash", "key", "u32", "value",
            "struct { u64 n; char s[4]; }", "entries", "4"});
  BpfmapOk({"put", Pin("h"), "key", "1", "value", R"({"n": 2, "s": "ab"})"});
  BpfmapOk({"create", Pin("p"), "type", "percpu_hash", "key", "4", "value",
            "8", "entries", "4"});
  BpfmapOk({"put", Pin("p"), "key", "1", "0", "0", "0", "value", "hex",
            "0100000000000000"});
  BpfmapOk({"create", Pin("q"), "type", "queue", "key", "0", "value", "4",
            "entries", "4"});
  BpfmapOk({"put", Pin("q"), "value", "1", "0", "0", "0"});
  ExpectMatches(json::parse(BpfmapOk({"-j", "get", Pin("h"), "key", "1"})),
                schema, "entry");
  ExpectMatches(json::parse(BpfmapOk({"-j", "--hex", "dump", Pin("h")}))[0],
                schema, "entry");
  ExpectMatches(json::parse(BpfmapOk({"-j", "dump", Pin("p")}))[0], schema,
                "entry");
  ExpectMatches(json::parse(BpfmapOk({"-j", "--cpus", "sum", "--value-type",
                                      "u64", "dump", Pin("p")}))[0],
                schema, "entry");
  ExpectMatches(json::parse(BpfmapOk({"-j", "get", Pin("q")})), schema,
                "entry");
  ExpectMatches(json::parse(BpfmapOk({"-j", "dump", Pin("h"), "--count",
                                      "--where", "n > 1"})),
                schema, "count");
  {
    std::string snapshot = bpffs() + ".h.snap";
    std::ofstream(snapshot) << BpfmapOk({"-o", "ndjson", "dump", Pin("h")});
    BpfmapOk({"put", Pin("h"), "key", "1", "value", R"({"n": 5, "s": "ab"})"});
    BpfmapOk({"put", Pin("h"), "key", "2", "value", R"({"n": 1, "s": "c"})"});
    RunResult diff = Bpfmap({"-j", "diff", snapshot, Pin("h")});
    EXPECT_EQ(diff.exit_code, 1) << diff.err;
    json differences = json::parse(diff.out);
    ASSERT_EQ(differences.size(), 2u);
    for (const json& difference : differences) {
      ExpectMatches(difference, schema, "difference");
    }
    BpfmapOk({"del", Pin("h"), "key", "2"});
    BpfmapOk({"put", Pin("h"), "key", "1", "value", R"({"n": 2, "s": "ab"})"});
    std::remove(snapshot.c_str());
  }
  for (const std::string& line :
       Lines(BpfmapOk({"watch", Pin("h"), "-i", "0.05", "--count", "2"}))) {
    ExpectMatches(json::parse(line), schema, "watch record");
  }
  for (const std::string& line :
       Lines(BpfmapOk({"watch", Pin("p"), "--cpus", "each", "--value-type",
                       "u64", "-i", "0.05", "--count", "2"}))) {
    ExpectMatches(json::parse(line), schema, "watch record");
  }
  for (const std::string& line :
       Lines(BpfmapOk({"-o", "ndjson", "dump", Pin("h")}))) {
    ExpectMatches(json::parse(line), schema, "entry");
  }
  // A key not in a hash map: the answer is its first key.
  ExpectMatches(json::parse(BpfmapOk({"-j", "getnext", Pin("h"), "key",
                                      "7"})),
                schema, "next key");
  json first = json::parse(BpfmapOk({"-j", "getnext", Pin("h")}));
  EXPECT_TRUE(first["key"].is_null()) << first.dump();
  EXPECT_FALSE(first["next_key"].is_null()) << first.dump();
  ExpectMatches(json::parse(BpfmapOk({"-j", "show", Pin("h")})), schema,
                "map");
  for (const json& map : json::parse(BpfmapOk({"-j", "show"}))) {
    ExpectMatches(map, schema, "map");
  }
  json counted = json::parse(BpfmapOk({"-j", "show", Pin("h"), "--count"}));
  ExpectMatches(counted, schema, "map");
  EXPECT_EQ(counted["entries"], 1);
  EXPECT_EQ(counted["percent_full"], 25);
  for (const json& map :
       json::parse(BpfmapOk({"-j", "list", bpffs(), "--count"}))) {
    ExpectMatches(map, schema, "pinned map");
  }
  for (const json& map : json::parse(BpfmapOk({"-j", "list", bpffs()}))) {
    ExpectMatches(map, schema, "pinned map");
  }
  BpfmapOk({"create", Pin("hist"), "type", "hash", "key", "u32", "value",
            "struct { u32 slots[4]; }", "entries", "4"});
  BpfmapOk({"put", Pin("hist"), "key", "1", "value",
            R"({"slots": [1, 0, 5, 0]})"});
  json histograms = json::parse(BpfmapOk({"-j", "dump", Pin("hist"), "--hist"}));
  ASSERT_EQ(histograms.size(), 1u);
  ExpectMatches(histograms[0], schema, "histogram");
  for (const json& bucket : histograms[0]["buckets"]) {
    ExpectMatches(bucket, schema, "bucket");
  }
  BpfmapOk({"create", Pin("slots"), "type", "array", "key", "u32", "value",
            "u64", "entries", "4"});
  BpfmapOk({"put", Pin("slots"), "key", "2", "value", "7"});
  ExpectMatches(json::parse(BpfmapOk({"-j", "dump", Pin("slots"), "--hist"})),
                schema, "histogram");
  RunResult error = Bpfmap({"-j", "get", Pin("h"), "key", "x"});
  EXPECT_EQ(error.exit_code, 2);
  ExpectMatches(json::parse(error.out), schema, "error");
  EXPECT_EQ(json::parse(BpfmapOk({"-j", "put", Pin("h"), "key", "2", "value",
                                  "{}"})),
            json());
  RunResult no = Bpfmap({"-j", "get", Pin("h"), "key", "9"});
  EXPECT_EQ(no.exit_code, 1);
  EXPECT_EQ(no.out, "null\n");
}

TEST(InstallTest, InstallsWhereManAndTheShellsFindItAndUninstalls) {
  char prefix_template[] = "/tmp/bpfmap-install.XXXXXX";
  ASSERT_NE(mkdtemp(prefix_template), nullptr);
  std::string prefix = prefix_template;
  char binary[4096];
  ASSERT_NE(realpath(BpfmapPath().c_str(), binary), nullptr);
  RunResult install = RunProgram(
      "/bin/bash", {"tools/install", "--prefix", prefix, "--binary", binary});
  ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
  std::vector<std::string> files = {
      "bin/bpfmap",
      "share/bash-completion/completions/bpfmap",
      "share/zsh/site-functions/_bpfmap",
      "share/fish/vendor_completions.d/bpfmap.fish",
      "share/man/man7/bpfmap-json.7",
      "share/man/man8/bpfmap.8"};
  for (const std::string& command : Commands()) {
    files.push_back("share/man/man8/bpfmap-" + command + ".8");
  }
  for (const std::string& file : files) {
    EXPECT_EQ(access((prefix + "/" + file).c_str(), R_OK), 0) << file;
  }
  struct stat st {};
  ASSERT_EQ(stat((prefix + "/bin/bpfmap").c_str(), &st), 0);
  EXPECT_TRUE(st.st_mode & S_IXUSR);
  EXPECT_EQ(RunProgram(prefix + "/bin/bpfmap", {"--version"}).out,
            "bpfmap 0.1.0\n");
  RunResult man = RunProgram(
      "/usr/bin/env", {"MANPAGER=cat", "MANWIDTH=80", "man", "-M",
                       prefix + "/share/man", "bpfmap-dump"});
  EXPECT_EQ(man.exit_code, 0) << man.err;
  EXPECT_THAT(man.out, HasSubstr("bpfmap-dump - print every entry of a map"));
  RunResult json_page = RunProgram(
      "/usr/bin/env", {"MANPAGER=cat", "MANWIDTH=80", "man", "-M",
                       prefix + "/share/man", "7", "bpfmap-json"});
  EXPECT_EQ(json_page.exit_code, 0) << json_page.err;
  RunResult uninstall = RunProgram(
      "/bin/bash", {"tools/install", "--prefix", prefix, "--uninstall"});
  EXPECT_EQ(uninstall.exit_code, 0) << uninstall.err;
  for (const std::string& file : files) {
    EXPECT_NE(access((prefix + "/" + file).c_str(), F_OK), 0) << file;
  }
  RunProgram("/bin/rm", {"-rf", prefix});
}

}  // namespace
}  // namespace bpfmap::testing
