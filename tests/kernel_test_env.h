// Test harness for tests that touch real maps: a private bpffs per test,
// the built binaries run as subprocesses, and honest skipping.
#ifndef BPFMAP_TESTS_KERNEL_TEST_ENV_H_
#define BPFMAP_TESTS_KERNEL_TEST_ENV_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bpfmap::testing {

// What a subprocess did.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// `text` split at newlines (no trailing empty line).
std::vector<std::string> Lines(const std::string& text);

// Runs `program` with `args`, capturing stdout and stderr.
RunResult RunProgram(const std::string& program,
                     const std::vector<std::string>& args);

// The bpfmap binary under test (a data dependency of the test).
std::string BpfmapPath();

// bpftool, from the Debian package; empty if not installed.
std::string BpftoolPath();

// Why this process cannot use bpf() and mount a bpffs, or "" if it can.
std::string KernelUnavailableReason();

// Why this kernel has no maps of type `type_name` ("bloom_filter"), naming
// the feature and the release that brought it, or "" if it has them. A
// kernel at least that new should have had it: then the test also fails,
// as cilium/ebpf's SkipIfNotSupported does.
std::string MissingMapType(const std::string& type_name);

// Skips the test, with the reason, if the kernel has no maps of `type`.
#define SKIP_WITHOUT_MAP_TYPE(type)                                      \
  do {                                                                   \
    std::string missing_ = ::bpfmap::testing::MissingMapType(type);      \
    if (!missing_.empty()) GTEST_SKIP() << missing_;                     \
  } while (0)

// A name for a map that is unique to this process (at most 15 characters,
// as the kernel keeps): `base` (cut to 8) and the pid, so maps a killed
// run left behind never make a `name` lookup ambiguous.
std::string UniqueMapName(const std::string& base);

// A fixture that mounts a fresh bpffs on a temporary directory for each
// test and unmounts it afterwards. Without the privileges it skips the test
// with the reason, or fails it when BPFMAP_REQUIRE_KERNEL=1.
class KernelTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The private bpffs's mount point.
  const std::string& bpffs() const { return dir_; }
  // A path in the private bpffs.
  std::string Pin(const std::string& name) const { return dir_ + "/" + name; }

  RunResult Bpfmap(const std::vector<std::string>& args) const {
    return RunProgram(BpfmapPath(), args);
  }
  // Runs bpftool; skips (or fails) the test if it is not installed.
  RunResult Bpftool(const std::vector<std::string>& args) const;

  // Compiles the BPF C source `source` (a runfiles path such as
  // "tests/testdata/typed_maps.bpf.c") with the machine's clang (once per
  // process; a source that includes "vmlinux.h" gets one written from the
  // running kernel's BTF) and loads it through libbpf, which creates its
  // maps and pins them in the private bpffs under their names (global
  // variable sections as libbpf names them, with '_' for '.':
  // "globals_bss" for globals.bpf.c's .bss), and loads its programs, pinned
  // as Pin("progs/NAME"). Fails the test (fatally) on any error. A copy of
  // the object stays at FixtureObject() until the test ends, for --btf.
  void LoadFixture(const std::string& source) const;
  // Where LoadFixture() leaves the object: beside, not in, the bpffs.
  std::string FixtureObject() const { return dir_ + ".fixture.o"; }

  // Runs bpfmap as user nobody (uid 65534), with CAP_BPF if asked; fails
  // the test if setpriv (util-linux) is missing.
  RunResult RunAsNobody(const std::vector<std::string>& args,
                        bool with_cap_bpf) const;

  // Runs bpfmap and expects exit 0, returning stdout.
  std::string BpfmapOk(const std::vector<std::string>& args) const;

  // Runs `bpfmap -j ARGS...`, expects exit 0, and parses stdout.
  nlohmann::json BpfmapJson(std::vector<std::string> args) const;

 private:
  std::string dir_;
  bool mounted_ = false;
};

}  // namespace bpfmap::testing

#endif  // BPFMAP_TESTS_KERNEL_TEST_ENV_H_
