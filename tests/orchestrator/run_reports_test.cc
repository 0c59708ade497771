// The run's report files as text: the Chrome trace, JUnit XML and the GitHub step summary, over
// a small workspace with made-up outcomes. The XML is parsed back by python3's xml.etree.

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "graph/task_graph.h"
#include "orchestrator/run/junit_format.h"
#include "orchestrator/run/report_text.h"
#include "orchestrator/run/step_summary.h"
#include "orchestrator/run/trace_format.h"
#include "tests/support/process.h"
#include "tests/support/workspace_yaml.h"

using namespace ripple;
using namespace ripple::testing;
using S = TaskOutcome::Status;

namespace {

// lib and app (app needs lib), each with build and test (test needs build); app's test is not
// cached.
struct Fixture {
  graph::Workspace ws = workspace_yaml(
      "services: [s/*]\ntasks:\n  build: { run: b, deps: ['^build'] }\n  test: { run: t, deps: "
      "[build] }\n",
      {{"s/lib", ""}, {"s/app", "deps: [lib]\ntasks:\n  test: { run: t, cache: false }\n"}});
  RunSelection selection;
  graph::TaskGraph tasks = build();
  std::vector<TaskKey> keys;
  std::vector<TaskOutcome> outcomes;

  Fixture() {
    selection.mode = SelectionMode::all;
    selection.services.assign(ws.graph().topo_order().begin(), ws.graph().topo_order().end());
    selection.total = selection.services.size();
    for (std::uint32_t i = 0; i < tasks.size(); ++i) {
      keys.push_back(TaskKey{std::string(64, static_cast<char>('a' + i)), ""});
    }
    outcomes.resize(tasks.size());
  }
  graph::TaskGraph build() {
    std::vector<ServiceId> all(ws.graph().topo_order().begin(), ws.graph().topo_order().end());
    const std::vector<std::string> wanted = {"test"};
    auto g = graph::TaskGraph::build(ws, all, wanted);
    REQUIRE(g.has_value());
    return std::move(*g);
  }
  std::uint32_t id(const std::string& label) const {
    for (std::uint32_t i = 0; i < tasks.size(); ++i) {
      if (tasks.node(graph::TaskId{i}).label == label) {
        return i;
      }
    }
    FAIL("no task " << label);
    return 0;
  }
  TaskOutcome& at(const std::string& label) { return outcomes[id(label)]; }
  void set(const std::string& label, S status, std::int64_t start, std::int64_t end,
           int exit_code = 0, std::string log = "") {
    TaskOutcome& o = at(label);
    o.status = status;
    o.start_ms = start;
    o.end_ms = end;
    o.seconds = status == S::cached ? 0 : static_cast<double>(end - start) / 1000;
    o.exit_code = exit_code;
    o.note = exit_code != 0 ? "exit code " + std::to_string(exit_code) : "";
    o.log = std::move(log);
  }
  RunRecord record() const {
    return RunRecord{"test",  "ripple run test --all",
                     "/repo", selection,
                     ws,      tasks,
                     keys,    outcomes,
                     1000000, 1005000,
                     1,       true};
  }
};

// python3 run on `script` with the file `text` written to as its argument; its stdout.
std::string python(const std::string& script, const std::string& text) {
  TempDir dir;
  dir.write("in", text);
  dir.write("check.py", script);
  CommandResult r = run_shell("python3 check.py in", dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// Prints each testcase as "classname name kind|message|text" after the counts.
const char* kJunitReader = R"(
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find('testsuite')
print(root.tag, suite.get('tests'), suite.get('failures'), suite.get('skipped'))
for case in suite.findall('testcase'):
    kind, message, text = 'passed', '', ''
    for child in case:
        kind, message, text = child.tag, child.get('message') or '', child.text or ''
    sys.stdout.buffer.write(('%s %s %s %s|%s|%s\n' % (case.get('classname'), case.get('name'),
        case.get('file'), kind, message, text.replace('\n', '/'))).encode('utf-8'))
)";

}  // namespace

TEST_CASE("report text: a log loses terminal escapes, control bytes and invalid UTF-8") {
  CHECK(clean_log_text("\x1b[31mred\x1b[0m ok\r\n") == "red ok\n");
  CHECK(clean_log_text("a\x01"
                       "b\tc") ==
        "a\xEF\xBF\xBD"
        "b\tc");
  CHECK(clean_log_text("caf\xC3\xA9 \xE2\x9C\x93") == "caf\xC3\xA9 \xE2\x9C\x93");
  CHECK(clean_log_text("bad \xFF\xC3 end") == "bad \xEF\xBF\xBD\xEF\xBF\xBD end");
  CHECK(clean_log_text("\x1b]0;title\a!") == "!");
}

TEST_CASE("report text: a tail within a size starts at a whole line when one fits") {
  CHECK(tail_within("one\ntwo\nthree\n", 100) == "one\ntwo\nthree\n");
  CHECK(tail_within("one\ntwo\nthree\n", 10) == "two\nthree\n");
  CHECK(tail_within("one\ntwo\nthree\n", 9) == "three\n");
  CHECK(tail_within("one\ntwo\nthree\n", 6) == "three\n");
  // No whole line fits: cut at a character boundary, never inside one.
  CHECK(tail_within("\xC3\xA9\xC3\xA9\xC3\xA9", 3) == "\xC3\xA9");
}

TEST_CASE("trace: tracks are assigned so that intervals on one never overlap") {
  std::mt19937 random(7);
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  for (int i = 0; i < 300; ++i) {
    std::int64_t start = random() % 10000;
    spans.emplace_back(start, start + random() % 500);
  }
  spans.emplace_back(100, 200);
  spans.emplace_back(200, 300);  // touching an interval is not overlapping it
  const std::vector<int> tracks = assign_tracks(spans);
  REQUIRE(tracks.size() == spans.size());
  int most_at_once = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    int at_once = 0;
    for (std::size_t j = 0; j < spans.size(); ++j) {
      const bool overlap = spans[j].first <= spans[i].first && spans[i].first < spans[j].second;
      at_once += overlap || i == j ? 1 : 0;
      if (i != j && tracks[i] == tracks[j]) {
        INFO(i << " " << j);
        CHECK_FALSE((spans[i].first < spans[j].second && spans[j].first < spans[i].second));
      }
    }
    most_at_once = std::max(most_at_once, at_once);
  }
  // Greedy by start time uses no more tracks than intervals ever run at once.
  CHECK(*std::max_element(tracks.begin(), tracks.end()) + 1 <= most_at_once);
  CHECK(assign_tracks(std::vector<std::pair<std::int64_t, std::int64_t>>{{0, 10}, {10, 20}}) ==
        std::vector<int>{0, 0});
}

