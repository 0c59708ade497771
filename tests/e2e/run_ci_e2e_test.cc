// `ripple run` as the one CI step of a monorepo (issue 12): nothing affected is success, -j is
// honoured above the core count, outputs are not changes, template tasks that do not apply are
// dropped, unowned files are named, per-task inputs enter keys, and the run says what it did.

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::map<std::string, std::string> statuses(const nlohmann::json& summary) {
  std::map<std::string, std::string> out;
  for (const auto& t : summary["tasks"]) {
    out[t["taskId"]] = t["status"];
  }
  return out;
}

// A workspace with two services and docs, committed on main, then a feature branch.
void two_services(const GitRepo& repo, const std::string& extra_root = "") {
  repo.write("ripple.yaml", "services: [s/*]\nbase: main\nignore: ['docs/**', '**/*.md']\n" +
                                extra_root +
                                "tasks:\n  build: { run: 'echo built > out.txt', deps: ['^build'], "
                                "outputs: [out.txt] }\n");
  repo.write("s/a/service.yaml", "");
  repo.write("s/a/main.c", "int main;\n");
  repo.write("s/b/service.yaml", "deps: [a]\n");
  repo.write("docs/guide.md", "# guide\n");
  repo.write(".gitignore", "out.txt\n");
  repo.commit("ws");
  repo.git("checkout -q -b feature");
}

}  // namespace

TEST_CASE("run ci: a docs-only change affects nothing and exits 0, plan and summary empty") {
  GitRepo repo;
  two_services(repo);
  repo.write("docs/guide.md", "# guide, edited\n");
  repo.write("NOTES.md", "x\n");
  const std::string summary = repo.path() + "/.summary.json";
  auto r = repo.ripple("run build --affected --summary " + shell_quote(summary));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err == "ripple: nothing affected (2 changed files: 2 ignored)\n");
  CHECK(read_json(summary)["tasks"].empty());
  CHECK(read_json(summary)["execution"]["exitCode"] == 0);

  auto text = repo.ripple("run build --affected --dry-run");
  CHECK(text.exit_code == 0);
  CHECK(text.out.empty());
  auto json = repo.ripple("run build --affected --dry-run=json");
  CHECK(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out)["tasks"].empty());

  // A push where base == HEAD: no changed file at all.
  repo.commit("docs");
  auto same = repo.ripple("run build --affected --base HEAD --no-uncommitted");
  CHECK(same.exit_code == 0);
  CHECK(same.err == "ripple: nothing affected (no changed files)\n");

  // A task no service of the workspace defines is still an error.
  auto typo = repo.ripple("run biuld --affected");
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err,
             Catch::Contains("no service defines a task 'biuld' (did you mean 'build'?)"));
}

TEST_CASE("run ci: --only skips services without the task and says so") {
  GitRepo repo;
  repo.write("ripple.yaml", "services: [s/*]\n");
  repo.write("s/a/service.yaml", "tasks:\n  image: { run: 'echo image' }\n");
  repo.write("s/lib/service.yaml", "");
  repo.commit("ws");
  auto r = repo.ripple("run image --only lib,a");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("ripple: --only: lib has no task 'image'; skipped\n"));
  CHECK_THAT(r.err, Catch::Contains("Tasks: 1 (0 cached, 1 ran, 0 failed)"));
  auto none = repo.ripple("run image --only lib");
  CHECK(none.exit_code == 0);
  CHECK_THAT(none.err, Catch::Contains("no task to run: none of them defines image"));
}

TEST_CASE("run ci: -j 8 runs 8 tasks at once on any number of cores") {
  GitRepo repo;
  // Each task announces itself, then waits (up to 60 s) until all 8 have: only 8 at once can
  // finish them; fewer leave the first ones waiting until they give up and fail.
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  wait: { run: 'touch ../../.marks/$RIPPLE_SERVICE; "
             "i=0; while [ $(ls ../../.marks | wc -l) -lt 8 ]; do i=$((i+1)); "
             "[ $i -gt 600 ] && exit 1; sleep 0.1; done', cache: false }\n");
  for (int i = 0; i < 8; ++i) {
    repo.write("s/t" + std::to_string(i) + "/service.yaml", "");
  }
  repo.write(".marks/.keep", "");
  repo.write(".gitignore", ".marks/\n");
  repo.commit("ws");
  run_shell("rm -f .marks/.keep", repo.path());
  auto r = repo.ripple("run wait --all -j 8 --log-order grouped");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("Tasks: 8 (0 cached, 8 ran, 0 failed)"));
  CHECK_THAT(r.err, !Catch::Contains("TBB"));
}

