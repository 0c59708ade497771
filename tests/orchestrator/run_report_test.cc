#include "orchestrator/run/run_report.h"

#include <catch2/catch.hpp>

#include "orchestrator/run/live_status.h"
#include "orchestrator/run/run_summary.h"

using namespace ripple;

namespace {

TaskOutcome outcome(TaskOutcome::Status status, double saved = 0) {
  TaskOutcome o;
  o.status = status;
  o.saved_seconds = saved;
  return o;
}

}  // namespace

TEST_CASE("run report: totals leave tasks without a command out") {
  using S = TaskOutcome::Status;
  std::vector<TaskOutcome> all = {outcome(S::cached, 2), outcome(S::cached, 1.5), outcome(S::ran),
                                  outcome(S::failed),    outcome(S::skipped),     outcome(S::noop)};
  RunTotals t = count_outcomes(all);
  CHECK(t.tasks == 5);
  CHECK(t.cached == 2);
  CHECK(t.ran == 1);
  CHECK(t.failed == 1);
  CHECK(t.skipped == 1);
  CHECK(t.saved_seconds == Approx(3.5));
  CHECK(format_footer(t, 41.23) ==
        "Tasks: 5 (2 cached, 1 ran, 1 failed, 1 skipped) \u00b7 Time: 41.2 s \u00b7 Saved: 3.50 s");
  CHECK(format_footer(count_outcomes(std::vector<TaskOutcome>{outcome(S::ran)}), 0.5) ==
        "Tasks: 1 (0 cached, 1 ran, 0 failed) \u00b7 Time: 0.50 s");
}

TEST_CASE("run report: durations read as a person says them") {
  CHECK(format_duration(0.423) == "0.42 s");
  CHECK(format_duration(41.25) == "41.2 s");
  CHECK(format_duration(310) == "5m 10s");
  CHECK(format_duration(3725) == "1h 02m");
}

TEST_CASE("run report: the log tail keeps the last lines, whole") {
  CHECK(log_tail("", 20).empty());
  CHECK(log_tail("a\nb\nc\n", 2) == "b\nc\n");
  CHECK(log_tail("a\nb\nc", 2) == "b\nc\n");
  CHECK(log_tail("a\nb\n", 5) == "a\nb\n");
  CHECK(log_tail("\n\n", 1) == "\n");
}

TEST_CASE("run report: a failure is repeated with its exit code, tail and log path") {
  TaskOutcome o = outcome(TaskOutcome::Status::failed);
  o.note = "exit code 2";
  o.log = "one\ntwo\nthree\n";
  CHECK(format_failure("web#test", o, ".ripple/logs/web/test.log", 2) ==
        "web#test failed (exit code 2); last 2 lines of .ripple/logs/web/test.log:\n"
        "  two\n  three\n");
  CHECK(format_failure("web#test", o, ".ripple/logs/web/test.log", 20) ==
        "web#test failed (exit code 2); .ripple/logs/web/test.log:\n  one\n  two\n  three\n");
  o.log.clear();
  CHECK(format_failure("web#test", o, "L", 20) ==
        "web#test failed (exit code 2); it printed nothing (L)\n");
}

TEST_CASE("run report: GitHub annotations escape what the workflow syntax reserves") {
  CHECK(github_error("a#b", "50% done\nnext") == "::error title=a#b::50%25 done%0Anext\n");
  CHECK(github_error("x:y,z", "a:b,c") == "::error title=x%3Ay%2Cz::a:b,c\n");
}

TEST_CASE("run report: the selection says how services were chosen") {
  RunSelection all;
  all.mode = SelectionMode::all;
  all.services = {ServiceId{0}, ServiceId{1}};
  all.total = 2;
  CHECK(format_header(all, 4, 3) == "all 2 services (--all); 4 tasks, 3 expected from the cache");
  RunSelection only;
  only.mode = SelectionMode::only;
  only.services = {ServiceId{1}};
  only.total = 40;
  CHECK(format_header(only, 1, std::nullopt) == "1 of 40 services (--only); 1 task, cache off");

  AffectedReport report;
  report.changes = graph::ChangeSet{{}, "origin/main", std::string(40, 'a'), std::string(40, 'b'),
                                    true};
  report.changes->files.resize(5);
  report.base = BaseChoice{"origin/main", "GITHUB_BASE_REF"};
  auto entry = [](graph::Reason r, std::uint32_t id) {
    graph::AffectedService s;
    s.reason = r;
    s.id = ServiceId{id};
    return s;
  };
  report.set.services = {entry(graph::Reason::changed, 0), entry(graph::Reason::changed, 1),
                         entry(graph::Reason::dependency, 2), entry(graph::Reason::dependency, 3),
                         entry(graph::Reason::global, 4)};
  RunSelection affected;
  affected.mode = SelectionMode::affected;
  affected.services = {ServiceId{0}, ServiceId{1}, ServiceId{2}, ServiceId{3}, ServiceId{4}};
  affected.total = 40;
  affected.affected = &report;
  CHECK(format_selection(affected) ==
        "HEAD vs origin/main (GITHUB_BASE_REF, merge-base aaaaaaaaaa) + work tree: 5 changed "
        "files; 5 of 40 services: 1 global, 2 changed, 2 dependents");
}

TEST_CASE("live status: the line counts, lists what runs oldest first, and is cut to fit") {
  CHECK(LiveStatus::render(3, 26, {}, 80) == "[3/26]");
  CHECK(LiveStatus::render(0, 2, {{"a#build", 3.14}, {"b#test", 0.4}}, 80) ==
        "[0/2] running: a#build 3.1s, b#test 0.4s");
  const std::string cut = LiveStatus::render(0, 2, {{"checkout#build", 3.14}, {"web#test", 0.4}}, 30);
  CHECK(cut == "[0/2] running: checkout#bu\u2026");  // 27 columns: 30 less room for ^C
  CHECK(LiveStatus::render(0, 2, {{"\u00e9\u00e9\u00e9\u00e9\u00e9#t", 1}}, 20) ==
        "[0/2] running: \u00e9\u2026");  // cut between code points, by columns
}

TEST_CASE("live status: every message erases the line first and draws it again after") {
  CollectingReporter inner;
  {
    LiveStatus live(inner, -1, 1);
    live.started(graph::TaskId{0}, "a#build");
    live.warning("careful");
    live.finished(graph::TaskId{0});
    live.stop();
  }
  REQUIRE(inner.warnings == std::vector<std::string>{"careful"});
  std::string all;
  for (const auto& r : inner.raws) {
    all += r;
  }
  CHECK_THAT(all, Catch::Contains("\r\x1b[K[0/1] running: a#build"));
  CHECK_THAT(all, Catch::EndsWith("\r\x1b[K"));  // stop() leaves no line behind
  CHECK_THAT(all, Catch::Contains("[1/1]"));
}
