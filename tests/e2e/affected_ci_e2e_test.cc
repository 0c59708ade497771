// `ripple affected` as a CI job runs it (issue 12): the base of a push build, and the
// $GITHUB_OUTPUT lines with matrix filters. Real git repositories; every CI variable is set
// explicitly, since the binary runs in a clean environment.

#include <catch2/catch.hpp>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

const std::string kZeros = "0000000000000000000000000000000000000000";

// proto <- api <- web, and lib on its own. `base` empty: no `base:` line.
void write_workspace(const GitRepo& repo, const std::string& base = "main") {
  repo.write("ripple.yaml", "version: 1\n" +
                                (base.empty() ? std::string() : "base: " + base + "\n") +
                                "services: [services/*, libs/*]\n"
                                "tasks:\n  build: { run: make }\n");
  repo.write("libs/proto/service.yaml", "");
  repo.write("libs/proto/cart.proto", "message Cart {}\n");
  repo.write("libs/lib/service.yaml", "");
  repo.write("libs/lib/lib.go", "package lib\n");
  repo.write("services/api/service.yaml",
             "deps: [proto]\nimage: { dockerfile: Dockerfile }\n"
             "tasks:\n  deploy: { run: ./deploy.sh }\n");
  repo.write("services/api/Dockerfile", "FROM scratch\n");
  repo.write("services/api/main.go", "package main\n");
  repo.write("services/web/service.yaml", "deps: [api]\nimage:\n");
  repo.write("services/web/Dockerfile", "FROM scratch\n");
  repo.write("services/web/app.js", "1\n");
}

// A GitHub push event file, outside the repository (GitHub keeps it in the runner's temp dir).
std::string github_push_env(const TempDir& runner, const std::string& before) {
  runner.write("event.json", "{\"ref\": \"refs/heads/main\", \"before\": \"" + before +
                                 "\", \"after\": \"3333333333333333333333333333333333333333\", "
                                 "\"forced\": false}\n");
  return "GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH=" + shell_quote(runner.path() + "/event.json");
}

CommandResult affected_ok(const GitRepo& repo, const std::string& env, const std::string& args) {
  auto r = repo.ripple_with_env(env, "affected " + args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

}  // namespace

TEST_CASE("affected: a GitHub push compares against the commit before the push") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  repo.write("services/web/app.js", "2\n");
  const std::string previous = repo.commit("an earlier push changes web");
  repo.write("libs/proto/cart.proto", "message Cart { int32 id = 1; }\n");
  repo.commit("the pushed commit changes proto");
  TempDir runner;

  // Without the push's before, `base: main` on main compares HEAD with itself: nothing.
  CHECK(affected_ok(repo, "", "").out.empty());

  auto r = affected_ok(repo, github_push_env(runner, previous), "");
  CHECK(r.out == "proto\napi\nweb\n");
  CHECK_THAT(r.err,
             Catch::StartsWith("ripple: HEAD vs " + previous + " (GITHUB_EVENT_PATH, merge-base " +
                               previous.substr(0, 10) + ")"));

  // Another event than push leaves the event file alone.
  auto other = affected_ok(
      repo, "GITHUB_EVENT_NAME=workflow_dispatch GITHUB_EVENT_PATH=/nonexistent/event.json", "");
  CHECK(other.out.empty());
  CHECK_THAT(other.err, Catch::Contains("(ripple.yaml, "));
}

TEST_CASE("affected: a force push compares against the fork point of the old and new head") {
  GitRepo repo;
  write_workspace(repo);
  const std::string fork = repo.commit("base");
  repo.write("services/web/app.js", "2\n");
  const std::string old_head = repo.commit("the old head changes web");
  repo.git("reset -q --hard " + fork);
  repo.write("libs/lib/lib.go", "package lib // rewritten\n");
  repo.commit("the force-pushed head changes lib");
  TempDir runner;
  auto r = affected_ok(repo, github_push_env(runner, old_head), "");
  CHECK(r.out == "lib\n");
  CHECK_THAT(r.err, Catch::Contains("merge-base " + fork.substr(0, 10)));
}