TEST_CASE("trace: tasks on worker tracks, ripple's phases on its own, every track named") {
  Fixture f;
  f.set("lib#build", S::ran, 1000100, 1001100);
  f.set("lib#test", S::cached, 1001100, 1001150);
  f.at("lib#test").remote_hit = true;
  f.set("app#build", S::failed, 1001100, 1002000, 2, "boom\n");
  f.at("app#test").status = S::skipped;
  const std::vector<TracePhase> phases = {{"select services", 0, 40}, {"run tasks", 40, 2000000}};
  const auto doc = nlohmann::json::parse(format_trace(f.record(), phases));
  CHECK(doc["displayTimeUnit"] == "ms");
  std::map<int, std::string> names;
  std::map<std::string, nlohmann::json> tasks;
  std::map<int, std::vector<std::pair<std::int64_t, std::int64_t>>> by_tid;
  for (const auto& e : doc["traceEvents"]) {
    INFO(e.dump());
    for (const char* field : {"name", "ph", "ts", "pid", "tid"}) {
      CHECK(e.contains(field));
    }
    if (e["ph"] == "M") {
      if (e["name"] == "thread_name") {
        names[e["tid"]] = e["args"]["name"];
      }
      continue;
    }
    REQUIRE(e["ph"] == "X");
    REQUIRE(e.contains("dur"));
    by_tid[e["tid"]].emplace_back(e["ts"],
                                  e["ts"].get<std::int64_t>() + e["dur"].get<std::int64_t>());
    if (e["cat"] != "ripple") {
      tasks[e["name"]] = e;
    }
  }
  for (const auto& [tid, spans] : by_tid) {
    INFO("tid " << tid);
    CHECK(names.count(tid) == 1);
    for (std::size_t i = 0; i < spans.size(); ++i) {
      for (std::size_t j = i + 1; j < spans.size(); ++j) {
        CHECK_FALSE((spans[i].first < spans[j].second && spans[j].first < spans[i].second));
      }
    }
  }
  CHECK(names[1] == "ripple");
  CHECK(by_tid[1].size() == 2);
  REQUIRE(tasks.size() == 3);  // the skipped task did not run
  CHECK(tasks.count("app#test") == 0);
  CHECK(tasks["lib#build"]["ts"] == 100000);
  CHECK(tasks["lib#build"]["dur"] == 1000000);
  CHECK(tasks["lib#build"]["cat"] == "ran");
  CHECK(tasks["lib#build"]["args"]["cache"] == "miss");
  CHECK(tasks["lib#build"]["args"]["key"] == f.keys[f.id("lib#build")].key);
  CHECK(tasks["lib#test"]["args"]["cache"] == "remote");
  CHECK(tasks["app#build"]["cat"] == "failed");
  CHECK(tasks["app#build"]["args"]["exit_code"] == 2);
  // app#build needs lib#build: it starts when lib#build has ended.
  CHECK(tasks["app#build"]["ts"].get<std::int64_t>() >=
        tasks["lib#build"]["ts"].get<std::int64_t>() +
            tasks["lib#build"]["dur"].get<std::int64_t>());
  // lib#test and app#build ran at once: two worker tracks.
  CHECK(tasks["lib#test"]["tid"] != tasks["app#build"]["tid"]);
  CHECK(names[tasks["app#build"]["tid"]].rfind("worker ", 0) == 0);
}

