#include "orchestrator/run/scheduler.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "graph/config_parser.h"
#include "tests/support/workspace_yaml.h"

using namespace ripple;
using namespace ripple::graph;

namespace {

Workspace make(const std::vector<std::pair<std::string, std::string>>& services) {
  return ripple::testing::workspace_yaml(
      "services: [s/*]\ntasks:\n  build: { run: b, deps: [\'^build\'] }\n", services);
}

TaskGraph build_graph(const Workspace& ws) {
  std::vector<ServiceId> all(ws.graph().topo_order().begin(), ws.graph().topo_order().end());
  std::vector<std::string> names = {"build"};
  auto g = TaskGraph::build(ws, all, names);
  REQUIRE(g.has_value());
  return std::move(*g);
}

// Records the order tasks start in and how many run at once; fails the labels it is told to.
class FakeExecutor final : public Executor {
 public:
  FakeExecutor(const TaskGraph& g, std::set<std::string> failing, int sleep_ms = 20)
      : g_(g), failing_(std::move(failing)), sleep_ms_(sleep_ms) {}

  TaskOutcome execute(TaskId id, const std::atomic<bool>& cancel) override {
    const std::string& label = g_.node(id).label;
    {
      std::lock_guard lock(mutex_);
      started.push_back(label);
      max_running = std::max(max_running, ++running);
    }
    for (int i = 0; i < sleep_ms_ && !cancel.load(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    {
      std::lock_guard lock(mutex_);
      --running;
    }
    TaskOutcome o;
    o.status = failing_.count(label) > 0 ? TaskOutcome::Status::failed : TaskOutcome::Status::ran;
    return o;
  }

  std::vector<std::string> started;
  int max_running = 0;

 private:
  const TaskGraph& g_;
  std::set<std::string> failing_;
  int sleep_ms_;
  std::mutex mutex_;
  int running = 0;
};

std::map<std::string, std::string> statuses(const TaskGraph& g,
                                            const std::vector<TaskOutcome>& outcomes) {
  std::map<std::string, std::string> out;
  for (std::uint32_t i = 0; i < g.size(); ++i) {
    out[g.node(TaskId{i}).label] = status_name(outcomes[i].status);
  }
  return out;
}

// lib <- a, b (independent) <- app
Workspace diamond() {
  return make({{"s/lib", ""},
               {"s/a", "deps: [lib]\n"},
               {"s/b", "deps: [lib]\n"},
               {"s/app", "deps: [a, b]\n"}});
}

}  // namespace

TEST_CASE("scheduler: every task starts after its dependencies") {
  Workspace ws = diamond();
  TaskGraph g = build_graph(ws);
  FakeExecutor ex(g, {});
  std::atomic<bool> cancel{false};
  auto outcomes = run_schedule(g, ex, ScheduleOptions{2, false, {}, {}, {}}, cancel);
  REQUIRE(ex.started.size() == 4);
  CHECK(ex.started.front() == "lib#build");
  CHECK(ex.started.back() == "app#build");
  for (const auto& [label, status] : statuses(g, outcomes)) {
    CHECK(status == "ran");
  }
}

TEST_CASE("scheduler: -j bounds how many tasks run at once") {
  Workspace ws = make({{"s/a", ""}, {"s/b", ""}, {"s/c", ""}, {"s/d", ""}, {"s/e", ""}});
  TaskGraph g = build_graph(ws);
  std::atomic<bool> cancel{false};
  FakeExecutor one(g, {});
  run_schedule(g, one, ScheduleOptions{1, false, {}, {}, {}}, cancel);
  CHECK(one.max_running == 1);
  FakeExecutor two(g, {}, 50);
  run_schedule(g, two, ScheduleOptions{2, false, {}, {}, {}}, cancel);
  CHECK(two.max_running == 2);
}

TEST_CASE("scheduler: fail-fast skips everything not yet started") {
  Workspace ws = diamond();
  TaskGraph g = build_graph(ws);
  FakeExecutor ex(g, {"lib#build"});
  std::atomic<bool> cancel{false};
  auto s = statuses(g, run_schedule(g, ex, ScheduleOptions{2, false, {}, {}, {}}, cancel));
  CHECK(s["lib#build"] == "failed");
  CHECK(s["a#build"] == "skipped");
  CHECK(s["app#build"] == "skipped");
  CHECK(cancel.load());
}

TEST_CASE("scheduler: --continue runs what does not depend on the failure") {
  Workspace ws = diamond();
  TaskGraph g = build_graph(ws);
  FakeExecutor ex(g, {"a#build"});
  std::atomic<bool> cancel{false};
  std::vector<std::string> done;
  ScheduleOptions options{1,
                          true,
                          [&](TaskId id, const TaskOutcome&) { done.push_back(g.node(id).label); },
                          {},
                          WallClock()};
  auto s = statuses(g, run_schedule(g, ex, options, cancel));
  CHECK(s["lib#build"] == "ran");
  CHECK(s["a#build"] == "failed");
  CHECK(s["b#build"] == "ran");
  CHECK(s["app#build"] == "skipped");
  CHECK(done.size() == 4);  // every task is reported, skipped ones too
  CHECK_FALSE(cancel.load());
}

TEST_CASE("scheduler: a cancelled run starts nothing more") {
  Workspace ws = diamond();
  TaskGraph g = build_graph(ws);
  FakeExecutor ex(g, {});
  std::atomic<bool> cancel{true};
  auto s = statuses(g, run_schedule(g, ex, ScheduleOptions{2, false, {}, {}, {}}, cancel));
  CHECK(ex.started.empty());
  CHECK(s["lib#build"] == "skipped");
}

// Each task waits until `n` tasks have started (or a generous deadline passes): only a
// scheduler that really runs n at once lets every one of them see the others.
class BarrierExecutor final : public Executor {
 public:
  explicit BarrierExecutor(int n) : n_(n) {}
  TaskOutcome execute(TaskId, const std::atomic<bool>&) override {
    std::unique_lock lock(mutex_);
    ++started_;
    changed_.notify_all();
    bool all = changed_.wait_for(lock, std::chrono::seconds(60), [&] { return started_ >= n_; });
    TaskOutcome o;
    o.status = all ? TaskOutcome::Status::ran : TaskOutcome::Status::failed;
    return o;
  }