TEST_CASE("run ci: -j takes N, 0 and a percentage, and refuses anything else") {
  GitRepo repo;
  repo.write("ripple.yaml", "services: [s/*]\ntasks:\n  t: { run: 'true' }\n");
  repo.write("s/a/service.yaml", "");
  repo.commit("ws");
  for (const char* ok : {"-j 1", "-j 0", "-j 50%", "-j 400%", "--jobs 3"}) {
    INFO(ok);
    CHECK(repo.ripple(std::string("run t --all ") + ok).exit_code == 0);
  }
  for (const char* bad : {"-j x", "-j -1", "-j 0%", "-j 5%%"}) {
    INFO(bad);
    auto r = repo.ripple(std::string("run t --all ") + bad);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("give a number of tasks"));
  }
}

TEST_CASE("run ci: a task's untracked outputs are not changes for affected") {
  GitRepo repo;
  // No .gitignore for dist/: many repositories have none.
  repo.write("ripple.yaml",
             "services: [s/*]\nbase: main\ntasks:\n  build: { run: 'mkdir -p dist && echo x > "
             "dist/app.js', outputs: ['dist/**'] }\n");
  repo.write("s/a/service.yaml", "");
  repo.write("s/b/service.yaml", "");
  repo.commit("ws");
  REQUIRE(repo.ripple("run build --all").exit_code == 0);
  auto r = repo.ripple("affected --files");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("A s/a/dist/app.js (a task output of a)"));
  auto run = repo.ripple("run build --affected");
  CHECK(run.exit_code == 0);
  CHECK(run.err == "ripple: nothing affected (2 changed files: 2 task outputs)\n");
  // ripple's own state never counts either.
  CHECK_THAT(r.err, !Catch::Contains(".ripple"));
}

TEST_CASE(
    "run ci: 'test: false' and where: drop template tasks, and grouping tasks never count as ran") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'echo b' }\n"
             "  test: { run: 'exit 1', where: [package.json] }\n"
             "  lint: { run: 'echo lint' }\n  ci: { deps: [build, test, lint] }\n");
  repo.write("s/protos/service.yaml", "tasks:\n  lint: false\n");
  repo.write("s/web/service.yaml", "tasks:\n  test: { run: 'echo tested' }\n");
  repo.write("s/web/package.json", "{}\n");
  repo.write("s/api/service.yaml", "");
  repo.commit("ws");
  const std::string summary = repo.path() + "/.summary.json";
  auto r = repo.ripple("run ci --all --summary " + shell_quote(summary));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto s = statuses(read_json(summary));
  CHECK(s.count("protos#test") == 0);  // no package.json
  CHECK(s.count("protos#lint") == 0);  // dropped
  CHECK(s.count("api#test") == 0);
  CHECK(s["web#test"] == "ran");
  CHECK(s["web#ci"] == "no-op");
  // 3 builds, 2 lints, 1 test; the three grouping tasks are not counted.
  CHECK_THAT(r.err, Catch::Contains("Tasks: 6 (0 cached, 6 ran, 0 failed)"));
  auto again = repo.ripple("run ci --all --summary " + shell_quote(summary));
  CHECK_THAT(again.err, Catch::Contains("Tasks: 6 (6 cached, 0 ran, 0 failed)"));
  CHECK(statuses(read_json(summary))["api#ci"] == "no-op");
  CHECK_THAT(again.err, !Catch::Contains("api#ci: "));
}

