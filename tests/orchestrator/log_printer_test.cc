#include "orchestrator/run/log_printer.h"

#include <catch2/catch.hpp>

#include "tests/support/workspace_yaml.h"

using namespace ripple;
using namespace ripple::graph;

namespace {

TaskGraph build_tasks(const Workspace& ws) {
  std::vector<ServiceId> all(ws.graph().topo_order().begin(), ws.graph().topo_order().end());
  const std::vector<std::string> names = {"build"};
  auto g = TaskGraph::build(ws, all, names);
  REQUIRE(g.has_value());
  return std::move(*g);
}

struct Fixture {
  Workspace ws = ripple::testing::workspace_yaml("services: [s/*]\ntasks:\n  build: { run: b }\n",
                                                 {{"s/a", ""}, {"s/b", ""}});
  TaskGraph tasks = build_tasks(ws);
  CollectingReporter out;

  TaskId id(const std::string& label) const {
    for (std::uint32_t i = 0; i < tasks.size(); ++i) {
      if (tasks.node(TaskId{i}).label == label) {
        return TaskId{i};
      }
    }
    FAIL("no task " << label);
    return TaskId{0};
  }
  std::string printed() const {
    std::string all;
    for (const auto& r : out.raws) {
      all += r;
    }
    return all;
  }
};

TaskOutcome ran(double seconds) {
  TaskOutcome o;
  o.status = TaskOutcome::Status::ran;
  o.seconds = seconds;
  return o;
}

}  // namespace

TEST_CASE("log printer: streaming prints whole lines only, prefixed, across chunk boundaries") {
  Fixture f;
  LogPrinter p(f.out, f.tasks, LogOrder::stream, CiKind::none);
  p.output(f.id("a#build"), OutputStream::out, "hel");
  CHECK(f.printed().empty());  // no line is complete yet
  p.output(f.id("b#build"), OutputStream::out, "other\n");
  p.output(f.id("a#build"), OutputStream::out, "lo\nwor");
  p.output(f.id("a#build"), OutputStream::err, "oops\n");
  CHECK(f.printed() == "b:build: other\na:build: hello\na:build: oops\n");
  p.finished(f.id("a#build"), ran(1.5));
  CHECK_THAT(f.printed(), Catch::EndsWith("a:build: wor\na:build: ran in 1.50 s\n"));
}

TEST_CASE("log printer: grouped prints nothing until a task ends, then header and log") {
  Fixture f;
  LogPrinter p(f.out, f.tasks, LogOrder::grouped, CiKind::none);
  p.output(f.id("a#build"), OutputStream::out, "line\n");
  CHECK(f.printed().empty());
  TaskOutcome o = ran(0.25);
  o.log = "line\nno newline";
  p.finished(f.id("a#build"), o);
  CHECK(f.printed() == "── a#build: ran in 0.25 s\nline\nno newline\n");
}

TEST_CASE("log printer: GitHub groups, and notes of failed and skipped tasks") {
  Fixture f;
  LogPrinter p(f.out, f.tasks, LogOrder::grouped, CiKind::github);
  TaskOutcome failed;
  failed.status = TaskOutcome::Status::failed;
  failed.seconds = 2;
  failed.note = "exit code 2";
  failed.log = "boom\n";
  p.finished(f.id("a#build"), failed);
  TaskOutcome skipped;
  skipped.note = "a dependency did not succeed";
  p.finished(f.id("b#build"), skipped);
  CHECK(f.printed() ==
        "::group::a#build: failed in 2.00 s (exit code 2)\nboom\n::endgroup::\n"
        "::group::b#build: skipped (a dependency did not succeed)\n::endgroup::\n");
}

TEST_CASE("log printer: a cached task says how much time it saved") {
  Fixture f;
  LogPrinter p(f.out, f.tasks, LogOrder::stream, CiKind::none);
  TaskOutcome cached;
  cached.status = TaskOutcome::Status::cached;
  cached.saved_seconds = 3;
  p.finished(f.id("a#build"), cached);
  CHECK(f.printed() == "a:build: cached, saved 3.00 s\n");
}

TEST_CASE("log printer: GitLab sections, collapsed unless the task failed") {
  Fixture f;
  LogPrinter p(f.out, f.tasks, LogOrder::grouped, CiKind::gitlab);
  TaskOutcome ok = ran(1);
  ok.log = "built\n";
  p.finished(f.id("a#build"), ok);
  TaskOutcome failed;
  failed.status = TaskOutcome::Status::failed;
  failed.note = "exit code 2";
  failed.log = "boom\n";
  p.finished(f.id("b#build"), failed);
  const std::string out = f.printed();
  const std::string a = std::to_string(f.id("a#build").value);
  const std::string b = std::to_string(f.id("b#build").value);
  CHECK_THAT(out, Catch::Matches("\x1b\\[0Ksection_start:[0-9]+:ripple_task_" + a +
                                 "\\[collapsed=true\\]\r\x1b\\[0Ka#build: ran in 1.00 s\nbuilt\n"
                                 "\x1b\\[0Ksection_end:[0-9]+:ripple_task_" + a +
                                 "\r\x1b\\[0K\n"
                                 "\x1b\\[0Ksection_start:[0-9]+:ripple_task_" + b +
                                 "\r\x1b\\[0Kb#build: failed in 0.00 s \\(exit code 2\\)\nboom\n"
                                 "\x1b\\[0Ksection_end:[0-9]+:ripple_task_" + b + "\r\x1b\\[0K\n"));
}

TEST_CASE("log printer: a task without a command prints nothing in either order") {
  for (LogOrder order : {LogOrder::stream, LogOrder::grouped}) {
    Fixture f;
    LogPrinter p(f.out, f.tasks, order, CiKind::github);
    TaskOutcome noop;
    noop.status = TaskOutcome::Status::noop;
    p.finished(f.id("a#build"), noop);
    CHECK(f.printed().empty());
  }
}
