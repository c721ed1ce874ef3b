#include "tests/kernel_test_env.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "core/kernel/features.h"
#include "core/model/map_types.h"

namespace bpfmap::testing {
namespace {

bool KernelRequired() {
  const char* value = std::getenv("BPFMAP_REQUIRE_KERNEL");
  return value != nullptr && std::string(value) == "1";
}

std::string ReadAll(int fd) {
  std::string text;
  lseek(fd, 0, SEEK_SET);
  char buffer[65536];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) text.append(buffer, n);
  return text;
}

}  // namespace

RunResult RunProgram(const std::string& program,
                     const std::vector<std::string>& args) {
  RunResult result;
  int out_fd = memfd_create("stdout", 0);
  int err_fd = memfd_create("stderr", 0);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadAll(out_fd);
  result.err = ReadAll(err_fd);
  close(out_fd);
  close(err_fd);
  return result;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string BpfmapPath() {
  // Tests run in their runfiles tree, where data dependencies sit at their
  // workspace-relative paths.
  char* cwd = getcwd(nullptr, 0);
  std::string path = std::string(cwd) + "/cli/bpfmap";
  free(cwd);
  return path;
}

std::string BpftoolPath() {
  for (const char* candidate : {"/usr/sbin/bpftool", "/usr/bin/bpftool",
                                "/sbin/bpftool", "/usr/local/sbin/bpftool"}) {
    if (access(candidate, X_OK) == 0) return candidate;
  }
  return "";
}

std::string MissingMapType(const std::string& type_name) {
  Result<const MapTypeInfo*> type = ParseMapType(type_name);
  if (!type.ok()) {
    ADD_FAILURE() << type.error().Describe();
    return type.error().Describe();
  }
  Status probed = ProbeMapType((*type)->type);
  if (probed.ok()) return "";
  std::string why = probed.error().Describe();
  struct utsname name {};
  uname(&name);
  int major = 0, minor = 0, since_major = 0, since_minor = 0;
  std::sscanf(name.release, "%d.%d", &major, &minor);
  std::sscanf(std::string((*type)->since).c_str(), "%d.%d", &since_major,
              &since_minor);
  if (std::make_pair(major, minor) >= std::make_pair(since_major, since_minor)) {
    ADD_FAILURE() << "this kernel should have it: " << why;
  }
  return why;
}

std::string UniqueMapName(const std::string& base) {
  return fmt::format("{}_{}", base.substr(0, 8), getpid() % 1000000);
}

std::string KernelUnavailableReason() {
  if (geteuid() != 0) return "not root: bpf() and mount need root or CAP_BPF";
  int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, nullptr, 4, 4, 1, nullptr);
  if (fd < 0) {
    return std::string("bpf() refused a tiny array map: ") + std::strerror(-fd) +
           " (inside Bazel's sandbox? kernel tests need the 'local' tag)";
  }
  close(fd);
  return "";
}

void KernelTest::SetUp() {
  std::string reason = KernelUnavailableReason();
  if (!reason.empty()) {
    if (KernelRequired()) FAIL() << "BPFMAP_REQUIRE_KERNEL=1 but " << reason;
    GTEST_SKIP() << reason;
  }
  char templ[] = "/tmp/bpfmap-test.XXXXXX";
  ASSERT_NE(mkdtemp(templ), nullptr) << std::strerror(errno);
  dir_ = templ;
  if (mount("bpf", dir_.c_str(), "bpf", 0, nullptr) != 0) {
    std::string why = std::string("mount -t bpf failed: ") + std::strerror(errno);
    rmdir(dir_.c_str());
    if (KernelRequired()) FAIL() << "BPFMAP_REQUIRE_KERNEL=1 but " << why;
    GTEST_SKIP() << why;
  }
  mounted_ = true;
}

void KernelTest::TearDown() {
  if (mounted_) {
    // Unmounting drops every pin in it, and with them the maps.
    umount2(dir_.c_str(), MNT_DETACH);
    mounted_ = false;
  }
  if (!dir_.empty()) {
    rmdir(dir_.c_str());
    unlink(FixtureObject().c_str());
  }
}

RunResult KernelTest::Bpftool(const std::vector<std::string>& args) const {
  std::string path = BpftoolPath();
  if (path.empty()) {
    ADD_FAILURE() << "bpftool is not installed (tools/setup installs it)";
    return RunResult{};
  }
  return RunProgram(path, args);
}

namespace {

// Objects compiled in this process, by source, in a directory of its own
// that goes when the process ends: a test binary compiles each fixture once
// and loads it fresh in every test (clang takes seconds under emulation).
class CompiledFixtures {
 public:
  ~CompiledFixtures() {
    for (const auto& [source, object] : objects_) unlink(object.c_str());
    if (!vmlinux_dir_.empty()) {
      unlink((vmlinux_dir_ + "/vmlinux.h").c_str());
      rmdir(vmlinux_dir_.c_str());
    }
    if (!dir_.empty()) rmdir(dir_.c_str());
  }

  // The object compiled from `source`, compiling it on first use; "" (with
  // the test failed) when it cannot be.
  std::string ObjectOf(const std::string& source) {
    auto found = objects_.find(source);
    if (found != objects_.end()) return found->second;
    if (!MakeDir()) return "";
    const char* clang = "/usr/bin/clang";
    if (access(clang, X_OK) != 0) {
      ADD_FAILURE() << "clang is not installed (tools/setup installs it)";
      return "";
    }
    std::string object =
        dir_ + "/" + std::to_string(objects_.size()) + ".bpf.o";
    std::vector<std::string> args = {"-g", "-O2", "-target", "bpf",
                                     "-I/usr/include/x86_64-linux-gnu"};
    std::ifstream in(source);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find("#include \"vmlinux.h\"") != std::string::npos) {
      std::string include = VmlinuxDir();
      if (include.empty()) return "";
      args.push_back("-I" + include);
    }
    args.insert(args.end(), {"-c", source, "-o", object});
    RunResult compiled = RunProgram(clang, args);
    if (compiled.exit_code != 0) {
      ADD_FAILURE() << "clang " << source << ":\n" << compiled.err;
      unlink(object.c_str());
      return "";
    }
    objects_[source] = object;
    return object;
  }

