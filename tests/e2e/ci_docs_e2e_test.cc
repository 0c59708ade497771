// docs/ci.md stays true: every `ripple` command in its code blocks is run here, in the environment
// the CI system it is written for sets (a pull request, a push, a merge request), on the example
// repository, and the test fails when the page holds a command this file does not run.

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every `ripple ...` command line inside the page's fenced code blocks.
std::set<std::string> documented_commands() {
  std::set<std::string> out;
  std::istringstream in(read(std::string(RIPPLE_SOURCE_DIR) + "/docs/ci.md"));
  bool fenced = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("```", 0) == 0) {
      fenced = !fenced;
      continue;
    }
    if (!fenced || line.find('#') == line.find_first_not_of(' ')) {
      continue;  // prose, or a comment line
    }
    std::size_t at = line.find("ripple ");
    if (at != std::string::npos &&
        (at == line.find_first_not_of(' ') || line.compare(at - 5, 5, "run: ") == 0 ||
         line.compare(at - 2, 2, "- ") == 0)) {
      out.insert(line.substr(at));
    }
  }
  return out;
}

// The commands the page must hold, each run below.
const char* kOneJob = "ripple run build test --affected -j 8 --summary ripple-summary.json";
const char* kGitLab =
    "ripple run build test --affected -j 8 --summary ripple-summary.json --junit ripple-junit.xml";
const char* kMatrix =
    "ripple affected --format github-output --matrix-filter task:build >> \"$GITHUB_OUTPUT\"";
const char* kPerService =
    "ripple run build test --only ${{ matrix.service }} --summary ripple-summary.json";
const char* kExplain = "ripple affected --explain";
const char* kLocalRun = "ripple run build test --affected";

// examples/shop pushed to an origin, and a clone of it as a CI runner checks it out (with the
// whole history, as the page asks).
struct Ci {
  GitRepo origin;
  TempDir parent;
  std::string clone;
  std::string base;  // main's commit before the change

  Ci() {
    origin.copy_example_shop();
    base = origin.commit("shop");
    run_git("clone -q " + shell_quote(origin.path()) + " c", parent.path());
    clone = parent.path() + "/c";
  }

  // Runs a documented command in the clone as `sh` would in a CI step: ripple from a clean
  // environment plus `env`, the rest of the line (a redirection) as written.
  CommandResult step(std::string command, const std::string& env) const {
    REQUIRE(command.rfind("ripple ", 0) == 0);
    command.replace(0, 7, ripple_command_line("", env));
    // The step's shell sees the variables too ($GITHUB_OUTPUT in a redirection).
    return run_shell((env.empty() ? "" : "export " + env + "; ") + command, clone);
  }

  void change_payments() const {
    std::ofstream(clone + "/services/payments/internal/ledger/ledger.go", std::ios::app)
        << "\n// Refund reverses a captured payment.\n";
    run_git("commit -q -am payments", clone);
  }
};

std::map<std::string, std::string> statuses(const std::string& summary) {
  std::ifstream in(summary);
  const auto doc = nlohmann::json::parse(in);
  std::map<std::string, std::string> out;
  for (const auto& t : doc["tasks"]) {
    out[t["taskId"]] = t["status"];
  }
  return out;
}

}  // namespace

TEST_CASE("ci docs: the page holds exactly the commands this test runs") {
  CHECK(documented_commands() ==
        std::set<std::string>{kOneJob, kGitLab, kMatrix, kPerService, kExplain, kLocalRun});
}

TEST_CASE("ci docs: GitHub Actions, a pull request: one job, then a job per affected service") {
  Ci ci;
  run_git("checkout -q -b feature", ci.clone);
  ci.change_payments();
  const std::string github_output = ci.parent.path() + "/github_output";
  const std::string step_summary = ci.parent.path() + "/step_summary";
  const std::string env =
      "CI=true GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request "
      "GITHUB_BASE_REF=main GITHUB_OUTPUT=" +
      shell_quote(github_output) + " GITHUB_STEP_SUMMARY=" + shell_quote(step_summary);

  auto one = ci.step(kOneJob, env);
  INFO(one.err);
  REQUIRE(one.exit_code == 0);
  // The run's summary page: the selection and a row per task.
  const std::string page = read(step_summary);
  CHECK_THAT(page, Catch::Contains("HEAD vs origin/main (GITHUB_BASE_REF"));
  CHECK_THAT(page, Catch::Contains("| ✅ ran | payments#build |"));
  CHECK_THAT(one.err, Catch::StartsWith("ripple: HEAD vs origin/main (GITHUB_BASE_REF"));
  CHECK_THAT(one.err, Catch::Contains("::group::payments#build: ran"));
  auto ran = statuses(ci.clone + "/ripple-summary.json");
  CHECK(ran["payments#build"] == "ran");
  CHECK(ran["checkout#test"] == "ran");
  CHECK(ran.count("notifications#build") == 0);

  auto matrix = ci.step(kMatrix, env);
  INFO(matrix.err);
  REQUIRE(matrix.exit_code == 0);
  const std::string lines = read(github_output);
  CHECK_THAT(lines, Catch::Contains("any=true\n"));
  CHECK_THAT(lines, Catch::Contains("count=4\n"));  // payments, checkout, gateway, web
  const auto json = nlohmann::json::parse(lines.substr(7, lines.find('\n') - 7));
  REQUIRE(json["include"].size() == 4);
  for (const auto& entry : json["include"]) {
    std::string command = kPerService;
    command.replace(command.find("${{ matrix.service }}"), 21, entry["service"].get<std::string>());
    auto job = ci.step(command, env);
    INFO(command << "\n" << job.err);
    CHECK(job.exit_code == 0);
    CHECK(statuses(ci.clone +
                   "/ripple-summary.json")[entry["service"].get<std::string>() + "#test"] !=
          "failed");
  }
}

