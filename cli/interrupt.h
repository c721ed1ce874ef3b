// Ctrl-C and SIGTERM for commands that run until stopped (events): while a
// guard lives, those signals end waits early and are remembered instead of
// killing the process, so the command can close its output cleanly.
#ifndef BPFMAP_CLI_INTERRUPT_H_
#define BPFMAP_CLI_INTERRUPT_H_

#include <csignal>

namespace bpfmap::cli {

class InterruptGuard {
 public:
  // Installs the handlers (SA_RESTART: writes go on; poll and epoll_wait
  // return EINTR regardless).
  InterruptGuard();
  // Puts back the handlers that were there.
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Whether SIGINT or SIGTERM arrived since the guard was made.
  bool Interrupted() const;

 private:
  struct sigaction old_int_ = {};
  struct sigaction old_term_ = {};
};

}  // namespace bpfmap::cli

#endif  // BPFMAP_CLI_INTERRUPT_H_
