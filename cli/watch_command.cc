#include "cli/watch_command.h"

#include <fmt/format.h>
#include <linux/bpf.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <limits>

#include "cli/interrupt.h"
#include "cli/typing.h"
#include "cli/words.h"
#include "core/base/number.h"
#include "core/entries/entry_selection.h"
#include "core/entries/watch_sample.h"
#include "core/kernel/map_handle.h"
#include "core/kernel/map_read.h"
#include "core/model/map_types.h"
#include "formatters/watch_table.h"

namespace bpfmap::cli {
namespace {

double WallNow() {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<double>(now.tv_sec) +
         static_cast<double>(now.tv_nsec) / 1e9;
}

uint64_t MonotonicNow() {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1000000000ull +
         static_cast<uint64_t>(now.tv_nsec);
}

volatile std::sig_atomic_t resized = 0;
volatile std::sig_atomic_t suspended = 0;  // Ctrl-Z
volatile std::sig_atomic_t hung_up = 0;    // SIGHUP, SIGQUIT
void OnResize(int) { resized = 1; }
void OnSuspend(int) { suspended = 1; }
void OnHangUp(int) { hung_up = 1; }

// The terminal while watch draws on it: the alternate screen without a
// cursor, keys read one at a time without echo. Leave() (or the
// destructor) puts everything back.
class Screen {
 public:
  Screen() = default;
  Screen(const Screen&) = delete;
  Screen& operator=(const Screen&) = delete;
  ~Screen() { Leave(); }

  void Enter() {
    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_) == 0) {
      struct termios raw = saved_;
      raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
      raw.c_cc[VMIN] = 0;
      raw.c_cc[VTIME] = 0;
      keys_ = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
    }
    struct sigaction action = {};
    action.sa_handler = OnResize;
    sigaction(SIGWINCH, &action, &old_winch_);
    action.sa_handler = OnSuspend;
    sigaction(SIGTSTP, &action, &old_tstp_);
    action.sa_handler = OnHangUp;
    sigaction(SIGHUP, &action, &old_hup_);
    sigaction(SIGQUIT, &action, &old_quit_);
    Write("\x1b[?1049h\x1b[?25l");
    active_ = true;
  }

  // Ctrl-Z: the terminal as it was, the process stopped as a shell expects;
  // after fg, the screen again.
  void Suspend() {
    Leave();
    std::raise(SIGTSTP);  // the default action, now Leave() put it back
    Enter();
  }

  void Leave() {
    if (!active_) return;
    active_ = false;
    Write("\x1b[?25h\x1b[?1049l");
    if (keys_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
    sigaction(SIGWINCH, &old_winch_, nullptr);
    sigaction(SIGTSTP, &old_tstp_, nullptr);
    sigaction(SIGHUP, &old_hup_, nullptr);
    sigaction(SIGQUIT, &old_quit_, nullptr);
  }

  // Rows and columns.
  std::pair<size_t, size_t> Size() const {
    struct winsize size {};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row == 0) {
      return {24, 80};
    }
    return {size.ws_row, size.ws_col};
  }

  void Draw(const std::vector<std::string>& lines) {
    std::string frame = "\x1b[H";
    for (size_t i = 0; i < lines.size(); ++i) {
      frame += lines[i];
      frame += "\x1b[K";  // the rest of the line
      if (i + 1 < lines.size()) frame += "\r\n";
    }
    frame += "\x1b[J";  // and of the screen
    Write(frame);
  }

  // Waits up to `ms` for a key: the key, or 0 when the time is up, the
  // terminal was resized or a signal came.
  int WaitKey(int ms) {
    struct pollfd in = {STDIN_FILENO, POLLIN, 0};
    int ready = poll(&in, keys_ ? 1 : 0, ms);
    if (ready <= 0) return 0;
    char c = 0;
    if (read(STDIN_FILENO, &c, 1) != 1) return 0;
    return static_cast<unsigned char>(c);
  }

