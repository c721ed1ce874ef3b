// Run() in process for what needs no kernel: help, version, usage errors.
#include "cli/run.h"

#include <gtest/gtest.h>
#include <stdio.h>

#include <string>
#include <vector>

namespace bpfmap::cli {
namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome RunWith(std::vector<const char*> args) {
  args.insert(args.begin(), "bpfmap");
  char *out_data = nullptr, *err_data = nullptr;
  size_t out_size = 0, err_size = 0;
  std::FILE* out = open_memstream(&out_data, &out_size);
  std::FILE* err = open_memstream(&err_data, &err_size);
  int code = Run(static_cast<int>(args.size()), args.data(), out, err);
  std::fclose(out);
  std::fclose(err);
  Outcome outcome{code, std::string(out_data, out_size),
                  std::string(err_data, err_size)};
  free(out_data);
  free(err_data);
  return outcome;
}

TEST(RunTest, ExitCodesMapOneToOne) {
  EXPECT_EQ(ExitCodeFor(ErrorKind::kNo), 1);
  EXPECT_EQ(ExitCodeFor(ErrorKind::kBadInput), 2);
  EXPECT_EQ(ExitCodeFor(ErrorKind::kSystem), 3);
  EXPECT_EQ(ExitCodeFor(ErrorKind::kUnsupported), 4);
}

TEST(RunTest, HelpListsEveryCommandOnStdout) {
  Outcome help = RunWith({"--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* command :
       {"create", "get", "put", "del", "dump", "show", "list", "lookup",
        "update", "delete", "push", "pop", "peek", "enqueue", "dequeue"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command;
  }
  EXPECT_EQ(help.err, "");
}

TEST(RunTest, CommandHelpShowsGrammarAndExamples) {
  Outcome help = RunWith({"put", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("put MAP key KEY value VALUE [any|exist|noexist]"),
            std::string::npos);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos);
}

TEST(RunTest, Version) {
  Outcome version = RunWith({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out.rfind("bpfmap ", 0), 0u);
}

TEST(RunTest, UsageErrorsExitTwoWithOneLine) {
  for (std::vector<const char*> args : std::vector<std::vector<const char*>>{
           {},
           {"frob"},
           {"--frob"},
           {"dump", "/x/y", "--frob"},
           {"-o", "yaml", "dump", "/x/y"},
           {"-o"},
           {"-j", "-o", "plain", "show", "/x/y"},
           {"-p", "-o", "plain", "show", "/x/y"},
           {"dump"},
           {"dump", "flows"},
           {"create", "/x/y", "type", "hash"},
       }) {
    Outcome outcome = RunWith(args);
    std::string joined;
    for (const char* arg : args) joined += std::string(" ") + arg;
    EXPECT_EQ(outcome.code, 2) << joined;
    EXPECT_EQ(outcome.err.rfind("bpfmap: ", 0), 0u) << joined << outcome.err;
    EXPECT_EQ(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1)
        << joined << outcome.err;
  }
}

TEST(RunTest, UsageErrorInJsonModeStillPrintsJson) {
  Outcome outcome = RunWith({"-j", "dump", "flows"});
  EXPECT_EQ(outcome.code, 2);
  EXPECT_EQ(outcome.out.rfind("{\"error\":", 0), 0u) << outcome.out;
}

TEST(RunTest, AWordNamingAnotherCommandIsAnArgument) {
  // "dump" here is a map name, not a second command.
  Outcome outcome = RunWith({"show", "name", "dump", "extra"});
  EXPECT_EQ(outcome.code, 2);
  EXPECT_NE(outcome.err.find("unexpected 'extra' after name dump"),
            std::string::npos)
      << outcome.err;
}

}  // namespace
}  // namespace bpfmap::cli
