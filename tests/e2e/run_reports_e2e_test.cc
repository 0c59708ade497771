// `ripple run --profile F --junit F` and the GitHub step summary on real repositories: each file
// is read back as its consumers read it (JSON, python3's xml.etree, the Markdown text), and a
// file that cannot be written is exit 3 naming it.

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

// The JUnit file as python3's xml.etree reads it: "tests failures skipped" then one line per
// testcase, "classname name file kind|message|text" (newlines in text as '/').
std::string read_junit(const std::string& path) {
  TempDir dir;
  dir.write("check.py", R"(
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find('testsuite')
print(suite.get('tests'), suite.get('failures'), suite.get('skipped'))
for case in suite.findall('testcase'):
    kind, message, text = 'passed', '', ''
    for child in case:
        kind, message, text = child.tag, child.get('message') or '', child.text or ''
    sys.stdout.buffer.write(('%s %s %s %s|%s|%s\n' % (case.get('classname'), case.get('name'),
        case.get('file'), kind, message, text.replace('\n', '/'))).encode('utf-8'))
)");
  CommandResult r = run_shell("python3 check.py " + shell_quote(path), dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// Two services: b needs a; a's build fails when s/a/fail exists, printing markup, quotes, a
// CDATA end and colours.
void two_services(const GitRepo& repo) {
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'sh ../../build.sh', deps: ['^build'] }\n");
  repo.write("build.sh",
             "if [ -f fail ]; then printf 'bad <tag> & \"q\" ]]> \\033[31mred\\033[0m\\n'; exit 3; "
             "fi\necho built\n");
  repo.write("s/a/service.yaml", "");
  repo.write("s/b/service.yaml", "deps: [a]\n");
  repo.commit("ws");
}

}  // namespace

TEST_CASE("run reports: the example's run as a trace, a JUnit report and a step summary") {
  GitRepo repo;
  repo.copy_example_shop();
  repo.commit("shop");
  const std::string profile = repo.path() + "/.profile.json";
  const std::string junit = repo.path() + "/.junit.xml";
  const std::string summary = repo.path() + "/.summary.json";
  const std::string markdown = repo.path() + "/.step-summary.md";
  repo.write(".step-summary.md", "# an earlier step\n");
  const std::string env = "GITHUB_STEP_SUMMARY=" + shell_quote(markdown);
  const std::string args = "run build test --all -j 4 --profile " + shell_quote(profile) +
                           " --junit " + shell_quote(junit) + " --summary " + shell_quote(summary);
  auto first = repo.ripple_with_env(env, args);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);

  // The trace: every event complete, tracks named and never overlapping, dependencies in order.
  const auto trace = read_json(profile);
  CHECK(trace["displayTimeUnit"] == "ms");
  std::map<int, std::string> track_names;
  std::map<int, std::vector<std::pair<std::int64_t, std::int64_t>>> by_track;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> task_spans;
  std::set<std::string> phases;
  for (const auto& e : trace["traceEvents"]) {
    INFO(e.dump());
    for (const char* field : {"name", "ph", "ts", "pid", "tid"}) {
      REQUIRE(e.contains(field));
    }
    if (e["ph"] == "M") {
      if (e["name"] == "thread_name") {
        track_names[e["tid"]] = e["args"]["name"];
      }
      continue;
    }
    REQUIRE(e["ph"] == "X");
    REQUIRE(e.contains("dur"));
    const std::int64_t ts = e["ts"];
    const std::int64_t end = ts + e["dur"].get<std::int64_t>();
    CHECK(ts >= 0);
    by_track[e["tid"]].emplace_back(ts, end);
    if (e["cat"] == "ripple") {
      phases.insert(e["name"].get<std::string>());
    } else {
      CHECK(e["cat"] == "ran");
      CHECK(e["args"]["key"].get<std::string>().size() == 64);
      CHECK(e["args"]["cache"] == "miss");
      CHECK(e["args"]["exit_code"] == 0);
      task_spans[e["name"]] = {ts, end};
    }
  }
  for (const auto& [tid, spans] : by_track) {
    INFO("track " << tid);
    CHECK(track_names.count(tid) == 1);
    for (std::size_t i = 0; i < spans.size(); ++i) {
      for (std::size_t j = i + 1; j < spans.size(); ++j) {
        CHECK_FALSE((spans[i].first < spans[j].second && spans[j].first < spans[i].second));
      }
    }
  }
  CHECK(track_names[1] == "ripple");
  for (const char* phase :
       {"select services", "task graph", "inputs", "task keys", "open the cache", "run tasks"}) {
    CHECK(phases.count(phase) == 1);
  }
  const auto doc = read_json(summary);
  REQUIRE(doc["tasks"].size() == 16);
  CHECK(task_spans.size() == 16);
  for (const auto& t : doc["tasks"]) {
    for (const auto& dep : t["dependencies"]) {
      INFO(t["taskId"] << " after " << dep);
      CHECK(task_spans[t["taskId"]].first >= task_spans[dep].second);
    }
  }

  // JUnit: one passing testcase per task, in its service's directory.
  const std::string cases = read_junit(junit);
  CHECK_THAT(cases, Catch::StartsWith("16 0 0\n"));
  for (const auto& t : doc["tasks"]) {
    CHECK_THAT(cases, Catch::Contains(t["service"].get<std::string>() + " " +
                                      t["task"].get<std::string>() + " " +
                                      t["directory"].get<std::string>() + " passed||\n"));
  }

  // The step summary is appended to what the earlier step wrote.
  std::string md = repo.read(".step-summary.md");
  CHECK_THAT(md, Catch::StartsWith("# an earlier step\n### "));
  CHECK_THAT(md, Catch::Contains("all 8 services (--all)"));
  CHECK(count(md, "| ✅ ran |") == 16);

  auto second = repo.ripple_with_env(env, args);
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(count(read_junit(junit), "system-out||cached (local)\n") == 16);
  md = repo.read(".step-summary.md");
  CHECK(count(md, "\n### ") == 2);
  CHECK(count(md, "| ⚡ cached |") == 16);
  CHECK(count(read_json(profile)["traceEvents"].dump(), "\"cat\":\"cached\"") == 16);
}

