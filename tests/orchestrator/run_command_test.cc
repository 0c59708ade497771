// The run command's logic in process, with a fake process runner (tests/support/
// fake_process_runner.h) on a real directory outside git, and a real local cache or a fake store
// (tests/support/fake_store.h): which tasks start, in which order, what the cache answers the
// next time, how a failure ends the run, and what cache trouble does to it (nothing but a
// warning). No task process is started.

#include "orchestrator/commands/run_command.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cache/digest.h"
#include "orchestrator/platform/real_filesystem.h"
#include "tests/support/fake_process_runner.h"
#include "tests/support/fake_store.h"
#include "tests/support/process.h"

using namespace ripple;
using ripple::testing::FakeProcessRunner;
using ripple::testing::FakeStore;
using ripple::testing::TempDir;

namespace {

struct Workspace {
  TempDir dir;
  RealFilesystem fs;
  CollectingReporter reporter;
  std::ostringstream out;
  FakeProcessRunner runner;
  FakeStore* store = nullptr;  // null: the real local cache in .ripple/cache
  WallClock clock;             // null: the system's

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
    CommandContext ctx{fs,
                       reporter,
                       out,
                       dir.path(),
                       [](const std::string&) { return std::optional<std::string>(); },
                       nullptr,
                       nullptr,
                       nullptr,
                       nullptr,
                       WallClock()};
    ctx.runner = &runner;
    ctx.store = store;
    ctx.key_history = store;
    ctx.clock = clock;
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

