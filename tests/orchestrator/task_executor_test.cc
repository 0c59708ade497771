// The task executor (run/task_executor.h) through a fake process runner that records what it
// was asked to start and writes the outputs a test declares, over a real LocalStore in a
// temporary directory and a real work tree: restore, store, and the checks that keep a restore
// from writing anywhere but beneath its service directory.

#include "orchestrator/run/task_executor.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "cache/digest.h"
#include "cache/local_store.h"
#include "tests/support/fake_process_runner.h"
#include "tests/support/process.h"
#include "tests/support/workspace_yaml.h"

using namespace ripple;
using ripple::testing::FakeProcessRunner;
using ripple::testing::TempDir;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

unsigned mode_of(const std::string& path) {
  struct stat st;
  REQUIRE(lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

unsigned current_umask() {
  mode_t old = umask(0);
  umask(old);
  return old;
}

// A workspace of services under s/ in a temporary root, its task graph of every task, one key
// per task, a real local cache, the fake runner and the executor over them all.
class Fixture {
 public:
  enum class Cache { on, off, read_only };

  Fixture(const std::string& root_yaml,
          const std::vector<std::pair<std::string, std::string>>& services, Cache cache = Cache::on)
      : ws_(ripple::testing::workspace_yaml(root_yaml, services)) {
    for (const auto& [dir, yaml] : services) {
      root_.write(dir + "/service.yaml", yaml);
    }
    std::vector<ServiceId> all(ws_.graph().topo_order().begin(), ws_.graph().topo_order().end());
    std::set<std::string> names;
    for (ServiceId id : all) {
      for (const auto& [name, spec] : ws_.service(id).tasks) {
        names.insert(name);
      }
    }
    std::vector<std::string> task_names(names.begin(), names.end());
    auto g = graph::TaskGraph::build(ws_, all, task_names);
    REQUIRE(g.has_value());
    tasks_ = std::make_unique<graph::TaskGraph>(std::move(*g));
    for (std::uint32_t i = 0; i < tasks_->size(); ++i) {
      const std::string& label = tasks_->node(graph::TaskId{i}).label;
      keys_.push_back(TaskKey{cache::sha256_hex("key of " + label), "{}"});
    }
    if (cache != Cache::off) {
      auto opened = cache::LocalStore::open(cache_dir_.path(), std::chrono::milliseconds(0));
      REQUIRE(opened.has_value());
      store_ = std::move(*opened);
      if (cache == Cache::read_only) {
        store_.reset();
        auto ro = cache::LocalStore::open_read_only(cache_dir_.path());
        REQUIRE(ro.has_value());
        store_ = std::move(*ro);
      }
    }
    executor_ = std::make_unique<TaskExecutor>(
        ExecutorSetup{ws_, *tasks_, keys_, root_.path(), store_.get(), runner, reporter, nullptr,
                      [](graph::TaskId) { return std::string(); }, root_.path() + "/.ripple/logs"});
  }

  graph::TaskId id(const std::string& label) const {
    for (std::uint32_t i = 0; i < tasks_->size(); ++i) {
      if (tasks_->node(graph::TaskId{i}).label == label) {
        return graph::TaskId{i};
      }
    }
    FAIL("no task " << label);
    return graph::TaskId{0};
  }
  const std::string& key(const std::string& label) const { return keys_[id(label).value].key; }

  TaskOutcome execute(const std::string& label, bool cancelled = false) {
    std::atomic<bool> cancel{cancelled};
    return executor_->execute(id(label), cancel);
  }

  // Stores `record` under `label`'s key, bypassing every check but the store's own.
  void put_raw(const std::string& label, const cache::ActionRecord& record) {
    REQUIRE(store_->put_raw_entry_for_test(key(label), cache::encode_action(record)));
  }
  // Puts `bytes` into the cache's blobs (through an entry of their own under an unused key).
  void put_blob(const std::string& bytes) {
    cache::ActionRecord r;
    r.outputs.push_back(cache::OutputRecord{"blob", cache::digest_of(bytes), false, 0644});
    r.stdout_digest = cache::digest_of("");
    r.stderr_digest = cache::digest_of("");
    REQUIRE(store_->put(cache::sha256_hex("blob holder " + bytes), r, {bytes, "", ""}));
  }

  std::string path(const std::string& rel) const { return root_.path() + "/" + rel; }
  cache::LocalStore& store() { return *store_; }

  FakeProcessRunner runner;
  CollectingReporter reporter;

 private:
  TempDir root_;
  TempDir cache_dir_;
  graph::Workspace ws_;
  std::unique_ptr<graph::TaskGraph> tasks_;
  std::vector<TaskKey> keys_;
  std::unique_ptr<cache::LocalStore> store_;
  std::unique_ptr<TaskExecutor> executor_;
};

const char* kRoot = "services: [s/*]\n";

// One service `a` whose build runs `make` and outputs dist/**.
const std::vector<std::pair<std::string, std::string>> kBuild = {
    {"s/a", "tasks:\n  build: { run: make, outputs: ['dist/**'] }\n"}};

// An entry for a's build naming one output `rel` whose blob holds `bytes`.
cache::ActionRecord entry_naming(const std::string& rel, const std::string& bytes) {
  cache::ActionRecord r;
  r.outputs.push_back(cache::OutputRecord{rel, cache::digest_of(bytes), false, 0644});
  r.stdout_digest = cache::digest_of("");
  r.stderr_digest = cache::digest_of("");
  return r;
}

}  // namespace

TEST_CASE("task executor: a task that succeeds runs once and is stored, then it is restored") {
  Fixture f(kRoot, kBuild);
  f.runner.on(
      "make",
      {0, "built\n", "a warning\n", {{"dist/app", "binary"}, {"dist/lib/x.so", "x"}}, 0750});
  TaskOutcome ran = f.execute("a#build");
  CHECK(ran.status == TaskOutcome::Status::ran);
  CHECK(ran.log == "built\na warning\n");
  REQUIRE(f.runner.run_count() == 1);
  const ProcessSpec started = f.runner.runs()[0];
  CHECK(started.command == "make");
  CHECK(started.cwd == f.path("s/a"));
  using Env = std::vector<std::pair<std::string, std::string>>;
  CHECK(started.env ==
        Env{{"RIPPLE_SERVICE", "a"}, {"RIPPLE_TASK", "build"}, {"RIPPLE_KEY", f.key("a#build")}});
  CHECK(read_file(f.path(".ripple/logs/a/build.log")) == "built\na warning\n");

  auto stored = f.store().get(f.key("a#build"));
  REQUIRE(stored.has_value());
  REQUIRE(stored->record.outputs.size() == 2);
  CHECK(stored->record.outputs[0].path == "dist/app");
  CHECK(stored->record.outputs[0].mode == 0750);
  CHECK(stored->record.outputs[1].path == "dist/lib/x.so");

  // The outputs gone, the next execution restores them and replays the log, running nothing.
  REQUIRE(ripple::testing::run_shell("rm -rf dist", f.path("s/a")).exit_code == 0);
  TaskOutcome cached = f.execute("a#build");
  CHECK(cached.status == TaskOutcome::Status::cached);
  CHECK(f.runner.run_count() == 1);
  CHECK(cached.log == "built\na warning\n");  // stdout, then stderr
  CHECK(cached.saved_seconds == Approx(2.5));
  CHECK(read_file(f.path("s/a/dist/app")) == "binary");
  CHECK(read_file(f.path("s/a/dist/lib/x.so")) == "x");
  CHECK(mode_of(f.path("s/a/dist/app")) == (0750 & ~current_umask()));
  CHECK(f.reporter.warnings.empty());
}

TEST_CASE("task executor: failed, timed-out and stopped runs are never stored") {
  Fixture f(kRoot, {{"s/fails", "tasks:\n  build: { run: fail }\n"},
                    {"s/slow", "tasks:\n  build: { run: slow, timeout: 5 }\n"},
                    {"s/stopped", "tasks:\n  build: { run: stopped }\n"}});
  f.runner.on("fail", {2, "", "boom\n", {{"out.txt", "half"}}});
  f.runner.on("slow", {137, "", "", {}, 0644, /*timed_out=*/true});
  f.runner.on("stopped", {143, "", "", {}});
  for (int round = 1; round <= 2; ++round) {
    INFO("round " << round);
    TaskOutcome fails = f.execute("fails#build");
    CHECK(fails.status == TaskOutcome::Status::failed);
    CHECK(fails.exit_code == 2);
    CHECK(fails.note == "exit code 2");
    CHECK(fails.log == "boom\n");
    TaskOutcome slow = f.execute("slow#build");
    CHECK(slow.status == TaskOutcome::Status::failed);
    CHECK(slow.note == "timed out after 5 s");
    TaskOutcome stopped = f.execute("stopped#build", /*cancelled=*/true);
    CHECK(stopped.status == TaskOutcome::Status::failed);
    CHECK_THAT(stopped.note, Catch::StartsWith("stopped"));
    CHECK(f.runner.run_count() == 3u * round);  // nothing came from the cache
  }
  for (const char* label : {"fails#build", "slow#build", "stopped#build"}) {
    INFO(label);
    CHECK_FALSE(f.store().has(f.key(label)));
  }
  CHECK(read_file(f.path(".ripple/logs/fails/build.log")) == "boom\n");
}

TEST_CASE(
    "task executor: cache: false and --cache off run every time, and a grouping task runs none") {
  SECTION("cache: false") {
    Fixture f(kRoot, {{"s/a", "tasks:\n  build: { run: make, outputs: [out], cache: false }\n"}});
    f.runner.on("make", {0, "", "", {{"out", "x"}}});
    CHECK(f.execute("a#build").status == TaskOutcome::Status::ran);
    CHECK(f.execute("a#build").status == TaskOutcome::Status::ran);
    CHECK(f.runner.run_count() == 2);
    CHECK_FALSE(f.store().has(f.key("a#build")));
  }
  SECTION("--cache off") {
    Fixture f(kRoot, kBuild, Fixture::Cache::off);
    f.runner.on("make", {0, "", "", {{"dist/app", "x"}}});
    CHECK(f.execute("a#build").status == TaskOutcome::Status::ran);
    CHECK(f.execute("a#build").status == TaskOutcome::Status::ran);
    CHECK(f.runner.run_count() == 2);
  }
  SECTION("a task without a command") {
    Fixture f(kRoot, {{"s/a", "tasks:\n  all: { deps: [build] }\n  build: { run: make }\n"}});
    f.runner.on("make", {});
    CHECK(f.execute("a#all").status == TaskOutcome::Status::noop);
    CHECK(f.runner.run_count() == 0);
    CHECK_FALSE(f.store().has(f.key("a#all")));
  }
}

TEST_CASE("task executor: an entry naming a path outside the service directory is refused") {
  for (const std::string bad : {"../escaped.txt", "/tmp/absolute.txt", "dist/../../escaped.txt",
                                "./dist/app", "dist//app", "dist/", ""}) {
    INFO("'" << bad << "'");
    Fixture f(kRoot, kBuild);
    f.put_blob("planted");
    f.put_raw("a#build", entry_naming(bad, "planted"));
    f.runner.on("make", {});
    TaskOutcome o = f.execute("a#build");
    CHECK(o.status == TaskOutcome::Status::ran);  // a miss: the task ran instead
    CHECK(f.runner.run_count() == 1);
    REQUIRE(f.reporter.warnings.size() == 1);
    CHECK_THAT(f.reporter.warnings[0],
               Catch::Contains("cache entry for a#build names output '" + bad +
                               "' outside the service directory; refused"));
    CHECK_FALSE(exists(f.path("escaped.txt")));
    CHECK_FALSE(exists(f.path("s/escaped.txt")));
  }
}

TEST_CASE("task executor: a restore never writes through a directory that is a symlink") {
  Fixture f(kRoot, kBuild);
  TempDir elsewhere;
  REQUIRE(symlink(elsewhere.path().c_str(), f.path("s/a/dist").c_str()) == 0);
  f.put_blob("planted");
  f.put_raw("a#build", entry_naming("dist/app", "planted"));
  f.runner.on("make", {});
  CHECK(f.execute("a#build").status == TaskOutcome::Status::ran);
  REQUIRE(f.reporter.warnings.size() == 1);
  CHECK_THAT(f.reporter.warnings[0], Catch::Contains("'dist/app'"));
  CHECK_FALSE(exists(elsewhere.path() + "/app"));
}

TEST_CASE("task executor: a link planted where an output goes is replaced, never followed") {
  Fixture f(kRoot, kBuild);
  TempDir elsewhere;
  elsewhere.write("target", "theirs");
  REQUIRE(ripple::testing::run_shell("mkdir dist", f.path("s/a")).exit_code == 0);
  REQUIRE(symlink((elsewhere.path() + "/target").c_str(), f.path("s/a/dist/app").c_str()) == 0);
  f.put_blob("ours");
  f.put_raw("a#build", entry_naming("dist/app", "ours"));
  CHECK(f.execute("a#build").status == TaskOutcome::Status::cached);
  CHECK(f.runner.run_count() == 0);
  CHECK(read_file(elsewhere.path() + "/target") == "theirs");
  struct stat st;
  REQUIRE(lstat(f.path("s/a/dist/app").c_str(), &st) == 0);
  CHECK(S_ISREG(st.st_mode));
  CHECK(read_file(f.path("s/a/dist/app")) == "ours");
}

TEST_CASE("task executor: an entry with a missing blob restores nothing at all, then runs") {
  Fixture f(kRoot, kBuild);
  f.put_blob("first");
  cache::ActionRecord r = entry_naming("dist/a.txt", "first");
  r.outputs.push_back(
      cache::OutputRecord{"dist/b.txt", cache::digest_of("never stored"), false, 0644});
  f.put_raw("a#build", r);
  f.runner.on("make", {0, "", "", {{"dist/ran.txt", "ran"}}});
  CHECK(f.execute("a#build").status == TaskOutcome::Status::ran);
  CHECK(f.runner.run_count() == 1);
  CHECK_FALSE(exists(f.path("s/a/dist/a.txt")));  // not half a restore
  CHECK(read_file(f.path("s/a/dist/ran.txt")) == "ran");
}

TEST_CASE("task executor: a cache that cannot store warns once, and every task still succeeds") {
  Fixture f(
      kRoot,
      {{"s/a", "tasks:\n  build: { run: make }\n"}, {"s/b", "tasks:\n  build: { run: make }\n"}},
      Fixture::Cache::read_only);
  f.runner.on("make", {0, "ok\n", "", {}});
  CHECK(f.execute("a#build").status == TaskOutcome::Status::ran);
  CHECK(f.execute("b#build").status == TaskOutcome::Status::ran);
  REQUIRE(f.reporter.warnings.size() == 1);
  CHECK_THAT(f.reporter.warnings[0], Catch::EndsWith("; going on without the cache for it"));
}

TEST_CASE("task executor: outputs are the regular files and links matching the globs, sorted") {
  TempDir d;
  d.write("dist/b.txt", "b");
  d.write("dist/a/deep.txt", "deep");
  d.write("dist/skip.log", "log");
  d.write("src/main.c", "c");
  d.write("top.bin", "t");
  REQUIRE(
      ripple::testing::run_shell("ln -s b.txt dist/link && mkdir dist/empty", d.path()).exit_code ==
      0);
  using V = std::vector<std::string>;
  CHECK(TaskExecutor::collect_outputs(d.path(), {"dist/**/*.txt", "*.bin", "dist/link"}) ==
        V{"dist/a/deep.txt", "dist/b.txt", "dist/link", "top.bin"});
  CHECK(TaskExecutor::collect_outputs(d.path(), {}).empty());
  CHECK(TaskExecutor::collect_outputs(d.path() + "/missing", {"**"}).empty());

  // A link among the outputs is not stored (it could point anywhere); the files are.
  Fixture f(kRoot, {{"s/a", "tasks:\n  build: { run: make, outputs: ['dist/**'] }\n"}});
  f.runner.on("make", {0, "", "", {{"dist/real", "r"}}});
  REQUIRE(ripple::testing::run_shell("mkdir -p dist && ln -s /etc/passwd dist/link", f.path("s/a"))
              .exit_code == 0);
  CHECK(f.execute("a#build").status == TaskOutcome::Status::ran);
  auto stored = f.store().get(f.key("a#build"));
  REQUIRE(stored.has_value());
  REQUIRE(stored->record.outputs.size() == 1);
  CHECK(stored->record.outputs[0].path == "dist/real");
}
