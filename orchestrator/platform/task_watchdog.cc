#include "orchestrator/platform/task_watchdog.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace ripple {
namespace {

// The watchdog's whole life, in the forked child: system calls only, on memory set aside before
// the fork.
[[noreturn]] void watch_loop(int fd, int grace_ms, pid_t* groups) {
  // Nothing of ripple's signal handling applies here: Ctrl-C reaches ripple, which stops the
  // tasks itself and then closes the pipe.
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  int count = 0;
  std::int32_t message = 0;
  while (true) {
    ssize_t n = read(fd, &message, sizeof message);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n != static_cast<ssize_t>(sizeof message)) {
      break;  // end of file: ripple is gone, or done
    }
    if (message > 0 && count < TaskWatchdog::kMaxGroups) {
      groups[count++] = message;
    } else if (message < 0) {
      for (int i = 0; i < count; ++i) {
        if (groups[i] == -message) {
          groups[i] = groups[--count];
          break;
        }
      }
    }
  }
  for (int i = 0; i < count; ++i) {
    kill(-groups[i], SIGTERM);
  }
  if (count > 0) {
    timespec grace{grace_ms / 1000, static_cast<long>(grace_ms % 1000) * 1'000'000};
    nanosleep(&grace, nullptr);
    for (int i = 0; i < count; ++i) {
      kill(-groups[i], SIGKILL);
    }
  }
  _exit(0);
}

// Closes every descriptor of the forked child but `keep`: what the fork copied of ripple's —
// another task's pipe being set up, the cache's lock, ripple's stdout — must not live on in the
// watchdog (a task's log would wait for its pipe's end of file, a lock would stay held, a reader
// of ripple's output would wait for the run to end). `limit` bounds the fallback loop for kernels
// without close_range.
void close_all_but(int keep, int limit) {
  const bool low = keep == 0 || close_range(0, static_cast<unsigned>(keep - 1), 0) == 0;
  if (low && close_range(static_cast<unsigned>(keep + 1), ~0U, 0) == 0) {
    return;
  }
  for (int fd = 0; fd < limit; ++fd) {
    if (fd != keep) {
      close(fd);
    }
  }
}

}  // namespace

void TaskWatchdog::start() {
  const int grace_ms = grace_ms_;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return;
  }
  static pid_t groups[kMaxGroups];  // set aside before the fork: the child may not allocate
  rlimit files{};
  const int limit = getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY &&
                            files.rlim_cur < (1u << 20)
                        ? static_cast<int>(files.rlim_cur)
                        : 1 << 16;
  pid_t pid = fork();
  if (pid == 0) {
    // The pipe's end of file is the only signal it needs: ripple dying closes the write end.
    close_all_but(fds[0], limit);
    watch_loop(fds[0], grace_ms, groups);
  }
  close(fds[0]);
  if (pid < 0) {
    close(fds[1]);
    return;
  }
  fd_ = fds[1];
  pid_ = pid;
}

TaskWatchdog::~TaskWatchdog() { stop(); }

void TaskWatchdog::watch(pid_t group) {
  std::call_once(started_, [this] { start(); });
  if (fd_ >= 0) {
    const std::int32_t message = group;
    (void)!write(fd_, &message, sizeof message);
  }
}

void TaskWatchdog::unwatch(pid_t group) {
  if (fd_ >= 0) {
    const std::int32_t message = -group;
    (void)!write(fd_, &message, sizeof message);
  }
}

void TaskWatchdog::stop() {
  std::call_once(started_, [] {});  // never start after a stop
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
  if (pid_ > 0) {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
}

}  // namespace ripple