 private:
  int n_;
  int started_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
};

TEST_CASE("scheduler: -j above the number of cores runs that many tasks at once") {
  std::vector<std::pair<std::string, std::string>> services;
  for (int i = 0; i < 8; ++i) {
    services.emplace_back("s/t" + std::to_string(i), "");
  }
  Workspace ws = make(services);
  TaskGraph g = build_graph(ws);
  REQUIRE(g.size() == 8);
  BarrierExecutor ex(8);
  std::atomic<bool> cancel{false};
  auto s = statuses(g, run_schedule(g, ex, ScheduleOptions{8, true, {}, {}, {}}, cancel));
  for (const auto& [label, status] : s) {
    INFO(label);
    CHECK(status == "ran");
  }
}

TEST_CASE("scheduler: on_start sees each task before it runs, and outcomes carry times") {
  Workspace ws = diamond();
  TaskGraph g = build_graph(ws);
  FakeExecutor ex(g, {});
  std::atomic<bool> cancel{false};
  std::vector<std::string> starts;
  ScheduleOptions options{
      2, false, {}, [&](TaskId id) { starts.push_back(g.node(id).label); }, WallClock()};
  auto outcomes = run_schedule(g, ex, options, cancel);
  CHECK(starts.size() == 4);
  CHECK(starts.front() == "lib#build");
  for (const TaskOutcome& o : outcomes) {
    CHECK(o.start_ms > 0);
    CHECK(o.end_ms >= o.start_ms);
  }
}
