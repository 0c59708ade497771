// The watchdog (platform/task_watchdog.h): forked from ripple while other descriptors are open,
// it must not keep any of them (a task's output pipe held by it would delay that task's end of
// file, a lock would stay held), and it stops the groups still listed when ripple goes.

#include "orchestrator/platform/task_watchdog.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

using ripple::TaskWatchdog;

TEST_CASE("task watchdog: keeps none of the descriptors open when it was forked") {
  int fds[2];
  REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
  TaskWatchdog watchdog;
  watchdog.watch(999'999);  // forks it, with both ends of `fds` open here
  REQUIRE(watchdog.running());
  close(fds[1]);
  // The only write end left would be the watchdog's copy: end of file at once without one.
  pollfd wait{fds[0], POLLIN, 0};
  REQUIRE(poll(&wait, 1, 5000) == 1);
  char byte = 0;
  CHECK(read(fds[0], &byte, 1) == 0);
  close(fds[0]);
  watchdog.unwatch(999'999);
  watchdog.stop();
  CHECK_FALSE(watchdog.running());
}

TEST_CASE("task watchdog: stops the groups still listed when the pipe closes") {
  // A task: its own process group, running a program of its own (not the test binary, whose
  // signal handlers — Catch's, a sanitizer's — it would inherit).
  const pid_t child = fork();
  if (child == 0) {
    setpgid(0, 0);
    execlp("sleep", "sleep", "60", static_cast<char*>(nullptr));
    _exit(127);
  }
  REQUIRE(child > 0);
  setpgid(child, child);
  TaskWatchdog watchdog(1000);
  watchdog.watch(child);
  watchdog.stop();  // as ripple dying would: the pipe's end of file
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
}
