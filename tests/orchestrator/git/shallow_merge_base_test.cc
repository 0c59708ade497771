// shallow_merge_base against git's own `merge-base --all` on real repositories: full histories of
// several shapes (where it must agree with git everywhere) and shallow clones (where git stops at
// the boundary and libgit2 1.5 fails).

#include "orchestrator/git/shallow_merge_base.h"

#include <git2.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "tests/support/git_repo.h"

using namespace ripple;
using namespace ripple::git;
using ripple::testing::GitRepo;
using ripple::testing::run_git;
using ripple::testing::run_shell;
using ripple::testing::shell_quote;
using ripple::testing::TempDir;

namespace {

std::string rev(const std::string& dir, const std::string& ref) {
  std::string out = run_git("rev-parse " + ref, dir);
  return out.substr(0, out.find('\n'));
}

// Our answer for two refs of the repository at `dir`: a hex id, or "" for none.
std::string ours(const std::string& dir, const std::string& a, const std::string& b) {
  git_libgit2_init();
  git_repository* raw = nullptr;
  REQUIRE(git_repository_open(&raw, dir.c_str()) == 0);
  RepoPtr repo(raw);
  git_oid x, y;
  REQUIRE(git_oid_fromstr(&x, rev(dir, a).c_str()) == 0);
  REQUIRE(git_oid_fromstr(&y, rev(dir, b).c_str()) == 0);
  auto found = shallow_merge_base(repo.get(), x, y);
  INFO((found ? std::string() : found.error().message));
  REQUIRE(found.has_value());
  return *found ? hex(**found) : "";
}

// git's answers: every best common ancestor, or none.
std::vector<std::string> gits(const std::string& dir, const std::string& a, const std::string& b) {
  auto r = run_shell("git merge-base --all " + a + " " + b, dir);
  std::vector<std::string> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    out.push_back(line);
  }
  return out;
}

void check_agrees(const std::string& dir, const std::string& a, const std::string& b) {
  INFO(a + " " + b);
  const std::vector<std::string> expected = gits(dir, a, b);
  const std::string got = ours(dir, a, b);
  if (expected.empty()) {
    CHECK(got.empty());
  } else {
    CHECK_THAT(expected, Catch::VectorContains(got));
  }
  CHECK(ours(dir, b, a) == got);
}

