#include "orchestrator/run/process_runner.h"

#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "tests/support/process.h"

using namespace ripple;
using ripple::testing::TempDir;

namespace {

ProcessResult run_in(const TempDir& dir, const std::string& command, int grace_ms = 500) {
  PosixProcessRunner runner(grace_ms);
  ProcessSpec spec;
  spec.command = command;
  spec.cwd = dir.path();
  std::atomic<bool> cancel{false};
  return runner.run(spec, cancel);
}

// Whether the process whose id is in `pid_file` still runs, some seconds on: gone, or a zombie
// its new parent has not reaped yet, is not running. (A process closes its files a moment before
// it is a zombie, so its pipes may close first.)
bool alive(const std::string& pid_file) {
  std::ifstream in(pid_file);
  int pid = 0;
  REQUIRE(in >> pid);
  for (int i = 0; i < 100; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) {
      return false;
    }
    std::size_t close = line.rfind(')');
    if (close == std::string::npos || close + 2 >= line.size() || line[close + 2] == 'Z') {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace

TEST_CASE("process runner: stdout and stderr apart, and joined whole line by whole line") {
  TempDir d;
  auto r = run_in(d, "printf abc; sleep 0.1; echo def >&2; sleep 0.1; echo ghi; printf tail >&2");
  CHECK(r.exit_code == 0);
  CHECK(r.stdout_text == "abcghi\n");
  CHECK(r.stderr_text == "def\ntail");
  CHECK(r.output == "def\nabcghi\ntail");  // "abc" waits for its line; it is never cut by "def"
}

TEST_CASE("process runner: exit codes and a signal's 128+N") {
  TempDir d;
  CHECK(run_in(d, "exit 7").exit_code == 7);
  CHECK(run_in(d, "kill -TERM $$").exit_code == 128 + SIGTERM);
}

TEST_CASE("process runner: a background child holding stdout does not hold the task") {
  TempDir d;
  // Before: the runner waited for every writer of the pipes, so this never ended.
  auto r = run_in(d, "sleep 300 & echo $! > child.pid; echo done");
  CHECK(r.exit_code == 0);
  CHECK(r.output == "done\n");
  CHECK_FALSE(alive(d.path() + "/child.pid"));  // stopped with the task's process group
}

TEST_CASE("process runner: a double fork and nohup inside the group are stopped too") {
  TempDir d;
  auto r = run_in(d,
                  "(sleep 300 & echo $! > fork.pid) ; nohup sleep 300 > /dev/null 2>&1 & echo $! > "
                  "nohup.pid; echo done");
  CHECK(r.exit_code == 0);
  CHECK_FALSE(alive(d.path() + "/fork.pid"));
  CHECK_FALSE(alive(d.path() + "/nohup.pid"));
}

TEST_CASE("process runner: a leftover that ignores SIGTERM is killed after the grace period") {
  TempDir d;
  auto r = run_in(d, "sh -c 'trap \"\" TERM; sleep 300' & echo $! > stubborn.pid; echo done", 300);
  CHECK(r.exit_code == 0);
  CHECK_FALSE(alive(d.path() + "/stubborn.pid"));
}

TEST_CASE("process runner: a timeout stops the whole group") {
  TempDir d;
  PosixProcessRunner runner(300);
  ProcessSpec spec;
  spec.command = "sleep 300 & echo $! > child.pid; sleep 300";
  spec.cwd = d.path();
  spec.timeout_seconds = 1;
  std::atomic<bool> cancel{false};
  auto r = runner.run(spec, cancel);
  CHECK(r.timed_out);
  CHECK(r.exit_code == 128 + SIGTERM);
  CHECK_FALSE(alive(d.path() + "/child.pid"));
}

TEST_CASE("process runner: a leftover that writes elsewhere and ignores SIGTERM is killed too") {
  TempDir d;
  auto r = run_in(d,
                  "sh -c 'trap \"\" TERM; sleep 300' > /dev/null 2>&1 & echo $! > quiet.pid; "
                  "echo done",
                  300);
  CHECK(r.exit_code == 0);
  CHECK(r.output == "done\n");
  CHECK_FALSE(alive(d.path() + "/quiet.pid"));
}
