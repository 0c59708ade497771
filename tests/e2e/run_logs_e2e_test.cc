// How `ripple run` shows and keeps task logs: streamed with a service:task prefix, grouped per
// task (plain or GitHub Actions groups), stdout and stderr stored apart, a log file per task.

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cache/local_store.h"
#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

// Two services; `a` writes to stdout and stderr and ends without a newline. The pauses make the
// order in which the two pipes are read that of the writes (two pipes carry no common order).
void write_workspace(const GitRepo& repo) {
  repo.write("ripple.yaml", "services: [s/*]\n");
  repo.write("s/a/service.yaml",
             "tasks:\n  build: { run: 'echo one; sleep 0.2; echo two >&2; sleep 0.2; printf "
             "three' }\n");
  repo.write("s/b/service.yaml", "deps: [a]\ntasks:\n  build: { run: 'echo from-b' }\n");
  repo.commit("ws");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("run logs: streamed lines carry the service:task prefix, partial lines included") {
  GitRepo repo;
  write_workspace(repo);
  auto r = repo.ripple("run build --all --log-order stream");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("a:build: one\n"));
  CHECK_THAT(r.err, Catch::Contains("a:build: two\n"));
  CHECK_THAT(r.err, Catch::Contains("a:build: three\n"));
  CHECK_THAT(r.err, Catch::Contains("a:build: ran in "));
  CHECK_THAT(r.err, Catch::Contains("b:build: from-b\n"));
  CHECK(r.out.empty());  // logs never mix with machine-readable output

  // A cached task's log is replayed the same way.
  auto again = repo.ripple("run build --all --log-order stream");
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains("a:build: one\n"));
  CHECK_THAT(again.err, Catch::Contains("a:build: two\n"));
  CHECK_THAT(again.err, Catch::Contains("a:build: cached"));
}

TEST_CASE("run logs: in CI each task's log comes whole, after a header") {
  GitRepo repo;
  write_workspace(repo);
  auto r = repo.ripple_with_env("CI=true", "run build --all");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("── a#build: ran in "));
  CHECK_THAT(r.err, Catch::Contains("one\ntwo\nthree\n"));
  CHECK_THAT(r.err, !Catch::Contains("a:build: one"));
}

TEST_CASE("run logs: GitHub Actions gets ::group:: markers") {
  GitRepo repo;
  write_workspace(repo);
  auto r = repo.ripple_with_env("GITHUB_ACTIONS=true CI=true", "run build --all");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("::group::a#build: ran in "));
  CHECK_THAT(r.err, Catch::Contains("from-b\n::endgroup::\n"));
}

TEST_CASE("run logs: stdout and stderr are stored apart, and each task leaves a log file") {
  GitRepo repo;
  write_workspace(repo);
  const std::string summary = repo.path() + "/.summary.json";
  auto r = repo.ripple("run build --all --log-order grouped --summary " + shell_quote(summary));
  REQUIRE(r.exit_code == 0);
  CHECK(read_file(repo.path() + "/.ripple/logs/a/build.log") == "one\ntwo\nthree");
  CHECK(read_file(repo.path() + "/.ripple/logs/b/build.log") == "from-b\n");

  std::string key;
  const auto doc = nlohmann::json::parse(read_file(summary));
  for (const auto& t : doc["tasks"]) {
    if (t["taskId"] == "a#build") {
      key = t["hash"];
    }
  }
  auto store =
      ripple::cache::LocalStore::open(repo.path() + "/.ripple/cache", std::chrono::milliseconds(0));
  REQUIRE(store.has_value());
  auto entry = (*store)->get(key);
  REQUIRE(entry.has_value());
  auto out = (*store)->get_blob(entry->record.stdout_digest);
  auto err = (*store)->get_blob(entry->record.stderr_digest);
  REQUIRE((out && err));
  CHECK(*out == "one\nthree");
  CHECK(*err == "two\n");
}

TEST_CASE("run logs: --log-order takes only stream, grouped or auto") {
  GitRepo repo;
  write_workspace(repo);
  auto r = repo.ripple("run build --all --log-order sideways");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--log-order"));
}