// `git <args>` in the repository with committer and author date `date`.
void git_at(const GitRepo& repo, const std::string& date, const std::string& args) {
  auto r = run_shell(
      "GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t "
      "GIT_COMMITTER_EMAIL=t@t GIT_AUTHOR_DATE=" +
          date + " GIT_COMMITTER_DATE=" + date + " GIT_CONFIG_NOSYSTEM=1 git " + args,
      repo.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// An empty commit on the current branch, dated `date`.
void commit_at(const GitRepo& repo, const std::string& message, const std::string& date) {
  git_at(repo, date, "commit -q --allow-empty -m " + shell_quote(message));
}

}  // namespace

TEST_CASE("shallow merge-base: agrees with git on full histories of every shape") {
  GitRepo repo;
  repo.git("commit -q --allow-empty -m root");
  repo.git("commit -q --allow-empty -m m1");
  repo.git("branch fork");
  repo.git("commit -q --allow-empty -m m2");
  repo.git("commit -q --allow-empty -m m3");
  repo.git("checkout -q fork");
  repo.git("commit -q --allow-empty -m f1");
  repo.git("commit -q --allow-empty -m f2");
  // Merged both ways, twice: a criss-cross with two best common ancestors.
  repo.git("branch cross-a main");
  repo.git("branch cross-b fork");
  repo.git("checkout -q cross-a");
  repo.git("merge -q --no-edit --no-ff fork");
  repo.git("checkout -q cross-b");
  repo.git("merge -q --no-edit --no-ff main");
  repo.git("checkout -q cross-a");
  repo.git("commit -q --allow-empty -m a1");
  repo.git("checkout -q cross-b");
  repo.git("commit -q --allow-empty -m b1");
  // An unrelated history.
  repo.git("checkout -q --orphan lonely");
  repo.git("commit -q --allow-empty -m lonely");

  // GitRepo gives every commit the same date: the walk's order falls to its tie-break.
  check_agrees(repo.path(), "main", "main");
  check_agrees(repo.path(), "main~2", "main");
  check_agrees(repo.path(), "main", "fork");
  check_agrees(repo.path(), "main~1", "fork~1");
  check_agrees(repo.path(), "cross-a", "cross-b");
  check_agrees(repo.path(), "cross-a", "main");
  check_agrees(repo.path(), "cross-b~1", "fork");
  CHECK(ours(repo.path(), "lonely", "main").empty());
  CHECK(gits(repo.path(), "lonely", "main").empty());
  CHECK(gits(repo.path(), "cross-a", "cross-b").size() == 2);
}

TEST_CASE("shallow merge-base: commit dates that lie do not change the answer") {
  GitRepo repo;
  commit_at(repo, "root", "2026-01-01T00:00:00Z");
  commit_at(repo, "m1", "2026-01-02T00:00:00Z");
  repo.git("branch side");
  commit_at(repo, "m2, dated before its parent", "2020-01-01T00:00:00Z");
  commit_at(repo, "m3", "2030-01-01T00:00:00Z");
  repo.git("checkout -q side");
  commit_at(repo, "s1, far in the future", "2040-01-01T00:00:00Z");
  repo.git("merge -q --no-edit --no-ff main~1");
  commit_at(repo, "s2, in the past", "2019-01-01T00:00:00Z");
  check_agrees(repo.path(), "main", "side");
  check_agrees(repo.path(), "main", "side~1");
  check_agrees(repo.path(), "main~1", "side");
  check_agrees(repo.path(), "main~2", "side~2");
}

TEST_CASE("shallow merge-base: stops at a shallow clone's boundary, as git does") {
  GitRepo repo;
  for (int i = 1; i <= 4; ++i) {
    repo.git("commit -q --allow-empty -m main" + std::to_string(i));
  }
  repo.git("checkout -q -b feature main~2");
  repo.git("commit -q --allow-empty -m f1");
  repo.git("commit -q --allow-empty -m f2");

  TempDir parent;
  const std::string clone = parent.path() + "/clone";
  run_git("clone -q --depth 2 --no-single-branch " + shell_quote("file://" + repo.path()) + " " +
              shell_quote(clone),
          parent.path());
  REQUIRE(run_git("rev-parse --is-shallow-repository", clone) == "true\n");
  // main4 main3 | f2 f1 are in the clone; main2, their fork point, is not.
  check_agrees(clone, "origin/main~1", "origin/main");
  CHECK(ours(clone, "origin/main", "origin/feature").empty());
  CHECK(gits(clone, "origin/main", "origin/feature").empty());

  run_git("fetch -q --deepen=1 origin", clone);
  check_agrees(clone, "origin/main", "origin/feature");
  CHECK(ours(clone, "origin/main", "origin/feature") == rev(repo.path(), "main~2"));
}

// The walk meets a common ancestor (m1, dated in the future) before the better one above it (m2),
// and ends before the stale mark from m2 reaches m1: only the final check drops m1.
TEST_CASE("shallow merge-base: a common ancestor found first but lying below another is dropped") {
  GitRepo repo;
  commit_at(repo, "root", "2026-01-01T00:00:00Z");
  commit_at(repo, "m1, dated in the future", "2050-01-01T00:00:00Z");
  commit_at(repo, "y", "2039-01-01T00:00:00Z");
  commit_at(repo, "m2", "2040-01-01T00:00:00Z");
  repo.git("checkout -q -b old main");
  commit_at(repo, "x, dated in the past", "2000-01-01T00:00:00Z");
  repo.git("checkout -q -b side main~2");
  commit_at(repo, "f1", "2034-01-01T00:00:00Z");
  git_at(repo, "2035-01-01T00:00:00Z", "merge -q --no-edit --no-ff old");
  check_agrees(repo.path(), "main", "side");
  CHECK(ours(repo.path(), "main", "side") == rev(repo.path(), "main"));
}