 private:
  static void Write(std::string_view text) {
    while (!text.empty()) {
      ssize_t n = write(STDOUT_FILENO, text.data(), text.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      text.remove_prefix(static_cast<size_t>(n));
    }
  }

  bool active_ = false;
  bool keys_ = false;
  struct termios saved_ = {};
  struct sigaction old_winch_ = {};
  struct sigaction old_tstp_ = {};
  struct sigaction old_hup_ = {};
  struct sigaction old_quit_ = {};
};

bool IsHashLike(uint32_t type) {
  switch (type) {
    case BPF_MAP_TYPE_HASH:
    case BPF_MAP_TYPE_LRU_HASH:
    case BPF_MAP_TYPE_PERCPU_HASH:
    case BPF_MAP_TYPE_LRU_PERCPU_HASH:
    case BPF_MAP_TYPE_HASH_OF_MAPS:
      return true;
    default:
      return false;
  }
}

// What watch sorts by: COLUMN as --sort or the s key gives it.
Result<WatchOrder> OrderFor(std::string_view column, bool ascending,
                            const WatchSampler& sampler,
                            const EntryShape& fields) {
  WatchOrder order;
  order.ascending = ascending;
  if (column.size() > 6 && column.substr(0, 5) == "rate(" &&
      column.back() == ')') {
    std::string_view leaf = column.substr(5, column.size() - 6);
    if (leaf.substr(0, 6) == "value.") leaf.remove_prefix(6);
    const std::vector<NumericLeaf>& leaves = sampler.leaves();
    for (size_t i = 0; i < leaves.size(); ++i) {
      std::string path = leaves[i].path.empty() ? "value" : leaves[i].path;
      bool end = path.size() > leaf.size() &&
                 path.compare(path.size() - leaf.size(), leaf.size(), leaf) ==
                     0 &&
                 path[path.size() - leaf.size() - 1] == '.';
      if (path == leaf || end) {
        order.rate_of = i;
        return order;
      }
    }
    std::vector<std::string> names;
    for (const NumericLeaf& numeric : leaves) {
      names.push_back(numeric.path.empty() ? "value" : numeric.path);
    }
    return Error::BadInput(fmt::format(
        "watch: --sort {}: {} is no numeric field (rates: {})", column, leaf,
        names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
  }
  BPFMAP_ASSIGN_OR_RETURN(order.field,
                          ResolveEntryField(fields, column, "watch: --sort"));
  return order;
}

std::string Seconds(double seconds) {
  return fmt::format("{}s", seconds);
}

}  // namespace

Result<WatchOptions> ParseWatchWords(const CommandInput& input) {
  WatchOptions options;
  BPFMAP_ASSIGN_OR_RETURN(options.map, ParseSoleMapRef(input.words));
  if (!input.interval.empty()) {
    char* end = nullptr;
    double seconds = std::strtod(input.interval.c_str(), &end);
    if (end != input.interval.c_str() + input.interval.size() ||
        !std::isfinite(seconds) || seconds < 0.01 || seconds > 86400) {
      return Error::BadInput(fmt::format(
          "watch: --interval '{}' is not a number of seconds from 0.01 to "
          "86400",
          input.interval));
    }
    options.interval = seconds;
  }
  if (!input.count.empty()) {
    std::optional<Int128> n = ParseInteger(input.count);
    if (!n || *n <= 0 || *n > static_cast<Int128>(UINT64_MAX)) {
      return Error::BadInput(fmt::format(
          "watch: --count '{}' is not a positive whole number", input.count));
    }
    options.count = static_cast<uint64_t>(*n);
  }
  if (!input.top.empty()) {
    BPFMAP_ASSIGN_OR_RETURN(uint32_t top,
                            ParseUint32Arg(input.top, "watch: --top"));
    options.top = top;
  }
  options.where = input.where;
  options.sort = input.sort;
  options.ascending = input.ascending;
  if (options.ascending && options.sort.empty()) {
    return Error::BadInput("watch: --asc orders what --sort COLUMN sorts; "
                           "give --sort");
  }
  return options;
}

Status RunWatch(const WatchOptions& options, CommandEnv& env) {
  if (env.typing.raw_view) {
    return Error::BadInput("watch: bpftool has no watch, so -o bpftool has "
                           "no form for one; use -o ndjson");
  }
  BPFMAP_ASSIGN_OR_RETURN(MapHandle first,
                          MapHandle::Open(options.map, OpenMode::kReadOnly));
  const MapInfo info = first.info();
  if (AccessOf(info.type) != MapAccess::kKeyed) {
    return Error::Unsupported(fmt::format(
        "watch: {} is a {} map, whose entries cannot be read without taking "
        "them",
        info.Label(), MapTypeName(info.type)));
  }
  BPFMAP_ASSIGN_OR_RETURN(MapTyping typing, TypingFor(first, env));
  EntryShape fields = FieldsShape(typing);
  SelectionOptions select;
  select.where = options.where;
  Result<EntrySelection> selection = EntrySelection::For(select, typing);
  if (!selection.ok()) return selection.error().WithContext("watch");
  std::vector<std::unique_ptr<EntryStage>> owned = StagesFor(typing);
  std::vector<EntryStage*> stages;
  for (auto& stage : owned) stages.push_back(stage.get());
  selection->AddStages(stages);

  WatchSampler sampler(fields, nullptr);
  std::vector<std::string> columns = WatchSortColumns(sampler, fields);
  std::string sort = options.sort;
  if (sort.empty() && !sampler.leaves().empty()) {
    const std::string& path = sampler.leaves()[0].path;
    sort = "rate(" + (path.empty() ? std::string("value") : path) + ")";
  }
  WatchOrder order;
  if (!sort.empty()) {
    BPFMAP_ASSIGN_OR_RETURN(order, OrderFor(sort, options.ascending, sampler,
                                            fields));
  }
  bool on_screen =
      env.format == OutputFormat::kTable && isatty(STDOUT_FILENO) != 0;

  // One read: the map opened again (so a map that is gone is noticed),
  // its entries through the stages into the sampler.
  size_t read_count = 0;
  double read_wall = 0;  // when the last read ended
  auto read_once = [&]() -> Status {
    Result<MapHandle> map = MapHandle::Open(options.map, OpenMode::kReadOnly);
    if (!map.ok()) {
      return map.error().WithContext(
          fmt::format("watch: {} is gone", info.Label()));
    }
    if (map->info().id != info.id) {
      return Error::System(
          ENOENT, fmt::format("watch: {} now names map {}, not {}",
                              options.map.ToString(), map->info().id,
                              info.Label()));
    }
    BPFMAP_ASSIGN_OR_RETURN(
        MapReader reader,
        MapReader::Start(*map, ReadOptions{env.read_path, false,
                                           typing.kernel_fields}));
    TimedSource timed(reader);
    sampler.set_times(&timed);
    Result<PipelineResult> done =
        RunPipeline(timed, stages, typing.output, sampler);
    sampler.set_times(nullptr);
    if (!done.ok()) return done.error().WithContext("watch");
    read_count = done->read;
    read_wall = WallNow();
    if (!sort.empty()) SortRows(sampler, order);
    return OkStatus();
  };

  // A hash map nearly full refuses new entries (an LRU one evicts): said
  // once each time the level crosses 90%.
  bool full_said = false;
  std::string full_warning;
  auto check_fill = [&]() {
    full_warning.clear();
    if (!IsHashLike(info.type) || info.max_entries == 0) return;
    double full = 100.0 * static_cast<double>(read_count) / info.max_entries;
    if (full <= 90) {
      full_said = false;
      return;
    }
    full_warning = fmt::format(
        "{} is {:.1f}% full ({} of {}): {}", info.Label(), full, read_count,
        info.max_entries,
        MapTypeName(info.type).substr(0, 3) == "lru"
            ? "the least recently used entries are being evicted"
            : "new entries will be refused");
    if (!full_said && !on_screen) Warn(env, full_warning);
    full_said = true;
  };

  InterruptGuard interrupt;
  uint64_t interval_ns = static_cast<uint64_t>(options.interval * 1e9);
  uint64_t next = MonotonicNow();
  uint64_t reads = 0;
  auto done_reading = [&]() {
    return options.count && reads >= *options.count;
  };

  if (!on_screen) {
    size_t limit = options.top ? *options.top
                               : std::numeric_limits<size_t>::max();
    while (!interrupt.Interrupted() && env.out.Writable() && !done_reading()) {
      BPFMAP_RETURN_IF_ERROR(read_once());
      ++reads;
      check_fill();
      env.out.PrintWatch(sampler, typing.output, read_wall, limit);
      if (done_reading()) break;
      next += interval_ns;
      uint64_t now = MonotonicNow();
      if (next < now) next = now;  // behind: read again at once
      while (!interrupt.Interrupted() && MonotonicNow() < next) {
        uint64_t left = next - MonotonicNow();
        poll(nullptr, 0, static_cast<int>(std::min<uint64_t>(
                             left / 1000000 + 1, 1000)));
      }
    }
    return OkStatus();
  }

  Screen screen;
  screen.Enter();
  std::vector<std::string> last_frame;  // what the screen shows
  bool paused = false;
  size_t column = 0;  // for s: the index in `columns` of the sort
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == sort) column = i;
  }
  auto draw = [&]() {
    auto [height, width] = screen.Size();
    size_t rows = height > 3 ? height - 3 : 1;
    if (options.top) rows = std::min(rows, *options.top);
    // The time of the read shown (paused: the last one, not the clock).
    std::time_t when = static_cast<std::time_t>(read_wall);
    char clock[32];
    std::strftime(clock, sizeof(clock), "%H:%M:%S", std::localtime(&when));
    std::string fill =
        info.max_entries == 0
            ? fmt::format("{} entries", read_count)
            : fmt::format("{}/{} entries ({:.1f}%)", read_count,
                          info.max_entries,
                          100.0 * static_cast<double>(read_count) /
                              info.max_entries);
    std::vector<std::string> lines;
    lines.push_back(fmt::format("{} {}  {}  every {}  {}{}", info.Label(),
                                MapTypeName(info.type), fill,
                                Seconds(options.interval), clock,
                                paused ? "  PAUSED (q quit, p go on)" : ""));
    std::string status = fmt::format(
        "sorted by {}{}  {} shown of {}{}  q quit  s sort  p pause",
        sort.empty() ? "nothing" : sort,
        sort.empty() ? "" : order.ascending ? " (asc)" : " (desc)",
        std::min(rows, sampler.rows().size()), sampler.rows().size(),
        options.where.empty() ? "" : " matching");
    if (!full_warning.empty()) status = "warning: " + full_warning;
    lines.push_back(status);
    for (std::string& line :
         WatchTableLines(sampler, typing.output, rows, width)) {
      lines.push_back(std::move(line));
    }
    for (std::string& line : lines) {
      if (line.size() > width) line.resize(width);
    }
    screen.Draw(lines);
    last_frame = std::move(lines);
  };

