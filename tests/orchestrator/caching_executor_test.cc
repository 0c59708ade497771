// CachingExecutor over a fake executor below it (no processes): what it answers from a real
// LocalStore, what it passes down, and what it stores. The layer wraps any executor; these tests
// give it one that writes the task's output file and counts its calls.

#include "orchestrator/run/caching_executor.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "cache/local_store.h"
#include "tests/support/process.h"
#include "tests/support/workspace_yaml.h"

using namespace ripple;

namespace {

// Writes `dist/out.txt` in the task's service directory and reports `status`.
class FakeBelow final : public Executor {
 public:
  FakeBelow(std::string root, const graph::Workspace& ws, const graph::TaskGraph& tasks)
      : root_(std::move(root)), ws_(ws), tasks_(tasks) {}

  TaskOutcome execute(graph::TaskId id, const std::atomic<bool>&) override {
    ++calls;
    const std::string dir = root_ + "/" + ws_.service(tasks_.node(id).service).dir.str();
    std::ofstream(dir + "/dist/out.txt") << "built " << calls << "\n";
    TaskOutcome o;
    o.status = status;
    o.exit_code = status == TaskOutcome::Status::failed ? 2 : 0;
    o.log = "out line\nerr line\n";
    o.stdout_text = "out line\n";
    o.stderr_text = "err line\n";
    o.process_start_ns = 1'000'000'000;
    o.process_end_ns = 3'500'000'000;
    return o;
  }

  int calls = 0;
  TaskOutcome::Status status = TaskOutcome::Status::ran;

 private:
  std::string root_;
  const graph::Workspace& ws_;
  const graph::TaskGraph& tasks_;
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Fixture {
  ripple::testing::TempDir dir;
  graph::Workspace ws = ripple::testing::workspace_yaml(
      "services: [s/*]\ntasks:\n  build: { run: make, outputs: ['dist/**'] }\n"
      "  group: { deps: [build] }\n  fresh: { run: date, cache: false }\n",
      {{"s/app", ""}});
  std::vector<TaskKey> keys;
  std::unique_ptr<cache::LocalStore> store;
  CollectingReporter reporter;

  Fixture() {
    dir.write("s/app/dist/.keep", "");
    auto opened = cache::LocalStore::open(dir.path() + "/cache", std::chrono::seconds(5));
    REQUIRE(opened.has_value());
    store = std::move(*opened);
  }

  graph::TaskGraph graph_of(const std::string& task) {
    std::vector<ServiceId> all(ws.graph().topo_order().begin(), ws.graph().topo_order().end());
    std::vector<std::string> names = {task};
    auto g = graph::TaskGraph::build(ws, all, names);
    REQUIRE(g.has_value());
    keys.assign(g->size(), TaskKey{std::string(64, 'a'), "{}"});
    return std::move(*g);
  }
};

graph::TaskId only_task(const graph::TaskGraph& g, const std::string& name) {
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g.node(graph::TaskId{static_cast<std::uint32_t>(i)}).name == name) {
      return graph::TaskId{static_cast<std::uint32_t>(i)};
    }
  }
  FAIL("no task " << name);
  return graph::TaskId{0};
}

}  // namespace

TEST_CASE("caching executor: what ran below is stored, and the next time answered without it") {
  Fixture f;
  graph::TaskGraph g = f.graph_of("build");
  FakeBelow below(f.dir.path(), f.ws, g);
  CachingExecutor caching(
      CacheSetup{f.ws, g, f.keys, f.dir.path(), *f.store, f.reporter, nullptr, {}}, below);
  std::atomic<bool> cancel{false};
  const graph::TaskId id = only_task(g, "build");

  TaskOutcome first = caching.execute(id, cancel);
  CHECK(first.status == TaskOutcome::Status::ran);
  CHECK(below.calls == 1);
  f.store->flush();

  std::remove((f.dir.path() + "/s/app/dist/out.txt").c_str());
  TaskOutcome second = caching.execute(id, cancel);
  CHECK(second.status == TaskOutcome::Status::cached);
  CHECK(below.calls == 1);  // not asked again
  CHECK(read(f.dir.path() + "/s/app/dist/out.txt") == "built 1\n");
  CHECK(second.log == "out line\nerr line\n");  // stdout, then stderr
  CHECK(second.saved_seconds == Approx(2.5));
  CHECK(f.reporter.warnings.empty());
}

TEST_CASE("caching executor: a failure below is passed up and never stored") {
  Fixture f;
  graph::TaskGraph g = f.graph_of("build");
  FakeBelow below(f.dir.path(), f.ws, g);
  below.status = TaskOutcome::Status::failed;
  CachingExecutor caching(
      CacheSetup{f.ws, g, f.keys, f.dir.path(), *f.store, f.reporter, nullptr, {}}, below);
  std::atomic<bool> cancel{false};
  const graph::TaskId id = only_task(g, "build");
  CHECK(caching.execute(id, cancel).status == TaskOutcome::Status::failed);
  f.store->flush();
  CHECK(caching.execute(id, cancel).status == TaskOutcome::Status::failed);
  CHECK(below.calls == 2);
}

TEST_CASE("caching executor: tasks without a command, or with cache: false, always go below") {
  Fixture f;
  for (const std::string name : {"group", "fresh"}) {
    INFO(name);
    graph::TaskGraph g = f.graph_of(name);
    FakeBelow below(f.dir.path(), f.ws, g);
    CachingExecutor caching(
        CacheSetup{f.ws, g, f.keys, f.dir.path(), *f.store, f.reporter, nullptr, {}}, below);
    std::atomic<bool> cancel{false};
    const graph::TaskId id = only_task(g, name);
    caching.execute(id, cancel);
    f.store->flush();
    caching.execute(id, cancel);
    CHECK(below.calls == 2);
  }
}