TEST_CASE("junit: one testcase per task, counts, and text escaped so that it parses back") {
  Fixture f;
  f.set("lib#build", S::ran, 1000100, 1001100);
  f.set("lib#test", S::cached, 1001100, 1001150);
  f.set("app#build", S::failed, 1001100, 1002000, 2,
        "line <1> & \"2\"\n\x1b[31mred\x1b[0m ]]> end \x01\xFF\n");
  f.at("app#test").status = S::skipped;
  f.at("app#test").note = "a dependency did not succeed";
  const std::string xml = format_junit(f.record());
  CHECK_THAT(xml, Catch::Contains("time=\"5.000\""));
  const std::string parsed = python(kJunitReader, xml);
  CHECK(
      parsed ==
      "testsuites 4 1 1\n"
      "lib build s/lib passed||\n"
      "lib test s/lib system-out||cached (local)\n"
      "app build s/app failure|exit code 2|line <1> & \"2\"/red ]]> end \xEF\xBF\xBD\xEF\xBF\xBD/\n"
      "app test s/app skipped|a dependency did not succeed|\n");
}

TEST_CASE("junit: xml escaping covers markup, quotes and characters XML 1.0 cannot carry") {
  CHECK(xml_escape("a<b>&\"c'\n\x02") == "a&lt;b&gt;&amp;&quot;c&apos;&#10;\xEF\xBF\xBD");
  CHECK(xml_cdata("x]]>y") == "<![CDATA[x]]]]><![CDATA[>y]]>");
  CHECK(xml_cdata("]]>]]>") == "<![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]>");
}