  Status status;
  while (!interrupt.Interrupted() && !hung_up && !done_reading()) {
    if (!paused) {
      status = read_once();
      if (!status.ok()) break;
      ++reads;
      check_fill();
    }
    draw();
    if (done_reading()) break;
    next += interval_ns;
    uint64_t now = MonotonicNow();
    if (next < now) next = now;
    bool quit = false;
    while (!interrupt.Interrupted() && !hung_up && MonotonicNow() < next) {
      uint64_t left = next - MonotonicNow();
      int key = screen.WaitKey(static_cast<int>(left / 1000000 + 1));
      if (suspended) {
        suspended = 0;
        screen.Suspend();
        draw();
      }
      if (resized) {
        resized = 0;
        draw();
      }
      if (key == 'q' || key == 'Q') {
        quit = true;
        break;
      }
      if (key == 'p' || key == 'P' || key == ' ') {
        paused = !paused;
        draw();
      }
      if ((key == 's' || key == 'S') && !columns.empty()) {
        column = (column + 1) % columns.size();
        Result<WatchOrder> next_order =
            OrderFor(columns[column], false, sampler, fields);
        if (next_order.ok()) {
          sort = columns[column];
          order = *next_order;
          SortRows(sampler, order);
        }
        draw();
      }
    }
    if (quit) break;
  }
  screen.Leave();
  // --count ran out: the last frame stays to be read, on the terminal's
  // own screen.
  if (status.ok() && done_reading()) {
    std::string text;
    for (const std::string& line : last_frame) text += line + "\n";
    env.out.FlushDump();
    ssize_t written = write(STDOUT_FILENO, text.data(), text.size());
    (void)written;
  }
  if (!full_warning.empty()) Warn(env, full_warning);
  return status;
}