TEST_CASE("run ci: changed files no service owns are named, and unowned: all affects everything") {
  GitRepo repo;
  two_services(repo);
  repo.write(".github/workflows/ci.yml", "on: push\n");
  repo.write("Makefile", "all:\n");
  auto warn = repo.ripple("run build --affected");
  INFO(warn.err);
  CHECK(warn.exit_code == 0);
  CHECK_THAT(warn.err,
             Catch::Contains("ripple: warning: 2 changed files belong to no service: "
                             ".github/workflows/ci.yml, Makefile (set 'unowned:' in ripple.yaml "
                             "to ignore or all)\n"));
  CHECK_THAT(warn.err,
             Catch::Contains("nothing affected (2 changed files: 2 owned by no service)"));
  auto affected = repo.ripple("affected");
  CHECK_THAT(affected.err, Catch::Contains("2 changed files belong to no service"));

  repo.write("ripple.yaml",
             "unowned: all\n" + run_shell("git show main:ripple.yaml", repo.path()).out);
  repo.git("add ripple.yaml");
  repo.git("commit -qm unowned");
  repo.git("branch -f main HEAD");  // the config change itself is on the base now
  auto all = repo.ripple("affected --format json");
  INFO(all.err);
  CHECK(all.exit_code == 0);
  auto doc = nlohmann::json::parse(all.out);
  REQUIRE(doc.size() == 2);
  CHECK(doc[0]["reason"] == "unowned");
  CHECK(doc[0]["because"] == nlohmann::json::array({".github/workflows/ci.yml", "Makefile"}));

  repo.write("ripple.yaml", "unowned: ignore\n" +
                                run_shell("git show main:ripple.yaml", repo.path()).out.substr(14));
  repo.git("add ripple.yaml");
  repo.git("commit -qm ignore");
  repo.git("branch -f main HEAD");
  auto quiet = repo.ripple("affected");
  CHECK_THAT(quiet.err, !Catch::Contains("belong to no service"));
}

TEST_CASE("run ci: a directory with a Dockerfile but no service.yaml gets a warning") {
  GitRepo repo;
  repo.write("ripple.yaml", "services: [s/*]\n");
  repo.write("s/a/service.yaml", "");
  repo.write("s/billing/Dockerfile", "FROM scratch\n");
  repo.commit("ws");
  auto r = repo.ripple("graph");
  CHECK(r.exit_code == 0);
  CHECK(r.err ==
        "ripple: warning: ripple.yaml:1:12: services glob 's/*' matches s/billing, which has a "
        "Dockerfile but no service.yaml; add one (an empty file is a valid service) or leave it "
        "out with '!s/billing'\n");
}

TEST_CASE("run ci: a test task with its own inputs keeps its key when only main.go changes") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  build: { run: 'true' }\n"
             "  test: { run: 'true', inputs: ['**/*_test.go'] }\n");
  repo.write("s/api/service.yaml", "");
  repo.write("s/api/main.go", "package main\n");
  repo.write("s/api/main_test.go", "package main\n");
  repo.commit("ws");
  auto keys = [&] {
    auto plan = repo.ripple("run build test --all --dry-run=json");
    REQUIRE(plan.exit_code == 0);
    std::map<std::string, std::string> out;
    const auto doc = nlohmann::json::parse(plan.out);
    for (const auto& t : doc["tasks"]) {
      out[t["task"]] = t["key"];
    }
    return out;
  };
  auto hashes = [&] {
    auto r = repo.ripple("hash --task test --files");
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  auto before = keys();
  const std::string listed = hashes();
  CHECK_THAT(listed, Catch::Contains("s/api/main_test.go"));
  CHECK_THAT(listed, !Catch::Contains("s/api/main.go"));
  repo.write("s/api/main.go", "package main // edited\n");
  auto after_main = keys();
  CHECK(after_main["api#test"] == before["api#test"]);
  CHECK(after_main["api#build"] != before["api#build"]);
  CHECK(hashes() == listed);
  repo.write("s/api/main_test.go", "package main // edited\n");
  CHECK(keys()["api#test"] != before["api#test"]);
}

