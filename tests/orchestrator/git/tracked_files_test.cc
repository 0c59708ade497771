// The files git tracks by name, from the index: what the go rule reads instead of walking the
// work tree for go.mod files.

#include "orchestrator/git/tracked_files.h"

#include <catch2/catch.hpp>

#include "tests/support/git_repo.h"

using ripple::git::tracked_files_named;
using ripple::testing::GitRepo;
using ripple::testing::TempDir;

TEST_CASE("tracked files: by last component, relative to the directory asked, untracked ones not") {
  GitRepo repo;
  repo.write("go.mod", "module a\n");
  repo.write("svc/pay/go.mod", "module pay\n");
  repo.write("svc/pay/notgo.mod", "x\n");
  repo.write("svc/pay/go.mod.txt", "x\n");
  repo.write("lib/money/go.mod", "module money\n");
  repo.commit("modules");
  repo.write("svc/new/go.mod", "module new\n");  // not added

  auto all = tracked_files_named(repo.path(), "go.mod");
  REQUIRE(all.has_value());
  CHECK(*all == std::vector<std::string>{"go.mod", "lib/money/go.mod", "svc/pay/go.mod"});
  auto below = tracked_files_named(repo.path() + "/svc", "go.mod");
  REQUIRE(below.has_value());
  CHECK(*below == std::vector<std::string>{"pay/go.mod"});

  repo.git("add svc/new/go.mod");
  CHECK(tracked_files_named(repo.path(), "go.mod")->size() == 4);
}

TEST_CASE("tracked files: nothing outside a git work tree") {
  TempDir dir;
  dir.write("go.mod", "module a\n");
  CHECK_FALSE(tracked_files_named(dir.path(), "go.mod").has_value());
}

TEST_CASE("tracked files: several names in one read, in path order") {
  GitRepo repo;
  repo.write("package.json", "{}\n");
  repo.write("apps/web/Dockerfile", "FROM x\n");
  repo.write("apps/web/package.json", "{}\n");
  repo.write("apps/web/old.Dockerfile", "FROM x\n");
  repo.write("svc/pay/go.mod", "module pay\n");
  repo.commit("manifests");
  constexpr std::string_view kNames[] = {"Dockerfile", "package.json", "go.mod"};
  auto found = tracked_files_named(repo.path(), kNames);
  REQUIRE(found.has_value());
  CHECK(*found == std::vector<std::string>{"apps/web/Dockerfile", "apps/web/package.json",
                                           "package.json", "svc/pay/go.mod"});
}