TEST_CASE("run reports: a failed task's log reaches the JUnit failure and the step summary") {
  GitRepo repo;
  two_services(repo);
  repo.write("s/a/fail", "");
  const std::string junit = repo.path() + "/.junit.xml";
  const std::string markdown = repo.path() + "/.step-summary.md";
  auto r = repo.ripple_with_env("GITHUB_STEP_SUMMARY=" + shell_quote(markdown),
                                "run build --all --junit " + shell_quote(junit));
  INFO(r.err);
  REQUIRE(r.exit_code == 1);
  CHECK(read_junit(junit) ==
        "2 1 1\n"
        "a build s/a failure|exit code 3|bad <tag> & \"q\" ]]> red/\n"
        "b build s/b skipped|a dependency did not succeed|\n");
  const std::string md = repo.read(".step-summary.md");
  const auto failed = md.find("| ❌ failed | a#build |");
  const auto skipped = md.find("| ⏭️ skipped | b#build |");
  REQUIRE(failed != std::string::npos);
  REQUIRE(skipped != std::string::npos);
  CHECK(failed < skipped);
  CHECK_THAT(md, Catch::Contains("<details><summary>a#build: exit code 3</summary>\n\n```text\n"
                                 "bad <tag> & \"q\" ]]> red\n```\n\n</details>"));
}

TEST_CASE("run reports: a report file that cannot be written is exit 3 naming it") {
  GitRepo repo;
  two_services(repo);
  const std::string nowhere = repo.path() + "/missing/dir";
  for (const char* option : {"--profile", "--junit"}) {
    INFO(option);
    auto r = repo.ripple(std::string("run build --all ") + option + " " +
                         shell_quote(nowhere + "/report"));
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("cannot write the " +
                                      std::string(option == std::string("--junit") ? "JUnit report"
                                                                                   : "profile") +
                                      " to " + nowhere + "/report: No such file or directory"));
  }
  auto step = repo.ripple_with_env("GITHUB_STEP_SUMMARY=" + shell_quote(nowhere + "/summary.md"),
                                   "run build --all");
  CHECK(step.exit_code == 3);
  CHECK_THAT(step.err, Catch::Contains("cannot write the step summary ($GITHUB_STEP_SUMMARY) to " +
                                       nowhere + "/summary.md"));
  // A failed run stays a failed run (1), the report's trouble said beside it.
  repo.write("s/a/fail", "");
  auto failed = repo.ripple("run build --all --junit " + shell_quote(nowhere + "/report"));
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Catch::Contains("cannot write the JUnit report to"));
}
