// Ctrl-C (SIGINT) and CI cancellation (SIGTERM) of a real `ripple run`: the task's whole process
// group is stopped, ripple exits 130, nothing half-stored is left in the cache.

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

struct Interrupted {
  std::string exit;  // ripple's exit code
  int child = 0;     // the pid of the task's grandchild
};

// Starts `ripple run build --all` in the background, waits until the slow task has started a
// grandchild (its pid in s/slow/child.pid), sends `signal` to ripple and waits for it to exit.
Interrupted interrupt_run(const GitRepo& repo, const std::string& signal) {
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'echo x > out.txt', "
             "outputs: [out.txt] }\n");
  repo.write("s/fast/service.yaml", "");
  // slow depends on fast, so fast has finished (and been stored) when slow starts.
  repo.write("s/slow/service.yaml",
             "deps: [fast]\ntasks:\n  build:\n    deps: [^build]\n"
             "    run: 'sleep 60 & echo $! > child.pid; wait; echo y > out.txt'\n");
  repo.write(".gitignore", "child.pid\n");
  repo.commit("ws");
  auto r = run_shell(ripple_command_line("run build --all -j 2") +
                         " >/dev/null 2>ripple.err & pid=$!\n"
                         "for i in $(seq 300); do [ -s s/slow/child.pid ] && break; sleep 0.1; "
                         "done\n"
                         "kill -" +
                         signal + " $pid; wait $pid; echo \"$?\"",
                     repo.path());
  Interrupted out;
  out.exit = r.out;
  std::ifstream in(repo.path() + "/s/slow/child.pid");
  if (!(in >> out.child)) {
    FAIL("the slow task never started its grandchild; ripple said: "
         << run_shell("cat ripple.err", repo.path()).out);
  }
  return out;
}

}  // namespace

TEST_CASE("interrupt: Ctrl-C stops the task's process group and exits 130") {
  GitRepo repo;
  Interrupted r = interrupt_run(repo, "INT");
  CHECK(r.exit == "130\n");
  CHECK(wait_until_stopped(r.child));
  auto verify = repo.ripple("cache verify");
  CHECK(verify.exit_code == 0);
  // The stopped task was not stored; the one that finished was.
  auto plan = repo.ripple("run build --all --dry-run");
  INFO(plan.out);
  CHECK_THAT(plan.out, Catch::Contains("fast#build"));
  CHECK_THAT(plan.out, Catch::Matches("(.|\n)*fast#build[^\n]*\\(cached\\)(.|\n)*"));
  CHECK_THAT(plan.out, !Catch::Matches("(.|\n)*slow#build[^\n]*\\(cached\\)(.|\n)*"));
}

TEST_CASE("interrupt: SIGTERM (a cancelled CI job) is handled like Ctrl-C") {
  GitRepo repo;
  Interrupted r = interrupt_run(repo, "TERM");
  CHECK(r.exit == "130\n");
  CHECK(wait_until_stopped(r.child));
  CHECK(repo.ripple("cache verify").exit_code == 0);
}

TEST_CASE("run: a daemon a task leaves outside its process group is stopped when the run ends") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  up: { run: 'setsid sh -c \"echo \\$\\$ > daemon.pid; "
             "exec sleep 300\" > /dev/null 2>&1 < /dev/null & i=0; while [ ! -s daemon.pid ] && "
             "[ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done', cache: false }\n");
  repo.write("s/a/service.yaml", "");
  repo.write(".gitignore", "daemon.pid\n");
  repo.commit("ws");
  // The task ends only once the daemon has left its process group (it writes its pid after
  // setsid), so only the end-of-run cleanup can reach it.
  auto r = repo.ripple("run up --all");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("stopped 1 process the tasks left running outside their "
                                    "process groups (setsid)"));
  std::ifstream in(repo.path() + "/s/a/daemon.pid");
  int pid = 0;
  REQUIRE(in >> pid);
  CHECK(wait_until_stopped(pid));
}

TEST_CASE("run: SIGHUP and SIGQUIT stop the run like Ctrl-C") {
  for (const char* signal : {"HUP", "QUIT"}) {
    INFO(signal);
    GitRepo repo;
    repo.write("ripple.yaml",
               "services: [s/*]\ntasks:\n  wait: { run: 'echo $$ > task.pid; touch started; "
               "sleep 300', cache: false }\n");
    repo.write("s/a/service.yaml", "");
    repo.write(".gitignore", "task.pid\nstarted\n");
    repo.commit("ws");
    auto r = run_shell(ripple_command_line("run wait --all") + " 2>err & echo $! > ripple.pid; " +
                           "i=0; while [ ! -e s/a/started ] && [ $i -lt 300 ]; do sleep 0.1; "
                           "i=$((i+1)); done; kill -" +
                           signal +
                           " $(cat ripple.pid); wait $(cat "
                           "ripple.pid); echo $?",
                       repo.path());
    CHECK(r.out == "130\n");
    std::ifstream in(repo.path() + "/s/a/task.pid");
    int pid = 0;
    REQUIRE(in >> pid);
    CHECK(wait_until_stopped(pid));
  }
}

TEST_CASE("run: after kill -9 of ripple itself, its tasks and their children are stopped") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  wait: { run: 'sleep 300 & echo $! > child.pid; echo $$ > "
             "task.pid; wait', cache: false }\n");
  repo.write("s/a/service.yaml", "");
  repo.write(".gitignore", "*.pid\n");
  repo.commit("ws");
  auto r = run_shell(ripple_command_line("run wait --all") + " 2>err & echo $! > ripple.pid; " +
                         "i=0; while [ ! -s s/a/task.pid ] && [ $i -lt 300 ]; do sleep 0.1; "
                         "i=$((i+1)); done; kill -9 $(cat ripple.pid); wait $(cat ripple.pid); "
                         "echo $?",
                     repo.path());
  CHECK(r.out == "137\n");  // really killed, no chance to clean up itself
  for (const char* file : {"s/a/task.pid", "s/a/child.pid"}) {
    INFO(file);
    std::ifstream in(repo.path() + "/" + file);
    int pid = 0;
    REQUIRE(in >> pid);
    // Bounded wait: the watchdog stops them at once (SIGTERM), at worst after its grace period.
    CHECK(wait_until_stopped(pid));
  }
}
