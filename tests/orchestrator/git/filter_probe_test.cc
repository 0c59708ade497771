#include "orchestrator/git/filter_probe.h"

#include <git2.h>

#include <catch2/catch.hpp>

#include "tests/support/git_repo.h"

using namespace ripple;
using namespace ripple::git;
using ripple::testing::GitRepo;

namespace {

// The probe over `repo`'s index as the scan reads it, for the workspace at `prefix`.
struct Probed {
  RepoPtr repo;
  IndexSnapshot snap;
  explicit Probed(const GitRepo& r, const std::string& prefix = "") {
    git_libgit2_init();
    git_repository* raw = nullptr;
    REQUIRE(git_repository_open(&raw, r.path().c_str()) == 0);
    repo.reset(raw);
    auto s = load_index(raw, prefix);
    REQUIRE(s.has_value());
    snap = std::move(*s);
  }
  bool may_filter(std::string_view path) const {
    return FilterProbe(repo.get(), snap).may_filter(path);
  }
};

void write_files(const GitRepo& repo) {
  repo.write("a/x/one.txt", "one\n");
  repo.write("b/two.txt", "two\n");
  repo.write("top.txt", "top\n");
}

}  // namespace

TEST_CASE("filter probe: without attributes or autocrlf, no filter can apply") {
  GitRepo repo;
  write_files(repo);
  repo.commit("files");
  Probed p(repo);
  CHECK_FALSE(p.may_filter("a/x/one.txt"));
  CHECK_FALSE(p.may_filter("top.txt"));
  CHECK_FALSE(p.may_filter("new/dir/file.txt"));
}

TEST_CASE("filter probe: a .gitattributes concerns its own directory and those below it") {
  GitRepo repo;
  write_files(repo);
  repo.write("a/.gitattributes", "*.txt text eol=crlf\n");
  repo.commit("files");
  Probed p(repo);
  CHECK(p.may_filter("a/x/one.txt"));
  CHECK(p.may_filter("a/new.txt"));
  CHECK_FALSE(p.may_filter("b/two.txt"));
  CHECK_FALSE(p.may_filter("top.txt"));
}

TEST_CASE("filter probe: a .gitattributes only in the index, or only in the work tree, counts") {
  GitRepo repo;
  write_files(repo);
  repo.write("a/.gitattributes", "*.txt text\n");
  repo.commit("files");
  repo.remove("a/.gitattributes");  // still in the index, which git also reads attributes from
  repo.write("b/.gitattributes", "*.txt ident\n");  // untracked
  Probed p(repo);
  CHECK(p.may_filter("a/x/one.txt"));
  CHECK(p.may_filter("b/two.txt"));
  CHECK_FALSE(p.may_filter("top.txt"));
}

TEST_CASE("filter probe: a root .gitattributes concerns every path") {
  GitRepo repo;
  write_files(repo);
  repo.commit("files");
  repo.write(".gitattributes", "* text=auto\n");
  Probed p(repo);
  CHECK(p.may_filter("top.txt"));
  CHECK(p.may_filter("a/x/one.txt"));
}

TEST_CASE("filter probe: core.autocrlf and info/attributes concern every path") {
  GitRepo repo;
  write_files(repo);
  repo.commit("files");
  SECTION("core.autocrlf true") {
    repo.git("config core.autocrlf true");
    CHECK(Probed(repo).may_filter("b/two.txt"));
  }
  SECTION("core.autocrlf input") {
    repo.git("config core.autocrlf input");
    CHECK(Probed(repo).may_filter("b/two.txt"));
  }
  SECTION("core.autocrlf false") {
    repo.git("config core.autocrlf false");
    CHECK_FALSE(Probed(repo).may_filter("b/two.txt"));
  }
  SECTION("info/attributes") {
    repo.write(".git/info/attributes", "*.txt text\n");
    CHECK(Probed(repo).may_filter("b/two.txt"));
  }
  SECTION("core.attributesFile") {
    repo.write(".git/extra-attributes", "*.txt text\n");
    repo.git("config core.attributesFile " + repo.path() + "/.git/extra-attributes");
    CHECK(Probed(repo).may_filter("b/two.txt"));
  }
}

TEST_CASE("filter probe: a workspace below the repository's root cannot rule filters out") {
  // Its index entries above the workspace were not read, so a .gitattributes there is unknown.
  GitRepo repo;
  write_files(repo);
  repo.commit("files");
  CHECK(Probed(repo, "a").may_filter("a/x/one.txt"));
}