TEST_CASE("run ci: the header says what was selected and why, the footer counts and recaps") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "services: [s/*]\nbase: main\ntasks:\n  build: { run: 'echo built', deps: "
             "['^build'] }\n");
  repo.write("s/a/service.yaml", "");
  repo.write("s/b/service.yaml",
             "deps: [a]\ntasks:\n  build: { run: 'for i in $(seq 1 30); do "
             "echo line$i; done; exit 3' }\n");
  repo.write("s/c/service.yaml", "");
  repo.commit("ws");
  repo.write("s/a/new.txt", "x\n");
  auto r = repo.ripple_with_env("GITHUB_ACTIONS=true CI=true", "run build --affected");
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::StartsWith("ripple: HEAD vs main (ripple.yaml, merge-base "));
  CHECK_THAT(r.err, Catch::Contains(" + work tree: 1 changed file; 2 of 3 services: 1 changed, 1 "
                                    "dependent; 2 tasks, 0 expected from the cache\n"));
  CHECK_THAT(r.err, Catch::Contains("ripple: Tasks: 2 (0 cached, 1 ran, 1 failed) \u00b7 Time: "));
  CHECK_THAT(r.err, Catch::Contains("ripple: b#build failed (exit code 3); last 20 lines of "
                                    ".ripple/logs/b/build.log:\n  line11\n"));
  CHECK_THAT(r.err, Catch::Contains("  line30\n"));
  CHECK_THAT(r.err, !Catch::Contains("  line10\n"));
  CHECK_THAT(r.err, Catch::Contains("::error title=b#build::b#build failed (exit code 3); see "
                                    ".ripple/logs/b/build.log; last line: line30\n"));
  // The failure comes after the footer, so it is the last thing a CI reader sees.
  CHECK(r.err.rfind("Tasks: 2") < r.err.rfind("b#build failed"));

  auto all = repo.ripple("run build --all --continue");
  CHECK_THAT(all.err, Catch::StartsWith("ripple: all 3 services (--all); 3 tasks, 1 expected from "
                                        "the cache\n"));
  CHECK_THAT(all.err, Catch::Contains("Tasks: 3 (1 cached, 1 ran, 1 failed) \u00b7 Time: "));
  auto only = repo.ripple("run build --only c --cache off");
  CHECK_THAT(only.err, Catch::StartsWith("ripple: 1 of 3 services (--only); 1 task, cache off\n"));
}

TEST_CASE("run ci: --summary says what happened to the run") {
  GitRepo repo;
  two_services(repo);
  repo.write("s/a/main.c", "int main2;\n");
  const std::string summary = repo.path() + "/.summary.json";
  auto r = repo.ripple_with_env("CI=true", "run build --summary " + shell_quote(summary));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto doc = read_json(summary);
  CHECK(doc["version"] == 2);
  CHECK(doc["rippleVersion"].is_string());
  CHECK(doc["execution"]["command"] == "ripple run build --summary " + summary);
  CHECK(doc["execution"]["repoPath"] == repo.path());
  CHECK(doc["execution"]["exitCode"] == 0);
  CHECK(doc["execution"]["attempted"] == 2);
  CHECK(doc["execution"]["ran"] == 2);
  CHECK(doc["execution"]["endTime"] >= doc["execution"]["startTime"]);
  CHECK(doc["scm"]["base"] == "main");
  CHECK(doc["scm"]["baseSource"] == "ripple.yaml");
  CHECK(doc["scm"]["sha"] == repo.git("rev-parse HEAD").substr(0, 40));
  CHECK(doc["scm"]["worktree"] == true);
  CHECK(doc["selection"]["mode"] == "affected");
  CHECK(doc["selection"]["total"] == 2);
  REQUIRE(doc["selection"]["services"].size() == 2);
  CHECK(doc["selection"]["services"][0]["reason"] == "changed");
  CHECK(doc["selection"]["services"][0]["because"][0] == "s/a/main.c");
  CHECK(doc["selection"]["services"][1]["reason"] == "dependency");
  const auto& a = doc["tasks"][0];
  CHECK(a["taskId"] == "a#build");
  CHECK(a["service"] == "a");
  CHECK(a["directory"] == "s/a");
  CHECK(a["hash"].get<std::string>().size() == 64);
  CHECK(a["status"] == "ran");
  CHECK(a["cache"]["status"] == "MISS");
  CHECK(a["execution"]["exitCode"] == 0);
  CHECK(a["logFile"] == ".ripple/logs/a/build.log");
  CHECK(a["dependents"] == nlohmann::json::array({"b#build"}));
  CHECK(doc["tasks"][1]["dependencies"] == nlohmann::json::array({"a#build"}));

  auto again = repo.ripple_with_env("CI=true", "run build --summary " + shell_quote(summary));
  REQUIRE(again.exit_code == 0);
  auto cached = read_json(summary);
  CHECK(cached["tasks"][0]["cache"]["status"] == "HIT");
  CHECK(cached["tasks"][0]["cache"]["source"] == "LOCAL");
  CHECK(cached["execution"]["cached"] == 2);

  // A summary that cannot be written is an error, not a silent success.
  auto lost = repo.ripple("run build --all --summary /nonexistent/dir/s.json");
  CHECK(lost.exit_code == 3);
  CHECK_THAT(lost.err, Catch::Contains("cannot write the summary to /nonexistent/dir/s.json"));
}