TEST_CASE("affected: a push that creates a branch (all-zero before) falls back and says so") {
  GitRepo repo;
  TempDir runner;
  SECTION("to base: in ripple.yaml") {
    write_workspace(repo);
    repo.commit("base");
    repo.git("checkout -q -b feature");
    repo.write("services/api/main.go", "package main // feature\n");
    repo.commit("feature changes api");
    auto r = affected_ok(repo, github_push_env(runner, kZeros), "");
    CHECK(r.out == "api\nweb\n");
    CHECK_THAT(r.err, Catch::StartsWith(
                          "ripple: HEAD vs main (ripple.yaml (new branch: push has no before), "));
  }
  SECTION("to the default branch") {
    write_workspace(repo, "");
    repo.commit("base");
    repo.git("checkout -q -b feature");
    repo.write("services/api/main.go", "package main // feature\n");
    repo.commit("feature changes api");
    auto r = affected_ok(repo, github_push_env(runner, kZeros), "");
    CHECK(r.out == "api\nweb\n");
    CHECK_THAT(r.err,
               Catch::StartsWith(
                   "ripple: HEAD vs main (default branch (new branch: push has no before), "));
    auto gitlab = affected_ok(repo, "CI_COMMIT_BEFORE_SHA=" + kZeros, "");
    CHECK(gitlab.out == "api\nweb\n");
    CHECK_THAT(gitlab.err, Catch::StartsWith("ripple: HEAD vs main (default branch "
                                             "(CI_COMMIT_BEFORE_SHA is all zeros: "));
  }
}

TEST_CASE("affected: a GitLab push compares against CI_COMMIT_BEFORE_SHA") {
  GitRepo repo;
  write_workspace(repo);
  const std::string base = repo.commit("base");
  repo.write("services/web/app.js", "2\n");
  const std::string previous = repo.commit("an earlier push changes web");
  repo.write("libs/lib/lib.go", "package lib // pushed\n");
  repo.commit("the pushed commit changes lib");

  auto r = affected_ok(repo, "CI_COMMIT_BEFORE_SHA=" + previous, "");
  CHECK(r.out == "lib\n");
  CHECK_THAT(r.err, Catch::StartsWith("ripple: HEAD vs " + previous + " (CI_COMMIT_BEFORE_SHA, "));

  // In a merge request pipeline the merge request's base wins.
  auto mr = affected_ok(
      repo, "CI_COMMIT_BEFORE_SHA=" + previous + " CI_MERGE_REQUEST_DIFF_BASE_SHA=" + base, "");
  CHECK(mr.out == "lib\nweb\n");
  CHECK_THAT(mr.err, Catch::Contains("(CI_MERGE_REQUEST_DIFF_BASE_SHA, "));
}

TEST_CASE("affected: a push event file that cannot be read is exit 3 naming it") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  TempDir runner;
  runner.write("event.json", "{\"before\": ");
  auto bad = repo.ripple_with_env(
      "GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH=" + shell_quote(runner.path() + "/event.json"),
      "affected");
  CHECK(bad.exit_code == 3);
  CHECK(bad.out.empty());
  CHECK_THAT(bad.err, Catch::Contains(runner.path() + "/event.json (GITHUB_EVENT_PATH): not a "
                                                      "JSON object"));
  auto missing = repo.ripple_with_env(
      "GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH=/nonexistent/event.json", "affected");
  CHECK(missing.exit_code == 3);
  CHECK_THAT(missing.err, Catch::Contains("cannot read /nonexistent/event.json"));
}

TEST_CASE("affected: a push's before missing from a shallow clone is exit 3 with the fetch hint") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("main 1");
  repo.write("services/web/app.js", "2\n");
  const std::string previous = repo.commit("main 2");
  repo.write("libs/lib/lib.go", "package lib // main 3\n");
  repo.commit("main 3");

  TempDir clone_parent;
  const std::string clone = clone_parent.path() + "/clone";
  run_git("clone -q --depth 1 --branch main " + shell_quote("file://" + repo.path()) + " " +
              shell_quote(clone),
          clone_parent.path());
  REQUIRE(run_git("rev-parse --is-shallow-repository", clone) == "true\n");
  TempDir runner;
  const std::string env = github_push_env(runner, previous);

  auto r = run_ripple("affected", clone, env);
  CHECK(r.exit_code == 3);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("'" + previous + "' not found"));
  CHECK_THAT(r.err, Catch::Contains("shallow"));
  CHECK_THAT(r.err, Catch::Contains("git fetch --deepen"));
  CHECK_THAT(r.err, Catch::Contains("fetch-depth: 0"));

  run_git("fetch -q --deepen=1 origin", clone);
  auto deep = run_ripple("affected", clone, env);
  INFO(deep.err);
  CHECK(deep.exit_code == 0);
  CHECK(deep.out == "lib\n");
}