 private:
  bool MakeDir() {
    if (!dir_.empty()) return true;
    char templ[] = "/tmp/bpfmap-fixtures.XXXXXX";
    if (mkdtemp(templ) == nullptr) {
      ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
      return false;
    }
    dir_ = templ;
    return true;
  }

  // A directory holding vmlinux.h, written from the running kernel's BTF as
  // the builds of tools that include it write it.
  std::string VmlinuxDir() {
    if (!vmlinux_dir_.empty()) return vmlinux_dir_;
    RunResult dumped = RunProgram(
        BpftoolPath(),
        {"btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"});
    if (dumped.exit_code != 0) {
      ADD_FAILURE() << "bpftool could not write vmlinux.h: " << dumped.err;
      return "";
    }
    std::string include = dir_ + "/include";
    mkdir(include.c_str(), 0755);
    std::ofstream(include + "/vmlinux.h") << dumped.out;
    vmlinux_dir_ = include;
    return include;
  }

  std::string dir_;
  std::string vmlinux_dir_;
  std::map<std::string, std::string> objects_;
};

}  // namespace

void KernelTest::LoadFixture(const std::string& source) const {
  static CompiledFixtures compiled;
  std::string cached = compiled.ObjectOf(source);
  ASSERT_FALSE(cached.empty()) << "could not compile " << source;
  std::string object = FixtureObject();
  {
    std::ifstream in(cached, std::ios::binary);
    std::ofstream out(object, std::ios::binary);
    out << in.rdbuf();
  }
  LIBBPF_OPTS(bpf_object_open_opts, opts);
  opts.pin_root_path = dir_.c_str();
  // Named after the source, as a tool's object would be ("globals"): its
  // global variable maps are "globals.bss", ...
  std::string name = source.substr(source.rfind('/') + 1);
  name = name.substr(0, name.find('.'));
  opts.object_name = name.c_str();
  struct bpf_object* obj = bpf_object__open_file(object.c_str(), &opts);
  ASSERT_NE(obj, nullptr) << "libbpf could not open " << source << ": "
                          << std::strerror(errno);
  int err = bpf_object__load(obj);
  // Every other map too, global variable sections (OBJ.bss, ...)
  // included, by its name with '.' as '_' (bpffs refuses dots).
  struct bpf_map* map = nullptr;
  bpf_object__for_each_map(map, obj) {
    if (err != 0 || bpf_map__is_pinned(map)) continue;
    std::string pin = bpf_map__name(map);
    std::replace(pin.begin(), pin.end(), '.', '_');
    err = bpf_map__pin(map, (dir_ + "/" + pin).c_str());
  }
  if (err == 0 && bpf_object__next_program(obj, nullptr) != nullptr) {
    err = bpf_object__pin_programs(obj, (dir_ + "/progs").c_str());
  }
  bpf_object__close(obj);  // the pins keep the maps and programs
  ASSERT_EQ(err, 0) << "libbpf could not load " << source << ": "
                    << std::strerror(-err);
}

RunResult KernelTest::RunAsNobody(const std::vector<std::string>& args,
                                  bool with_cap_bpf) const {
  const char* setpriv = "/usr/bin/setpriv";
  if (access(setpriv, X_OK) != 0) {
    ADD_FAILURE() << "setpriv (util-linux) is not installed";
    return RunResult{};
  }
  // The runfiles tree is under root's home, out of nobody's reach: run a
  // copy from a directory anyone may enter.
  char dir[] = "/tmp/bpfmap-nobody.XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
    return RunResult{};
  }
  chmod(dir, 0755);
  std::string binary = std::string(dir) + "/bpfmap";
  {
    std::ifstream in(BpfmapPath(), std::ios::binary);
    std::ofstream out(binary, std::ios::binary);
    out << in.rdbuf();
  }
  chmod(binary.c_str(), 0755);
  std::vector<std::string> setpriv_args = {"--reuid=65534", "--regid=65534",
                                           "--clear-groups"};
  if (with_cap_bpf) {
    setpriv_args.push_back("--inh-caps=+bpf");
    setpriv_args.push_back("--ambient-caps=+bpf");
  } else {
    setpriv_args.push_back("--inh-caps=-all");
  }
  setpriv_args.push_back(binary);
  setpriv_args.insert(setpriv_args.end(), args.begin(), args.end());
  RunResult result = RunProgram(setpriv, setpriv_args);
  unlink(binary.c_str());
  rmdir(dir);
  return result;
}

nlohmann::json KernelTest::BpfmapJson(std::vector<std::string> args) const {
  args.insert(args.begin(), "-j");
  return nlohmann::json::parse(BpfmapOk(args));
}

std::string KernelTest::BpfmapOk(const std::vector<std::string>& args) const {
  RunResult result = Bpfmap(args);
  std::string joined;
  for (const std::string& arg : args) joined += " " + arg;
  EXPECT_EQ(result.exit_code, 0)
      << "bpfmap" << joined << "\nstdout: " << result.out
      << "\nstderr: " << result.err;
  return result.out;
}

}  // namespace bpfmap::testing