const CommandSpec kWatchCommand = {
    "watch",
    {},
    "read a map every interval: which entries move, how fast, how full",
    "watch MAP [-i SECONDS] [--count N] [--where EXPR]\n"
    "          [--sort COLUMN [--asc]] [--top N]\n"
    "                         on a terminal: the map's entries full screen,\n"
    "                         read again every SECONDS (default 1), with each\n"
    "                         number's change since the last read (\u0394) and\n"
    "                         its rate per second; per-CPU values summed\n"
    "                         unless --cpus each; a counter that went down\n"
    "                         shows as a reset; sorted by COLUMN (a field, or\n"
    "                         rate(FIELD); default: the rate of the first\n"
    "                         number), greatest first; keys: q quit, s next\n"
    "                         sort column, p pause. In a pipe: a line per\n"
    "                         entry per read, {\"t\", \"key\", \"value\", \"delta\",\n"
    "                         \"rate\"} (-o openmetrics: an exposition per\n"
    "                         read; -o table: a table). Warns when a hash map\n"
    "                         is over 90% full. Stops after N reads",
    "bpfmap watch /sys/fs/bpf/flows\n"
    "bpfmap watch /sys/fs/bpf/flows -i 5 --sort 'rate(bytes)' --top 20\n"
    "bpfmap watch name flows --where 'dport == 443' --count 10 | jq .rate\n"
    "bpfmap -o openmetrics watch /sys/fs/bpf/flows -i 15 --count 1",
    [](const CommandInput& input, CommandEnv& env) -> Status {
      BPFMAP_ASSIGN_OR_RETURN(WatchOptions options, ParseWatchWords(input));
      return RunWatch(options, env);
    },
    CompleteMapOnly,
    {CommandOption::kInterval, CommandOption::kCount, CommandOption::kWhere,
     CommandOption::kSort, CommandOption::kAscending, CommandOption::kTop},
};

}  // namespace bpfmap::cli