TEST_CASE("affected: --format github-output prints the matrix, any and count for GITHUB_OUTPUT") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");

  CHECK(affected_ok(repo, "", "--format github-output").out ==
        "matrix={\"include\":[]}\nany=false\ncount=0\n");

  repo.write("services/api/main.go", "package main // feature\n");
  repo.commit("feature changes api");
  CHECK(affected_ok(repo, "", "--format github-output").out ==
        "matrix={\"include\":[{\"service\":\"api\",\"dir\":\"services/api\"},"
        "{\"service\":\"web\",\"dir\":\"services/web\"}]}\n"
        "any=true\ncount=2\n");

  // A removed service is affected but has nothing to build: not in the matrix, not counted.
  repo.remove("libs/lib/service.yaml");
  repo.remove("libs/lib/lib.go");
  auto text = affected_ok(repo, "", "");
  CHECK(text.out == "api\nweb\nlib\n");
  CHECK(affected_ok(repo, "", "--format github-output").out ==
        "matrix={\"include\":[{\"service\":\"api\",\"dir\":\"services/api\"},"
        "{\"service\":\"web\",\"dir\":\"services/web\"}]}\n"
        "any=true\ncount=2\n");
}

TEST_CASE("affected: --matrix-filter keeps services with an image or a task, all filters holding") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("libs/proto/cart.proto", "message Cart { int32 id = 1; }\n");
  repo.commit("feature changes proto");
  const std::string api = "{\"service\":\"api\",\"dir\":\"services/api\"}";
  const std::string web = "{\"service\":\"web\",\"dir\":\"services/web\"}";
  const std::string proto = "{\"service\":\"proto\",\"dir\":\"libs/proto\"}";

  CHECK(affected_ok(repo, "", "--format github-matrix").out ==
        "{\"include\":[" + proto + "," + api + "," + web + "]}\n");
  CHECK(affected_ok(repo, "", "--format github-matrix --matrix-filter image").out ==
        "{\"include\":[" + api + "," + web + "]}\n");
  CHECK(affected_ok(repo, "", "--format github-matrix --matrix-filter task:deploy").out ==
        "{\"include\":[" + api + "]}\n");
  // A task every service inherits from ripple.yaml's templates keeps every one.
  CHECK(affected_ok(repo, "", "--format github-matrix --matrix-filter task:build").out ==
        "{\"include\":[" + proto + "," + api + "," + web + "]}\n");
  CHECK(affected_ok(repo, "",
                    "--format github-output --matrix-filter image --matrix-filter task:deploy")
            .out == "matrix={\"include\":[" + api + "]}\nany=true\ncount=1\n");

  // Filters that keep nothing give the guard's `any=false`.
  repo.git("checkout -q -b lib-only main");
  repo.write("libs/lib/lib.go", "package lib // lib-only\n");
  repo.commit("lib-only changes lib");
  CHECK(affected_ok(repo, "", "").out == "lib\n");
  CHECK(affected_ok(repo, "", "--format github-output --matrix-filter image").out ==
        "matrix={\"include\":[]}\nany=false\ncount=0\n");
}

TEST_CASE("affected: a bad --matrix-filter is exit 2 with a suggestion") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");

  auto unknown = repo.ripple("affected --format github-matrix --matrix-filter imag");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.out.empty());
  CHECK_THAT(unknown.err, Catch::Contains("--matrix-filter 'imag': unknown filter (did you mean "
                                          "'image'?)"));

  auto kind = repo.ripple("affected --format github-matrix --matrix-filter tasks:deploy");
  CHECK(kind.exit_code == 2);
  CHECK_THAT(kind.err, Catch::Contains("(did you mean 'task:deploy'?)"));

  auto no_name = repo.ripple("affected --format github-matrix --matrix-filter task:");
  CHECK(no_name.exit_code == 2);
  CHECK_THAT(no_name.err, Catch::Contains("name the task"));

  auto task = repo.ripple("affected --format github-output --matrix-filter task:deplyo");
  CHECK(task.exit_code == 2);
  CHECK(task.out.empty());
  CHECK_THAT(task.err, Catch::Contains("--matrix-filter task:deplyo: no service defines a task "
                                       "'deplyo' (did you mean 'deploy'?); tasks: build, deploy"));

  for (const std::string format : {"text", "json"}) {
    INFO(format);
    auto other = repo.ripple("affected --format " + format + " --matrix-filter image");
    CHECK(other.exit_code == 2);
    CHECK(other.out.empty());
    CHECK_THAT(other.err, Catch::Contains("--matrix-filter applies to --format github-matrix or "
                                          "github-output only"));
  }
}