TEST_CASE("ci docs: GitHub Actions, a push to main compares against the event's before") {
  Ci ci;
  ci.change_payments();
  const std::string event = ci.parent.path() + "/event.json";
  std::ofstream(event) << "{\"before\": \"" << ci.base << "\", \"ref\": \"refs/heads/main\"}\n";
  auto r = ci.step(kOneJob,
                   "CI=true GITHUB_ACTIONS=true GITHUB_EVENT_NAME=push "
                   "GITHUB_EVENT_PATH=" +
                       shell_quote(event));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("(GITHUB_EVENT_PATH"));
  CHECK(statuses(ci.clone + "/ripple-summary.json")["payments#build"] == "ran");
}

TEST_CASE("ci docs: GitLab CI, a merge request and then the push to the default branch") {
  Ci ci;
  run_git("checkout -q -b feature", ci.clone);
  ci.change_payments();
  auto mr = ci.step(kGitLab,
                    "CI=true GITLAB_CI=true CI_PIPELINE_SOURCE=merge_request_event "
                    "CI_MERGE_REQUEST_DIFF_BASE_SHA=" +
                        ci.base);
  INFO(mr.err);
  REQUIRE(mr.exit_code == 0);
  CHECK_THAT(mr.err, Catch::Contains("(CI_MERGE_REQUEST_DIFF_BASE_SHA"));
  CHECK_THAT(mr.err, Catch::Contains("section_start:"));
  CHECK(statuses(ci.clone + "/ripple-summary.json")["payments#build"] == "ran");
  // The test report GitLab reads: payments' build is a passing test case.
  const std::string junit = read(ci.clone + "/ripple-junit.xml");
  CHECK_THAT(junit, Catch::Contains("<testcase classname=\"payments\" name=\"build\""));
  CHECK_THAT(junit, Catch::Contains(" failures=\"0\""));

  run_git("checkout -q main", ci.clone);
  run_git("merge -q --ff-only feature", ci.clone);
  auto push = ci.step(kGitLab,
                      "CI=true GITLAB_CI=true CI_PIPELINE_SOURCE=push "
                      "CI_COMMIT_BEFORE_SHA=" +
                          ci.base);
  INFO(push.err);
  REQUIRE(push.exit_code == 0);
  CHECK_THAT(push.err, Catch::Contains("(CI_COMMIT_BEFORE_SHA"));
  // The merge request's job ran these already: the cache answers them.
  CHECK(statuses(ci.clone + "/ripple-summary.json")["payments#build"] == "cached");
  CHECK_THAT(read(ci.clone + "/ripple-junit.xml"), Catch::Contains("cached (local)"));
}

TEST_CASE("ci docs: a docs-only pull request is success and leaves the matrix job out") {
  Ci ci;
  run_git("checkout -q -b docs", ci.clone);
  std::ofstream(ci.clone + "/docs/architecture.md", std::ios::app) << "More words.\n";
  run_git("commit -q -am docs", ci.clone);
  const std::string github_output = ci.parent.path() + "/github_output";
  const std::string env =
      "CI=true GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request "
      "GITHUB_BASE_REF=main GITHUB_OUTPUT=" +
      shell_quote(github_output);
  auto one = ci.step(kOneJob, env);
  CHECK(one.exit_code == 0);
  CHECK(one.err == "ripple: nothing affected (1 changed file: 1 ignored)\n");
  REQUIRE(ci.step(kMatrix, env).exit_code == 0);
  CHECK(read(github_output) == "matrix={\"include\":[]}\nany=false\ncount=0\n");
}

TEST_CASE("ci docs: the local commands before pushing") {
  Ci ci;
  run_git("checkout -q -b feature", ci.clone);
  ci.change_payments();
  auto explain = ci.step(kExplain, "");
  INFO(explain.err);
  CHECK(explain.exit_code == 0);
  CHECK_THAT(explain.out, Catch::Contains("payments: changed (services/payments/internal/ledger/"
                                          "ledger.go)"));
  auto run = ci.step(kLocalRun, "");
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.err, Catch::Contains("Tasks: "));
}
