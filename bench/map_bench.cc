// Times bpfmap against bpftool and against bare batch syscalls on one
// 1,000,000-entry map, side by side in one run, and prints medians, peak
// memory, and the ratios the targets in issues 4, 15 and 16 are stated in,
// with the bare batch loop and the bare iterator read that bound them.
//
//   bench/run [--rounds N] [--entries N]
//
// Needs root (bpf(), mount). Pins only in a private bpffs it mounts on a
// temporary directory.
#include <bpf/bpf.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/btf.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/btf/btf_scan.h"
#include "core/kernel/bpf_adapter.h"
#include "core/kernel/map_iter.h"
#include "tests/crowded_hash.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string bpfmap = "bazel-bin/cli/bpfmap";
  std::string bpftool = "/usr/sbin/bpftool";
  int rounds = 3;
  uint32_t entries = 1000000;
  // put --file's memory is measured again at this size (0: not).
  uint32_t big_entries = 10000000;
};

struct Sample {
  double seconds = 0;
  long peak_kib = 0;  // of the child; 0 for in-process work
  double cpu_seconds = 0;  // user + system time of the child
};

struct Measured {
  std::string name;
  double median = 0;
  long peak_kib = 0;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "map_bench: %s\n", what.c_str());
  std::exit(1);
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Runs `args` with stdout to `out_path`, stdin and stderr on /dev/null,
// and waits: wall time and peak RSS. Called in a launcher process (see
// main) so the peak is the child's own, not the benchmark's copied memory.
Sample SpawnAndWait(const std::vector<std::string>& args,
                    const std::string& out_path) {
  auto start = Clock::now();
  pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int devnull = open("/dev/null", O_RDWR);
    dup2(out, 1);
    dup2(devnull, 0);
    dup2(devnull, 2);  // notes ("Found N elements") are not data
    std::vector<char*> argv;
    for (const std::string& arg : args) {
      argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  Sample sample;
  sample.seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  sample.peak_kib = usage.ru_maxrss;
  sample.cpu_seconds =
      static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
      static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) /
          1e6;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string joined;
    for (const std::string& arg : args) joined += " " + arg;
    Die(fmt::format("failed (status {}):{}", status, joined));
  }
  return sample;
}

