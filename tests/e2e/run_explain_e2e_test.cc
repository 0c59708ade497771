// Why a task key changed: `ripple run --explain-misses` and `ripple hash --diff KEY_A KEY_B`,
// from the manifests and input listings the local cache keeps beside its entries.

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

void write_workspace(const GitRepo& repo) {
  repo.write("ripple.yaml", "services: [s/*]\nenv: [MODE]\ntasks:\n  build: { deps: [^build] }\n");
  repo.write("s/lib/service.yaml", "tasks:\n  build: { run: 'cat src.txt' }\n");
  repo.write("s/lib/src.txt", "v1\n");
  repo.write("s/app/service.yaml", "deps: [lib]\ntasks:\n  build: { run: 'echo app' }\n");
  repo.commit("ws");
}

// Task label → key, from a --summary file.
std::map<std::string, std::string> keys_of(const std::string& summary) {
  std::ifstream in(summary);
  std::map<std::string, std::string> out;
  const auto doc = nlohmann::json::parse(in);
  for (const auto& t : doc["tasks"]) {
    out[t["taskId"]] = t["hash"];
  }
  return out;
}

CommandResult run_build(const GitRepo& repo, const std::string& env = "") {
  return repo.ripple_with_env(env,
                              "run build --all --explain-misses --log-order grouped "
                              "--summary " +
                                  shell_quote(repo.path() + "/.summary.json"));
}

}  // namespace

TEST_CASE("explain-misses: a first run has no earlier key to compare with") {
  GitRepo repo;
  write_workspace(repo);
  auto r = run_build(repo);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("cache miss lib#build"));
  CHECK_THAT(r.err, Catch::Contains("no earlier key for this task in the local cache"));
}

TEST_CASE("explain-misses: an edited file is named, and dependents name the dependency") {
  GitRepo repo;
  write_workspace(repo);
  REQUIRE(run_build(repo).exit_code == 0);
  repo.write("s/lib/src.txt", "v2\n");
  repo.write("s/lib/new.txt", "new\n");
  auto r = run_build(repo);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("inputs: s/lib/new.txt added, s/lib/src.txt changed"));
  CHECK_THAT(r.err, Catch::Contains("dependency lib#build: new key"));
  // Nothing changed since: no misses to explain.
  auto again = run_build(repo);
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains("lib#build"));  // the run reported its tasks
  CHECK_THAT(again.err, !Catch::Contains("cache miss"));
}

TEST_CASE("explain-misses: a declared env value and a command are named") {
  GitRepo repo;
  write_workspace(repo);
  REQUIRE(run_build(repo, "MODE=dev").exit_code == 0);
  auto r = run_build(repo, "MODE=prod");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("env MODE: \"dev\" -> \"prod\""));

  repo.write("s/app/service.yaml", "deps: [lib]\ntasks:\n  build: { run: 'echo app2' }\n");
  auto c = run_build(repo, "MODE=prod");
  INFO(c.err);
  CHECK(c.exit_code == 0);
  CHECK_THAT(c.err, Catch::Contains("command: \"echo app\" -> \"echo app2\""));
  CHECK_THAT(c.err, Catch::Contains("inputs: s/app/service.yaml changed"));
}

TEST_CASE("hash --diff: names the differing fields of two stored keys, by prefix too") {
  GitRepo repo;
  write_workspace(repo);
  REQUIRE(run_build(repo).exit_code == 0);
  const auto before = keys_of(repo.path() + "/.summary.json");
  repo.write("s/lib/src.txt", "v2\n");
  REQUIRE(run_build(repo).exit_code == 0);
  const auto after = keys_of(repo.path() + "/.summary.json");
  REQUIRE(before.at("lib#build") != after.at("lib#build"));

  auto d = repo.ripple("hash --diff " + before.at("lib#build") + " " +
                       after.at("lib#build").substr(0, 10));
  INFO(d.err);
  REQUIRE(d.exit_code == 0);
  CHECK_THAT(d.out, Catch::Contains("lib#build"));
  CHECK_THAT(d.out, Catch::Contains("inputs: s/lib/src.txt changed"));
  CHECK_THAT(d.out, !Catch::Contains("command:"));

  auto app = repo.ripple("hash --diff " + before.at("app#build") + " " + after.at("app#build"));
  CHECK(app.exit_code == 0);
  CHECK_THAT(app.out, Catch::Contains("dependency lib#build: new key " +
                                      before.at("lib#build").substr(0, 12) + " -> " +
                                      after.at("lib#build").substr(0, 12)));

  auto same = repo.ripple("hash --diff " + after.at("app#build") + " " + after.at("app#build"));
  CHECK(same.exit_code == 0);
  CHECK_THAT(same.out, Catch::Contains("the manifests are the same"));
}

TEST_CASE("hash --diff: unknown, short or malformed keys are usage errors") {
  GitRepo repo;
  write_workspace(repo);
  auto none = repo.ripple("hash --diff 0123456789 abcdefabcd");
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("no local cache"));
  REQUIRE(run_build(repo).exit_code == 0);
  auto unknown = repo.ripple("hash --diff 0123456789 abcdefabcd");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("no task key starting with"));
  auto shorty = repo.ripple("hash --diff abc abcdefabcd");
  CHECK(shorty.exit_code == 2);
  CHECK_THAT(shorty.err, Catch::Contains("'abc' is not a task key"));
  auto one = repo.ripple("hash --diff abcdefabcd");
  CHECK(one.exit_code == 2);
}