TEST_CASE("junit: a report over the size limit cuts the log tails and says so") {
  Fixture f;
  std::string log;
  for (int i = 0; i < 20000; ++i) {
    log += "line " + std::to_string(i) + " ]]> <&>\n";
  }
  f.set("lib#build", S::failed, 1000100, 1001100, 1, log);
  f.set("app#build", S::failed, 1000100, 1001100, 3, log);
  const std::string whole = format_junit(f.record());
  CHECK(whole.size() > 8000);  // 200 lines each
  const std::string cut = format_junit(f.record(), 8000);
  CHECK(cut.size() <= 8000);
  CHECK_THAT(cut, Catch::Contains("log tail cut to fit the report in 7.8 KiB; the whole log is in "
                                  ".ripple/logs/lib/build.log"));
  const std::string parsed = python(kJunitReader, cut);
  CHECK_THAT(parsed, Catch::StartsWith("testsuites 4 2 2\n"));
  CHECK_THAT(parsed, Catch::Contains("line 19999 ]]> <&>/"));
}

TEST_CASE("step summary: the selection, failures first with their logs, then every task") {
  Fixture f;
  f.set("lib#build", S::ran, 1000100, 1001100);
  f.set("lib#test", S::cached, 1001100, 1001150);
  f.set("app#build", S::failed, 1001100, 1002000, 2, "compile error <here> | x\n```\nfenced\n");
  f.at("app#test").status = S::skipped;
  const std::string md = format_step_summary(f.record());
  CHECK_THAT(md, Catch::StartsWith("### ripple run test --all\n\nall 2 services (--all)\n\n"
                                   "**Tasks: 4 (1 cached, 1 ran, 1 failed, 1 skipped)"));
  const auto failed = md.find("| ❌ failed | app#build | 0.90 s | miss |");
  const auto ran = md.find("| ✅ ran | lib#build | 1.00 s | miss |");
  const auto cached = md.find("| ⚡ cached | lib#test | 0.05 s | local |");
  const auto skipped = md.find("| ⏭️ skipped | app#test |  |  |");
  REQUIRE(failed != std::string::npos);
  REQUIRE(ran != std::string::npos);
  REQUIRE(cached != std::string::npos);
  REQUIRE(skipped != std::string::npos);
  CHECK(failed < ran);
  CHECK(ran < cached);
  CHECK(cached < skipped);
  // The log's own ``` cannot close the block around it.
  CHECK_THAT(md, Catch::Contains("<details><summary>app#build: exit code 2</summary>\n\n````text\n"
                                 "compile error <here> | x\n```\nfenced\n````\n\n</details>\n"));
}

TEST_CASE(
    "step summary: a run too big for the limit keeps the failures and says what it left out") {
  Fixture f;
  std::string log;
  for (int i = 0; i < 2000; ++i) {
    log += "a long line of output number " + std::to_string(i) + "\n";
  }
  f.set("lib#build", S::ran, 1000100, 1001100);
  f.set("lib#test", S::ran, 1001100, 1001150);
  f.set("app#build", S::failed, 1001100, 1002000, 2, log);
  f.at("app#test").status = S::skipped;
  const std::string md = format_step_summary(f.record(), 900);
  CHECK(md.size() <= 900);
  CHECK_THAT(md, Catch::Contains("| ❌ failed | app#build |"));
  CHECK_THAT(md, Catch::Contains("more tasks are left out to keep the summary under 900 bytes"));
  CHECK_THAT(md, Catch::Contains("1 failed tasks' logs are left out"));
  const std::string roomier = format_step_summary(f.record(), 1500);
  CHECK(roomier.size() <= 1500);
  CHECK_THAT(roomier, Catch::Contains("[log tail cut to keep the summary under 1.5 KiB; the whole "
                                      "log is in .ripple/logs/app/build.log]"));
  CHECK_THAT(roomier, Catch::Contains("a long line of output number 1999\n"));
}
