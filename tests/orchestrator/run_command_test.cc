// The run command's logic in process, with a fake process runner (tests/support/
// fake_process_runner.h) on a real directory outside git and a real local cache: which tasks
// start, in which order, what the cache answers the next time, and how a failure ends the run.
// No task process is started.

#include "orchestrator/commands/run_command.h"

#include <catch2/catch.hpp>
#include <map>
#include <sstream>

#include "orchestrator/platform/real_filesystem.h"
#include "tests/support/fake_process_runner.h"
#include "tests/support/process.h"

using namespace ripple;
using ripple::testing::FakeProcessRunner;
using ripple::testing::TempDir;

namespace {

struct Workspace {
  TempDir dir;
  RealFilesystem fs;
  CollectingReporter reporter;
  std::ostringstream out;
  FakeProcessRunner runner;

  Workspace() {
    dir.write("ripple.yaml",
              "services: [s/*]\n"
              "tasks:\n"
              "  build: { run: 'make build', deps: ['^build'], outputs: ['dist/**'] }\n"
              "  test: { run: 'make test', deps: [build] }\n");
    dir.write("s/lib/service.yaml", "");
    dir.write("s/lib/lib.c", "int lib;\n");
    dir.write("s/app/service.yaml", "deps: [lib]\n");
    dir.write("s/app/main.c", "int main;\n");
    dir.write("s/web/service.yaml", "");
    runner.on("make build", {0, "built\n", "", {{"dist/out.txt", "bytes\n"}}});
    runner.on("make test", {0, "ok\n", "", {}});
  }

  int run(RunOptions options) {
    CommandContext ctx{fs, reporter, out, dir.path(),
                       [](const std::string&) { return std::optional<std::string>(); }};
    ctx.runner = &runner;
    options.selection = options.selection.value_or(SelectionMode::all);
    options.jobs = 1;
    return run_run_command(ctx, options);
  }

  // "service#task" of every process started, in order (-j 1).
  std::vector<std::string> started() const {
    std::vector<std::string> out;
    for (const ProcessSpec& p : runner.runs()) {
      std::map<std::string, std::string> env(p.env.begin(), p.env.end());
      out.push_back(env["RIPPLE_SERVICE"] + "#" + env["RIPPLE_TASK"]);
    }
    return out;
  }
};

RunOptions tasks(std::vector<std::string> names) {
  RunOptions o;
  o.tasks = std::move(names);
  return o;
}

}  // namespace

TEST_CASE("run command: tasks start in dependency order, and the next run is answered") {
  Workspace w;
  REQUIRE(w.run(tasks({"build"})) == 0);
  const auto first = w.started();
  REQUIRE(first.size() == 3);
  CHECK(std::find(first.begin(), first.end(), "lib#build") <
        std::find(first.begin(), first.end(), "app#build"));

  REQUIRE(w.run(tasks({"build"})) == 0);
  CHECK(w.runner.run_count() == 3);  // every task answered from the cache

  w.dir.write("s/lib/lib.c", "int lib2;\n");  // lib's key moves, and app's with it
  REQUIRE(w.run(tasks({"build"})) == 0);
  const auto third = w.started();
  REQUIRE(third.size() == 5);
  CHECK(std::vector<std::string>(third.begin() + 3, third.end()) ==
        std::vector<std::string>{"lib#build", "app#build"});
}

TEST_CASE("run command: --only runs the named services' tasks and what they need, no more") {
  Workspace w;
  RunOptions o = tasks({"test"});
  o.selection = SelectionMode::only;
  o.only = {"app"};
  REQUIRE(w.run(o) == 0);
  const auto started = w.started();
  CHECK(std::count(started.begin(), started.end(), "web#build") == 0);
  CHECK(std::count(started.begin(), started.end(), "app#test") == 1);
  CHECK(std::count(started.begin(), started.end(), "lib#test") == 0);
}

TEST_CASE("run command: a failure ends the run with 1, starts nothing after it and is not stored") {
  Workspace w;
  w.runner.on("make build", {2, "", "cc: error\n", {}});
  CHECK(w.run(tasks({"build"})) == 1);
  CHECK(w.runner.run_count() == 1);  // fail-fast: -j 1 starts nothing after the failure
  bool recap = false;
  for (const auto* lines : {&w.reporter.infos, &w.reporter.errors, &w.reporter.raws}) {
    for (const std::string& line : *lines) {
      recap = recap || line.find("failed (exit code 2)") != std::string::npos;
    }
  }
  CHECK(recap);

  w.runner.on("make build", {0, "built\n", "", {{"dist/out.txt", "bytes\n"}}});
  REQUIRE(w.run(tasks({"build"})) == 0);
  CHECK(w.runner.run_count() == 4);  // the failed task ran again: failures are never cached
}

TEST_CASE("run command: --dry-run starts nothing") {
  Workspace w;
  RunOptions o = tasks({"build", "test"});
  o.dry_run = DryRun::json;
  REQUIRE(w.run(o) == 0);
  CHECK(w.runner.run_count() == 0);
  CHECK(w.out.str().find("\"cache\": \"miss\"") != std::string::npos);
}