// Runs `args` through a fresh launcher process (this binary, --spawn):
// a child forked from the benchmark would count the benchmark's own
// arrays in its peak RSS.
Sample RunChild(const std::vector<std::string>& args,
                const std::string& out_path = "/dev/null") {
  int result_pipe[2];
  if (pipe(result_pipe) != 0) Die("pipe");
  pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    close(result_pipe[0]);
    std::vector<std::string> launcher = {
        "/proc/self/exe", "--spawn", std::to_string(result_pipe[1]), out_path};
    launcher.insert(launcher.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (const std::string& arg : launcher) {
      argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(result_pipe[1]);
  Sample sample;
  ssize_t got = read(result_pipe[0], &sample, sizeof(sample));
  close(result_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (got != sizeof(sample) || !WIFEXITED(status) || WEXITSTATUS(status)) {
    Die("a measured command failed");
  }
  return sample;
}

Measured Measure(const std::string& name, int rounds,
                 const std::function<void()>& before,
                 const std::function<Sample()>& run) {
  std::vector<double> times;
  long peak = 0;
  for (int i = 0; i < rounds; ++i) {
    if (before) before();
    Sample sample = run();
    times.push_back(sample.seconds);
    peak = std::max(peak, sample.peak_kib);
  }
  Measured m{name, Median(times), peak};
  std::printf("  %-44s %8.3f s  %8s\n", name.c_str(), m.median,
              peak ? fmt::format("{:.1f} MiB", peak / 1024.0).c_str() : "-");
  std::fflush(stdout);
  return m;
}

int CreateMap(const std::string& pin, uint32_t value_size, uint32_t entries,
              int btf_fd = -1, uint32_t key_type = 0, uint32_t value_type = 0,
              bpf_map_type type = BPF_MAP_TYPE_HASH, uint32_t flags = 0) {
  LIBBPF_OPTS(bpf_map_create_opts, opts);
  opts.map_flags = flags;
  if (btf_fd >= 0) {
    opts.btf_fd = btf_fd;
    opts.btf_key_type_id = key_type;
    opts.btf_value_type_id = value_type;
  }
  int fd = bpf_map_create(type, nullptr, 4, value_size, entries, &opts);
  if (fd < 0) Die(fmt::format("create map: {}", std::strerror(-fd)));
  unlink(pin.c_str());
  if (bpf_obj_pin(fd, pin.c_str()) != 0) Die("pin " + pin);
  return fd;
}

// The bare syscall loops bpfmap is held against.
double BareUpdateBatch(int fd, const std::vector<uint32_t>& keys,
                       const std::vector<uint8_t>& values) {
  auto start = Clock::now();
  uint32_t count = keys.size();
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  if (bpf_map_update_batch(fd, keys.data(), values.data(), &count, &opts) !=
      0) {
    Die("update batch failed");
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Reads the whole map through a map-element BPF iterator running the
// program bpfmap assembles, and drops what it reads: the floor of the
// iterator path. Timed from the program's load (BTF lookup, verifier,
// attach) to the last read(), all of which any reader pays; `setup` gets
// the part before the first read().
double BareIteratorRead(int fd, uint32_t value_bytes, uint32_t* seen,
                        double* setup, std::vector<uint32_t>* keys = nullptr) {
  auto start = Clock::now();
  auto target = bpfmap::FindVmlinuxType(BTF_KIND_FUNC, "bpf_iter_bpf_map_elem");
  if (!target.ok()) Die(target.error().Describe());
  auto prog = bpfmap::kernel::LoadIterProgram(
      "bench_iter", bpfmap::MapElemIterProgram(4, value_bytes), *target,
      nullptr);
  if (!prog.ok()) Die(prog.error().Describe());
  auto reader = bpfmap::kernel::OpenMapElemIter(*prog, fd);
  close(*prog);
  if (!reader.ok()) Die(reader.error().Describe());
  if (setup != nullptr) {
    *setup = std::chrono::duration<double>(Clock::now() - start).count();
  }
  std::vector<uint8_t> buffer(512 * 1024);
  std::vector<uint8_t> records;  // all of them, when `keys` wants them
  size_t total = 0;
  ssize_t n;
  while ((n = read(*reader, buffer.data(), buffer.size())) > 0) {
    total += n;
    if (keys != nullptr)
      records.insert(records.end(), buffer.data(), buffer.data() + n);
  }
  if (n < 0) Die(fmt::format("read the iterator: {}", std::strerror(errno)));
  close(*reader);
  for (size_t at = 0; keys != nullptr && at < records.size();
       at += 4 + value_bytes) {
    uint32_t key;
    std::memcpy(&key, records.data() + at, 4);
    keys->push_back(key);
  }
  if (seen != nullptr) *seen = static_cast<uint32_t>(total / (4 + value_bytes));
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double BareLookupBatch(int fd, uint32_t value_size, uint32_t* seen,
                       std::vector<uint32_t>* all_keys = nullptr,
                       uint32_t batch = 4096) {
  const uint32_t kBatch = batch;
  std::vector<uint32_t> keys(kBatch);
  std::vector<uint8_t> values(static_cast<size_t>(kBatch) * value_size);
  uint64_t in = 0, out = 0;
  bool first = true;
  uint32_t total = 0;
  auto start = Clock::now();
  while (true) {
    uint32_t count = kBatch;
    LIBBPF_OPTS(bpf_map_batch_opts, opts);
    int err = bpf_map_lookup_batch(fd, first ? nullptr : &in, &out,
                                   keys.data(), values.data(), &count, &opts);
    total += count;
    if (all_keys != nullptr) {
      all_keys->insert(all_keys->end(), keys.begin(), keys.begin() + count);
    }
    if (err != 0 && err != -ENOENT) Die("lookup batch failed");
    if (err == -ENOENT) break;
    in = out;
    first = false;
  }
  if (seen != nullptr) *seen = total;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Why hash maps are dumped with batch calls: a hash map of entries that
// all share one bucket, read `reads` times each way while a writer moves
// them (an update re-links an entry at its bucket's head). The iterator
// resumes a bucket by position after each read(); the batch call reads a
// bucket whole under its lock. Prints what each way repeated and missed.
void ReportConsistency(const std::string& dir, int reads) {
  constexpr uint32_t kKeys = 20000;
  std::vector<uint32_t> held = bpfmap::testing::KeysInOneBucket(kKeys, kKeys);
  std::string pin = dir + "/crowded";
  int fd = bpfmap::testing::CreateCrowdedHash("bench_crowded", pin.c_str(),
                                              kKeys, held);
  if (fd < 0) Die(fmt::format("crowded map: {}", std::strerror(-fd)));
  if (!bpfmap::testing::InOneBucket(fd)) {
    Die("crowded map: its keys are not in one bucket (the kernel hashes "
        "keys otherwise?)");
  }
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (uint64_t i = 0; !stop; ++i) {
      uint32_t key = held[(i * 2654435761u) % kKeys];
      uint64_t value = i;
      bpf_map_update_elem(fd, &key, &value, BPF_EXIST);
    }
  });
  auto count = [&](const std::vector<uint32_t>& read, uint64_t& repeated,
                   uint64_t& missing) {
    std::vector<uint32_t> sorted = read;
    std::sort(sorted.begin(), sorted.end());
    size_t distinct =
        std::unique(sorted.begin(), sorted.end()) - sorted.begin();
    repeated += read.size() - distinct;
    missing += kKeys - distinct;
  };
  uint64_t iter_repeated = 0, iter_missing = 0;
  uint64_t batch_repeated = 0, batch_missing = 0;
  for (int i = 0; i < reads; ++i) {
    std::vector<uint32_t> keys;
    BareIteratorRead(fd, 8, nullptr, nullptr, &keys);
    count(keys, iter_repeated, iter_missing);
    keys.clear();
    BareLookupBatch(fd, 8, nullptr, &keys, 2 * kKeys);
    count(keys, batch_repeated, batch_missing);
  }
  stop = true;
  writer.join();
  close(fd);
  unlink(pin.c_str());
  std::printf(
      "\nConsistency (hash of %u entries in one bucket, %d reads each way, "
      "a writer updating them)\n",
      kKeys, reads);
  std::printf("  %-58s %7llu / %llu\n",
              "bare iterator read: entries repeated / missed",
              static_cast<unsigned long long>(iter_repeated),
              static_cast<unsigned long long>(iter_missing));
  std::printf("  %-58s %7llu / %llu\n",
              "bare lookup batch loop: entries repeated / missed",
              static_cast<unsigned long long>(batch_repeated),
              static_cast<unsigned long long>(batch_missing));
}

void Report(const char* what, double ratio, const char* op, double target) {
  bool ok = std::strcmp(op, "<=") == 0 ? ratio <= target : ratio >= target;
  std::printf("  %-58s %7.2f  (target %s %g)  %s\n", what, ratio, op, target,
              ok ? "met" : "MISSED");
}

void ReportMemory(const char* what, long kib, double limit_mib) {
  double mib = kib / 1024.0;
  std::printf("  %-58s %7.1f MiB  (target <= %g MiB)  %s\n", what, mib,
              limit_mib, mib <= limit_mib ? "met" : "MISSED");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 4 && std::strcmp(argv[1], "--spawn") == 0) {
    // Launcher: run argv[4...], report to the fd in argv[2].
    std::vector<std::string> args(argv + 4, argv + argc);
    Sample sample = SpawnAndWait(args, argv[3]);
    int fd = std::atoi(argv[2]);
    if (write(fd, &sample, sizeof(sample)) != sizeof(sample)) return 1;
    return 0;
  }
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--bpfmap") options.bpfmap = next();
    else if (arg == "--bpftool") options.bpftool = next();
    else if (arg == "--rounds") options.rounds = std::atoi(next().c_str());
    else if (arg == "--entries") options.entries = std::atoi(next().c_str());
    else if (arg == "--big-entries") {
      options.big_entries = std::atoi(next().c_str());
    } else
      Die("unknown argument " + arg);
  }
  if (access(options.bpfmap.c_str(), X_OK) != 0) Die("no " + options.bpfmap);
  if (access(options.bpftool.c_str(), X_OK) != 0) Die("no " + options.bpftool);
  char dir_template[] = "/tmp/bpfmap-bench.XXXXXX";
  if (mkdtemp(dir_template) == nullptr) Die("mkdtemp");
  std::string dir = dir_template;
  if (mount("bpf", dir.c_str(), "bpf", 0, nullptr) != 0) {
    Die("mount bpffs: " + std::string(std::strerror(errno)));
  }
  std::string work = dir + ".files";
  mkdir(work.c_str(), 0700);

  const uint32_t n = options.entries;
  const int rounds = options.rounds;
  std::vector<uint32_t> keys(n);
  std::vector<uint8_t> values(static_cast<size_t>(n) * 8);
  for (uint32_t i = 0; i < n; ++i) {
    keys[i] = i;
    uint64_t v = uint64_t{i} * 2654435761u;
    std::memcpy(values.data() + 8 * static_cast<size_t>(i), &v, 8);
  }
  std::string map = dir + "/m";
  int fd = CreateMap(map, 8, n);
  BareUpdateBatch(fd, keys, values);

  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  std::printf(
      "bpfmap benchmark: hash map of %u entries (u32 key, u64 value), "
      "%d rounds each, medians; host %s, %ld CPUs online\n\n",
      n, rounds, host, sysconf(_SC_NPROCESSORS_ONLN));
  // The bare loops a map's dumps are held against: all `n` entries read,
  // nothing printed.
  auto measure_bare_lookup = [&](const char* name, int map_fd,
                                 uint32_t value_size) {
    return Measure(name, rounds, nullptr, [&] {
      uint32_t seen = 0;
      Sample s{BareLookupBatch(map_fd, value_size, &seen), 0};
      if (seen != n) Die(fmt::format("lookup batch saw {} of {}", seen, n));
      return s;
    });
  };
  auto measure_bare_iterator = [&](const char* name, int map_fd,
                                   uint32_t value_size, double* setup) {
    return Measure(name, rounds, nullptr, [&] {
      uint32_t seen = 0;
      Sample s{BareIteratorRead(map_fd, value_size, &seen, setup), 0};
      if (seen != n) Die(fmt::format("iterator read saw {} of {}", seen, n));
      return s;
    });
  };
  std::printf("Dump\n");
  Measured bare_lookup =
      measure_bare_lookup("bare BPF_MAP_LOOKUP_BATCH loop (4096)", fd, 8);
  double iterator_setup = 0;
  Measured bare_iterator = measure_bare_iterator(
      "bare iterator read (bpf_iter)", fd, 8, &iterator_setup);
  std::printf("  %-44s %8.4f s\n", "  of which program load and attach",
              iterator_setup);
  Measured bpfmap_json = Measure("bpfmap -j dump", rounds, nullptr, [&] {
    return RunChild({options.bpfmap, "-j", "dump", map});
  });
  Measured bpfmap_one_thread = Measure(
      "BPFMAP_THREADS=1 bpfmap -j dump", rounds, nullptr, [&] {
        return RunChild({"/usr/bin/env", "BPFMAP_THREADS=1", options.bpfmap,
                         "-j", "dump", map});
      });
  // Hash maps through the iterator, which only BPFMAP_READ=iterator takes
  // (see Consistency below).
  Measured bpfmap_iterator = Measure(
      "BPFMAP_READ=iterator bpfmap -j dump", rounds, nullptr, [&] {
        return RunChild({"/usr/bin/env", "BPFMAP_READ=iterator",
                         options.bpfmap, "-j", "dump", map});
      });
  Measured bpfmap_plain = Measure("bpfmap dump (plain)", rounds, nullptr, [&] {
    return RunChild({options.bpfmap, "dump", map});
  });
  Measured bpfmap_ndjson = Measure("bpfmap -o ndjson dump", rounds, nullptr,
                                   [&] {
    return RunChild({options.bpfmap, "-o", "ndjson", "dump", map});
  });
  Measured bpftool_json = Measure("bpftool -j map dump", rounds, nullptr, [&] {
    return RunChild({options.bpftool, "-j", "map", "dump", "pinned", map});
  });
  Measured bpftool_plain = Measure("bpftool map dump (plain)", rounds, nullptr,
                                   [&] {
    return RunChild({options.bpftool, "map", "dump", "pinned", map});
  });

  ReportConsistency(dir, 10);

  std::printf("\nArray of %u u64 (bpf_iter by default)\n", n);
  std::string array = dir + "/array";
  int array_fd = CreateMap(array, 8, n, -1, 0, 0, BPF_MAP_TYPE_ARRAY);
  BareUpdateBatch(array_fd, keys, values);
  Measured bare_array_lookup = measure_bare_lookup(
      "bare BPF_MAP_LOOKUP_BATCH loop (array)", array_fd, 8);
  Measured bare_array_iterator =
      measure_bare_iterator("bare iterator read (array)", array_fd, 8, nullptr);
  Measured bpfmap_array =
      Measure("bpfmap -j dump (array)", rounds, nullptr, [&] {
        return RunChild({options.bpfmap, "-j", "dump", array});
      });
  Measured bpfmap_array_batch =
      Measure("BPFMAP_READ=batch bpfmap -j dump (array)", rounds, nullptr, [&] {
        return RunChild({"/usr/bin/env", "BPFMAP_READ=batch", options.bpfmap,
                         "-j", "dump", array});
      });
  close(array_fd);
  unlink(array.c_str());
  std::string mapped = dir + "/mapped";
  int mapped_fd =
      CreateMap(mapped, 8, n, -1, 0, 0, BPF_MAP_TYPE_ARRAY, BPF_F_MMAPABLE);
  BareUpdateBatch(mapped_fd, keys, values);
  Measured bare_mapped_lookup = measure_bare_lookup(
      "bare BPF_MAP_LOOKUP_BATCH loop (mmapable)", mapped_fd, 8);
  Measured bpfmap_mapped = Measure("bpfmap -j dump (mmapable)", rounds,
                                   nullptr, [&] {
    return RunChild({options.bpfmap, "-j", "dump", mapped});
  });
  Measured bpfmap_mapped_plain = Measure(
      "bpfmap dump (mmapable, plain)", rounds, nullptr,
      [&] { return RunChild({options.bpfmap, "dump", mapped}); });
  close(mapped_fd);
  unlink(mapped.c_str());

  std::printf("\nTyped dump (BTF value: struct of 5 fields, 24 bytes)\n");
  std::string typed = dir + "/typed";
  const char* typed_value =
      "struct flow_stats { u64 packets; u64 bytes; u32 flags; u16 port; "
      "u8 proto; }";
  RunChild({options.bpfmap, "create", typed, "type", "hash", "key", "u32",
            "value", typed_value, "entries", std::to_string(n)});
  int typed_fd = bpf_obj_get(typed.c_str());
  if (typed_fd < 0) Die("open typed map");
  {
    std::vector<uint8_t> typed_values(static_cast<size_t>(n) * 24, 0);
    for (uint32_t i = 0; i < n; ++i) {
      uint8_t* v = typed_values.data() + 24 * static_cast<size_t>(i);
      uint64_t packets = i, bytes = uint64_t{i} * 1500;
      uint32_t flags = i & 0xff;
      uint16_t port = i & 0xffff;
      std::memcpy(v, &packets, 8);
      std::memcpy(v + 8, &bytes, 8);
      std::memcpy(v + 16, &flags, 4);
      std::memcpy(v + 20, &port, 2);
      v[22] = 6;
    }
    BareUpdateBatch(typed_fd, keys, typed_values);
  }
  Measured bare_typed_lookup = measure_bare_lookup(
      "bare BPF_MAP_LOOKUP_BATCH loop (typed)", typed_fd, 24);
  Measured bpfmap_typed = Measure("bpfmap -j dump (typed)", rounds, nullptr,
                                  [&] {
    return RunChild({options.bpfmap, "-j", "dump", typed});
  });
  Measured bpftool_typed = Measure("bpftool -j map dump (typed)", rounds,
                                   nullptr, [&] {
    return RunChild({options.bpftool, "-j", "map", "dump", "pinned", typed});
  });

  std::printf("\nInspection (the typed map)\n");
  const char* where = "packets > 500000 and port != 7";
  Measured bpfmap_where = Measure("bpfmap -j dump --where (half match)",
                                  rounds, nullptr, [&] {
    return RunChild({options.bpfmap, "-j", "dump", typed, "--where", where});
  });
  Measured bpfmap_count = Measure("bpfmap dump --count", rounds, nullptr, [&] {
    return RunChild({options.bpfmap, "dump", typed, "--count"});
  });
  Measured bpfmap_count_where = Measure(
      "bpfmap dump --count --where", rounds, nullptr, [&] {
        return RunChild(
            {options.bpfmap, "dump", typed, "--count", "--where", where});
      });
  Measured bpfmap_top = Measure(
      "bpfmap -j dump --sort bytes --limit 10", rounds, nullptr, [&] {
        return RunChild({options.bpfmap, "-j", "dump", typed, "--sort",
                         "bytes", "--limit", "10"});
      });
  // watch of 100,000 entries, every second, in a pipe (a JSON line per
  // entry per read) and as many rows as a screen shows: the share of one
  // core it takes.
  std::string watched = dir + "/watched";
  const uint32_t watched_n = std::min<uint32_t>(n, 100000);
  RunChild({options.bpfmap, "create", watched, "type", "hash", "key", "u32",
            "value", typed_value, "entries", std::to_string(watched_n)});
  {
    int watched_fd = bpf_obj_get(watched.c_str());
    if (watched_fd < 0) Die("open watched map");
    std::vector<uint32_t> watched_keys(keys.begin(),
                                       keys.begin() + watched_n);
    std::vector<uint8_t> watched_values(static_cast<size_t>(watched_n) * 24,
                                        1);
    BareUpdateBatch(watched_fd, watched_keys, watched_values);
    close(watched_fd);
  }
  Sample watch_all = RunChild({options.bpfmap, "watch", watched, "-i", "1",
                               "--count", "6"});
  Sample watch_top = RunChild({options.bpfmap, "watch", watched, "-i", "1",
                               "--count", "6", "--top", "40"});
  double watch_share = watch_all.cpu_seconds / watch_all.seconds;
  double watch_top_share = watch_top.cpu_seconds / watch_top.seconds;
  std::printf("  %-44s %8.3f s  %5.1f%% of a core\n",
              "bpfmap watch, 100k entries, 6 reads (all)", watch_all.seconds,
              100 * watch_share);
  std::printf("  %-44s %8.3f s  %5.1f%% of a core\n",
              "bpfmap watch, 100k entries, 6 reads (--top 40)",
              watch_top.seconds, 100 * watch_top_share);
  unlink(watched.c_str());

  std::printf("\nBulk load\n");
  std::string ndjson = work + "/snap.ndjson";
  RunChild({options.bpfmap, "-o", "ndjson", "dump", map}, ndjson);
  std::string batch = work + "/bpftool.batch";
  std::string target = dir + "/load";
  {
    std::FILE* f = std::fopen(batch.c_str(), "w");
    for (uint32_t i = 0; i < n; ++i) {
      const uint8_t* k = reinterpret_cast<const uint8_t*>(&keys[i]);
      const uint8_t* v = values.data() + 8 * static_cast<size_t>(i);
      std::fprintf(f,
                   "map update pinned %s key %u %u %u %u value %u %u %u %u %u "
                   "%u %u %u\n",
                   target.c_str(), k[0], k[1], k[2], k[3], v[0], v[1], v[2],
                   v[3], v[4], v[5], v[6], v[7]);
    }
    std::fclose(f);
  }
  int load_fd = -1;
  auto fresh_target = [&] {
    if (load_fd >= 0) close(load_fd);
    load_fd = CreateMap(target, 8, n);
  };
  Measured bare_update = Measure("bare BPF_MAP_UPDATE_BATCH (all at once)",
                                 rounds, fresh_target, [&] {
    return Sample{BareUpdateBatch(load_fd, keys, values), 0};
  });
  Measured bpfmap_put = Measure("bpfmap put --file (NDJSON)", rounds,
                                fresh_target, [&] {
    return RunChild({options.bpfmap, "put", target, "--file", ndjson});
  });
  {
    // The copy is exact.
    uint32_t seen = 0;
    BareLookupBatch(load_fd, 8, &seen);
    if (seen != n) Die(fmt::format("put --file loaded {} of {}", seen, n));
  }
  // A typed snapshot restored: what dump -o ndjson printed for the typed map.
  std::string typed_snap = work + "/typed.ndjson";
  RunChild({options.bpfmap, "-o", "ndjson", "dump", typed}, typed_snap);
  std::string typed_target = dir + "/typed_load";
  auto fresh_typed_target = [&] {
    unlink(typed_target.c_str());
    RunChild({options.bpfmap, "create", typed_target, "type", "hash", "key",
              "u32", "value", typed_value, "entries", std::to_string(n)});
  };
  Measure("bpfmap put --file (typed NDJSON)", rounds,
          fresh_typed_target, [&] {
    return RunChild({options.bpfmap, "put", typed_target, "--file",
                     typed_snap});
  });
  unlink(typed_target.c_str());
  // Memory flat in the number of entries: the same load ten times larger.
  Measured big_put{
      fmt::format("bpfmap put --file, {} entries", options.big_entries)};
  if (options.big_entries > 0) {
    uint32_t big = options.big_entries;
    std::string big_file = work + "/big.ndjson";
    {
      std::FILE* f = std::fopen(big_file.c_str(), "w");
      for (uint32_t i = 0; i < big; ++i) {
        uint64_t v = uint64_t{i} * 2654435761u;
        const uint8_t* k = reinterpret_cast<const uint8_t*>(&i);
        const uint8_t* b = reinterpret_cast<const uint8_t*>(&v);
        std::fprintf(f,
                     "{\"key\":\"%02x%02x%02x%02x\",\"value\":\"%02x%02x%02x"
                     "%02x%02x%02x%02x%02x\"}\n",
                     k[0], k[1], k[2], k[3], b[0], b[1], b[2], b[3], b[4], b[5],
                     b[6], b[7]);
      }
      std::fclose(f);
    }
    std::string big_target = dir + "/big_load";
    close(CreateMap(big_target, 8, big));
    Sample sample =
        RunChild({options.bpfmap, "put", big_target, "--file", big_file});
    big_put.median = sample.seconds;
    big_put.peak_kib = sample.peak_kib;
    std::printf("  %-44s %8.3f s  %5.1f MiB  (one run)\n", big_put.name.c_str(),
                sample.seconds, sample.peak_kib / 1024.0);
    unlink(big_target.c_str());
    unlink(big_file.c_str());
  }
  Measured bpftool_batch = Measure("bpftool batch file", rounds, fresh_target,
                                   [&] {
    return RunChild({options.bpftool, "batch", "file", batch});
  });

  std::printf("\nA single lookup (whole process, 50 runs each, interleaved)\n");
  Measured bpfmap_get{"bpfmap get"}, bpftool_get{"bpftool map lookup"};
  {
    std::vector<double> ours, theirs;
    for (int i = 0; i < 50; ++i) {
      Sample a = RunChild({options.bpfmap, "get", map, "key", "7", "0", "0",
                           "0"});
      Sample b = RunChild({options.bpftool, "map", "lookup", "pinned", map,
                           "key", "7", "0", "0", "0"});
      ours.push_back(a.seconds);
      theirs.push_back(b.seconds);
      bpfmap_get.peak_kib = std::max(bpfmap_get.peak_kib, a.peak_kib);
      bpftool_get.peak_kib = std::max(bpftool_get.peak_kib, b.peak_kib);
    }
    bpfmap_get.median = Median(ours);
    bpftool_get.median = Median(theirs);
    for (const Measured* m : {&bpfmap_get, &bpftool_get}) {
      std::printf("  %-44s %8.4f s  %5.1f MiB\n", m->name.c_str(), m->median,
                  m->peak_kib / 1024.0);
    }
  }

  std::printf("\nTargets (ratios of medians from this run)\n");
  Report("bpftool -j dump / bpfmap -j dump", bpftool_json.median /
                                                 bpfmap_json.median,
         ">=", 10);
  Report("bpftool dump / bpfmap dump (plain)",
         bpftool_plain.median / bpfmap_plain.median, ">=", 10);
  Report("bpfmap -j dump / bare lookup batch loop",
         bpfmap_json.median / bare_lookup.median, "<=", 0.9);
  Report("bpfmap dump (plain) / bare lookup batch loop",
         bpfmap_plain.median / bare_lookup.median, "<=", 0.9);
  // Hash maps are read with batch calls (see Consistency), so the bare
  // iterator read is a path bpfmap's dump of them does not take.
  Report("bpfmap -j dump / bare iterator read",
         bpfmap_json.median / bare_iterator.median, "<=", 1.15);
  std::printf("  %-58s %7.2f\n",
              "BPFMAP_READ=iterator -j dump / bare lookup batch loop",
              bpfmap_iterator.median / bare_lookup.median);
  std::printf("  %-58s %7.2f\n",
              "BPFMAP_READ=iterator -j dump / bare iterator read",
              bpfmap_iterator.median / bare_iterator.median);
  std::printf("  %-58s %7.2f\n",
              "BPFMAP_THREADS=1 bpfmap -j dump / bare lookup batch loop",
              bpfmap_one_thread.median / bare_lookup.median);
  Report("bpfmap -o ndjson dump / bare lookup batch loop",
         bpfmap_ndjson.median / bare_lookup.median, "<=", 2);
  Report("bpftool typed dump / bpfmap typed dump",
         bpftool_typed.median / bpfmap_typed.median, ">=", 10);
  Report("bpfmap -j dump (typed) / bare lookup batch loop (typed)",
         bpfmap_typed.median / bare_typed_lookup.median, "<=", 1.0);
  // The same read with nothing printed: what reading through batch calls
  // costs a whole process (start, open, BTF) over the bare loop.
  std::printf("  %-58s %7.2f\n",
              "bpfmap dump --count / bare lookup batch loop (typed)",
              bpfmap_count.median / bare_typed_lookup.median);
  Report("bpfmap -j dump --where / bpfmap -j dump (typed)",
         bpfmap_where.median / bpfmap_typed.median, "<=", 1.5);
  Report("bpfmap dump --count / bpfmap -j dump (typed)",
         bpfmap_count.median / bpfmap_typed.median, "<=", 1.5);
  Report("bpfmap dump --count --where / bpfmap -j dump (typed)",
         bpfmap_count_where.median / bpfmap_typed.median, "<=", 1.5);
  Report("bpfmap watch 100k at 1 s: share of a core (all, in a pipe)",
         watch_share, "<=", 0.25);
  Report("bpfmap watch 100k at 1 s: share of a core (--top 40)",
         watch_top_share, "<=", 0.25);
  std::printf("  %-58s %7.2f\n",
              "bpfmap -j dump --sort --limit 10 / bpfmap -j dump (typed)",
              bpfmap_top.median / bpfmap_typed.median);
  Report("bpfmap put --file / bare update batch",
         bpfmap_put.median / bare_update.median, "<=", 1.2);
  Report("bpftool batch file / bpfmap put --file",
         bpftool_batch.median / bpfmap_put.median, ">=", 10);
  Report("bpfmap get / bpftool map lookup (whole process)",
         bpfmap_get.median / bpftool_get.median, "<=", 1);
  Report("bpfmap -j dump (array) / bare lookup batch loop (array)",
         bpfmap_array.median / bare_array_lookup.median, "<=", 1.0);
  Report("bpfmap -j dump (mmapable) / bare lookup batch loop",
         bpfmap_mapped.median / bare_mapped_lookup.median, "<=", 0.3);
  Report("bpfmap dump (mmapable, plain) / bare lookup batch loop",
         bpfmap_mapped_plain.median / bare_mapped_lookup.median, "<=", 0.3);
  std::printf("  %-58s %7.2f\n",
              "bpfmap -j dump (array) / bare iterator read (array)",
              bpfmap_array.median / bare_array_iterator.median);
  std::printf("  %-58s %7.2f\n",
              "BPFMAP_READ=batch -j dump (array) / bpfmap -j dump (array)",
              bpfmap_array_batch.median / bpfmap_array.median);
  std::printf(
      "\nWhat the kernel allows here (bpftool against the bare batch "
      "calls that bound any tool)\n");
  std::printf("  %-58s %7.2f\n", "bare iterator read / bare lookup batch loop",
              bare_iterator.median / bare_lookup.median);
  std::printf("  %-58s %7.2f\n",
              "bare iterator read / bare lookup batch loop (array)",
              bare_array_iterator.median / bare_array_lookup.median);
  std::printf("  %-58s %7.2f\n", "bpftool -j dump / bare lookup batch loop",
              bpftool_json.median / bare_lookup.median);
  std::printf("  %-58s %7.2f\n", "bpftool batch file / bare update batch",
              bpftool_batch.median / bare_update.median);
  std::printf("\nMemory\n");
  ReportMemory("bpfmap -j dump peak memory", bpfmap_json.peak_kib, 64);
  ReportMemory("bpfmap dump (plain) peak memory", bpfmap_plain.peak_kib, 64);
  ReportMemory("bpfmap put --file peak memory", bpfmap_put.peak_kib, 16);
  if (options.big_entries > 0) {
    ReportMemory(fmt::format("bpfmap put --file peak memory, {} entries",
                             options.big_entries)
                     .c_str(),
                 big_put.peak_kib, 16);
  }
  ReportMemory("bpfmap -j dump --sort --limit 10 peak memory",
               bpfmap_top.peak_kib, 64);
  ReportMemory("bpfmap dump --count --where peak memory",
               bpfmap_count_where.peak_kib, 64);
  std::printf("  (bpftool -j dump peak memory: %.1f MiB)\n",
              bpftool_json.peak_kib / 1024.0);

  close(load_fd);
  close(typed_fd);
  close(fd);
  umount2(dir.c_str(), MNT_DETACH);
  rmdir(dir.c_str());
  unlink(ndjson.c_str());
  unlink(typed_snap.c_str());
  unlink(batch.c_str());
  rmdir(work.c_str());
  return 0;
}