  bool said(const std::string& text) const {
    for (const auto* lines :
         {&reporter.warnings, &reporter.infos, &reporter.errors, &reporter.raws}) {
      for (const std::string& line : *lines) {
        if (line.find(text) != std::string::npos) {
          return true;
        }
      }
    }
    return false;
  }
  int warnings_with(const std::string& text) const {
    return static_cast<int>(
        std::count_if(reporter.warnings.begin(), reporter.warnings.end(),
                      [&](const std::string& w) { return w.find(text) != std::string::npos; }));
  }
};

// A workspace whose run talks to a fake store, in the workspace's .fake-store/.
struct FakeStoreWorkspace : Workspace {
  FakeStore fake{dir.path() + "/.fake-store"};
  FakeStoreWorkspace() { store = &fake; }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

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

TEST_CASE("run command: a hit restores the outputs from the store and starts nothing") {
  FakeStoreWorkspace w;
  REQUIRE(w.run(tasks({"build"})) == 0);
  REQUIRE(w.fake.keys().size() == 3);
  std::filesystem::remove_all(w.dir.path() + "/s/lib/dist");
  REQUIRE(w.run(tasks({"build"})) == 0);
  CHECK(w.runner.run_count() == 3);
  CHECK(w.fake.counts().hits == 3);
  CHECK(slurp(w.dir.path() + "/s/lib/dist/out.txt") == "bytes\n");
  CHECK(w.said("3 cached"));
}

TEST_CASE("run command: a store that is down fails no task: every task runs, one warning") {
  FakeStoreWorkspace w;
  REQUIRE(w.run(tasks({"build"})) == 0);
  w.fake.fail_gets(cache::Failure{cache::Failure::Kind::unavailable, "cache server down"});
  REQUIRE(w.run(tasks({"build"})) == 0);
  CHECK(w.runner.run_count() == 6);  // nothing answered: all three ran again
  CHECK(w.warnings_with("cache server down") == 1);
}

TEST_CASE("run command: entries that do not decode, or credentials refused, are misses") {
  for (auto kind : {cache::Failure::Kind::corrupt, cache::Failure::Kind::denied}) {
    FakeStoreWorkspace w;
    REQUIRE(w.run(tasks({"build"})) == 0);
    w.fake.fail_gets(cache::Failure{kind, "refused by the store"});
    REQUIRE(w.run(tasks({"build"})) == 0);
    CHECK(w.runner.run_count() == 6);
    CHECK(w.warnings_with("refused by the store") == 1);
  }
}

TEST_CASE("run command: a store that cannot store fails no task, and nothing is answered later") {
  FakeStoreWorkspace w;
  w.fake.fail_puts("the cache's disk is full");
  REQUIRE(w.run(tasks({"build"})) == 0);
  CHECK(w.warnings_with("the cache's disk is full") == 1);
  w.fake.fail_puts(std::nullopt);
  REQUIRE(w.run(tasks({"build"})) == 0);
  CHECK(w.runner.run_count() == 6);
  CHECK(w.fake.counts().hits == 0);
}

TEST_CASE("run command: an entry whose blob the store lost is a miss, never a half restore") {
  FakeStoreWorkspace w;
  REQUIRE(w.run(tasks({"build"})) == 0);
  w.fake.lose_blob(cache::sha256_hex("bytes\n"));
  std::filesystem::remove_all(w.dir.path() + "/s/app/dist");
  REQUIRE(w.run(tasks({"build"})) == 0);
  // The first task to look (-j 1) misses and runs, and storing its result brings the blob back,
  // so the other two, whose entries name the same bytes, restore.
  CHECK(w.runner.run_count() == 4);
  CHECK(w.fake.counts().hits == 3);  // all three entries found; one could not be restored
  CHECK(slurp(w.dir.path() + "/s/app/dist/out.txt") == "bytes\n");
}

TEST_CASE("run command: --dry-run predicts hits from what the store has, and runs nothing") {
  FakeStoreWorkspace w;
  REQUIRE(w.run(tasks({"build"})) == 0);
  RunOptions o = tasks({"build", "test"});
  o.dry_run = DryRun::json;
  REQUIRE(w.run(o) == 0);
  CHECK(w.runner.run_count() == 3);
  const std::string plan = w.out.str();
  std::size_t hits = 0;
  for (std::size_t at = plan.find("\"cache\": \"hit\""); at != std::string::npos;
       at = plan.find("\"cache\": \"hit\"", at + 1)) {
    ++hits;
  }
  CHECK(hits == 3);                  // the three builds; the tests never ran
  CHECK(w.fake.counts().gets == 3);  // only the first run looked anything up
}

TEST_CASE("run command: --cache off asks the store nothing and stores nothing") {
  FakeStoreWorkspace w;
  RunOptions o = tasks({"build"});
  o.cache = CacheUse::off;
  REQUIRE(w.run(o) == 0);
  CHECK(w.fake.counts().gets == 0);
  CHECK(w.fake.counts().puts == 0);
  CHECK(w.runner.run_count() == 3);
}

TEST_CASE("run command: --explain-misses names the input that moved a task's key") {
  FakeStoreWorkspace w;
  REQUIRE(w.run(tasks({"build"})) == 0);
  w.dir.write("s/lib/lib.c", "int lib2;\n");
  RunOptions o = tasks({"build"});
  o.explain_misses = true;
  REQUIRE(w.run(o) == 0);
  CHECK(w.said("cache miss lib#build"));
  CHECK(w.said("cache miss app#build"));
  CHECK_FALSE(w.said("cache miss web#build"));
  CHECK(w.said("lib.c"));
}

TEST_CASE("run command: the summary's times come from the clock the context gives") {
  Workspace w;
  w.clock = [] { return std::int64_t{1'700'000'000'123}; };
  RunOptions o = tasks({"build"});
  o.summary_file = w.dir.path() + "/summary.json";
  REQUIRE(w.run(o) == 0);
  auto doc = nlohmann::json::parse(slurp(o.summary_file));
  CHECK(doc["execution"]["startTime"] == 1'700'000'000'123);
  CHECK(doc["execution"]["endTime"] == 1'700'000'000'123);
  REQUIRE(doc["tasks"].size() == 3);
  for (const auto& task : doc["tasks"]) {
    CHECK(task["execution"]["startTime"] == 1'700'000'000'123);
    CHECK(task["execution"]["endTime"] == 1'700'000'000'123);
  }
}
