// choose_base's precedence (base_ref.h), with the environment as a map, the push event file in a
// MemoryFilesystem and the refs in a FakeVcs.

#include "orchestrator/base_ref.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "tests/support/fake_vcs.h"
#include "tests/support/memory_filesystem.h"

using namespace ripple;
using ripple::testing::FakeVcs;
using ripple::testing::MemoryFilesystem;

namespace {

const std::string kBefore = "1111111111111111111111111111111111111111";
const std::string kMrBase = "2222222222222222222222222222222222222222";
const std::string kZeros = "0000000000000000000000000000000000000000";
const std::string kEventPath = "/runner/event.json";

struct Setup {
  std::map<std::string, std::string> env;
  MemoryFilesystem fs;
  FakeVcs vcs{{"origin/HEAD", "main"}};
  std::optional<std::string> cli;
  std::optional<std::string> config;

  // A GitHub push whose event file holds `before`.
  void github_push(const std::string& before) {
    env["GITHUB_EVENT_NAME"] = "push";
    env["GITHUB_EVENT_PATH"] = kEventPath;
    fs.add_file(kEventPath, R"({"ref": "refs/heads/main", "before": ")" + before +
                                R"(", "after": "3333333333333333333333333333333333333333"})");
  }

  Result<BaseChoice> choose() const {
    auto vars = env;
    EnvLookup lookup = [vars](const std::string& n) -> std::optional<std::string> {
      auto it = vars.find(n);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    return choose_base(cli, lookup, fs, config, vcs);
  }

  BaseChoice chosen() const {
    auto c = choose();
    INFO((c ? std::string() : c.error().message));
    REQUIRE(c.has_value());
    return *c;
  }
};

}  // namespace

TEST_CASE("choose_base: --base wins over every CI variable and ripple.yaml") {
  Setup s;
  s.cli = "release";
  s.config = "develop";
  s.env["GITHUB_BASE_REF"] = "main";
  s.env["CI_MERGE_REQUEST_DIFF_BASE_SHA"] = kMrBase;
  s.env["CI_COMMIT_BEFORE_SHA"] = kBefore;
  s.github_push(kBefore);
  CHECK(s.chosen().ref == "release");
  CHECK(s.chosen().source == "--base");
}

TEST_CASE("choose_base: a pull request's target wins over a push's before") {
  Setup s;
  s.config = "develop";
  s.github_push(kBefore);
  s.env["CI_COMMIT_BEFORE_SHA"] = kBefore;
  s.env["CI_MERGE_REQUEST_DIFF_BASE_SHA"] = kMrBase;
  s.env["GITHUB_BASE_REF"] = "main";
  CHECK(s.chosen().ref == "origin/main");
  CHECK(s.chosen().source == "GITHUB_BASE_REF");
  s.env.erase("GITHUB_BASE_REF");
  CHECK(s.chosen().ref == kMrBase);
  CHECK(s.chosen().source == "CI_MERGE_REQUEST_DIFF_BASE_SHA");
}

TEST_CASE("choose_base: a GitHub push compares against the event's before, over ripple.yaml") {
  Setup s;
  s.config = "main";
  s.github_push(kBefore);
  BaseChoice c = s.chosen();
  CHECK(c.ref == kBefore);
  CHECK(c.source == "GITHUB_EVENT_PATH");
  // The file is read through the Filesystem handed in, and only it.
  CHECK(s.fs.reads() == std::vector<std::string>{kEventPath});
}

TEST_CASE("choose_base: the event file is read only for a push event") {
  Setup s;
  s.config = "main";
  s.github_push(kBefore);
  s.env["GITHUB_EVENT_NAME"] = "workflow_dispatch";
  CHECK(s.chosen().ref == "main");
  CHECK(s.chosen().source == "ripple.yaml");
  CHECK(s.fs.reads().empty());
}

TEST_CASE("choose_base: GitLab's CI_COMMIT_BEFORE_SHA is a push's before, over ripple.yaml") {
  Setup s;
  s.config = "main";
  s.env["CI_COMMIT_BEFORE_SHA"] = kBefore;
  CHECK(s.chosen().ref == kBefore);
  CHECK(s.chosen().source == "CI_COMMIT_BEFORE_SHA");
  s.env["CI_COMMIT_BEFORE_SHA"] = "";
  CHECK(s.chosen().source == "ripple.yaml");
}

TEST_CASE("choose_base: an all-zero before (a new branch) falls back and says why") {
  SECTION("GitHub, to ripple.yaml") {
    Setup s;
    s.config = "develop";
    s.github_push(kZeros);
    CHECK(s.chosen().ref == "develop");
    CHECK(s.chosen().source == "ripple.yaml (new branch: push has no before)");
  }
  SECTION("GitHub, to the default branch") {
    Setup s;
    s.github_push(kZeros);
    CHECK(s.chosen().ref == "origin/HEAD");
    CHECK(s.chosen().source == "default branch (new branch: push has no before)");
  }
  SECTION("GitLab, to the default branch") {
    Setup s;
    s.env["CI_COMMIT_BEFORE_SHA"] = kZeros;
    CHECK(s.chosen().ref == "origin/HEAD");
    CHECK(s.chosen().source ==
          "default branch (CI_COMMIT_BEFORE_SHA is all zeros: a new branch, or not a push)");
  }
}

TEST_CASE("choose_base: without CI variables, ripple.yaml, then the first default branch") {
  Setup s;
  s.config = "develop";
  CHECK(s.chosen().ref == "develop");
  CHECK(s.chosen().source == "ripple.yaml");
  s.config.reset();
  CHECK(s.chosen().ref == "origin/HEAD");
  CHECK(s.chosen().source == "default branch");
  Setup t;
  t.vcs = FakeVcs(std::set<std::string>{"master", "origin/master"});
  CHECK(t.chosen().ref == "origin/master");
  t.vcs = FakeVcs(std::set<std::string>{"master"});
  CHECK(t.chosen().ref == "master");
  t.vcs = FakeVcs();
  auto none = t.choose();
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().kind == ErrorKind::environment);
  CHECK_THAT(none.error().message, Catch::Contains("--base"));
}

TEST_CASE("choose_base: a push event that cannot be read is an error naming the file") {
  Setup s;
  s.config = "main";  // never a silent fall back to it
  s.env["GITHUB_EVENT_NAME"] = "push";
  s.env["GITHUB_EVENT_PATH"] = kEventPath;
  auto check_error = [&](const std::string& expected) {
    auto c = s.choose();
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().kind == ErrorKind::environment);
    CHECK_THAT(c.error().message, Catch::Contains(expected));
    CHECK_THAT(c.error().message, Catch::Contains("--base"));
  };
  SECTION("missing") { check_error("cannot read " + kEventPath); }
  SECTION("not JSON") {
    s.fs.add_file(kEventPath, "{\"before\": \"1111");
    check_error(kEventPath + " (GITHUB_EVENT_PATH): not a JSON object");
  }
  SECTION("JSON, but no object") {
    s.fs.add_file(kEventPath, "[]");
    check_error(kEventPath + " (GITHUB_EVENT_PATH): not a JSON object");
  }
  SECTION("no before") {
    s.fs.add_file(kEventPath, R"({"ref": "refs/heads/main"})");
    check_error(kEventPath + " (GITHUB_EVENT_PATH): a push event without a commit id in 'before'");
  }
  SECTION("before not a commit id") {
    s.fs.add_file(kEventPath, R"({"before": "main"})");
    check_error("without a commit id in 'before'");
  }
  SECTION("GITHUB_EVENT_PATH unset") {
    s.env.erase("GITHUB_EVENT_PATH");
    check_error("GITHUB_EVENT_PATH is not set");
  }
}

TEST_CASE("choose_base: a CI_COMMIT_BEFORE_SHA that is no commit id is an error") {
  Setup s;
  s.env["CI_COMMIT_BEFORE_SHA"] = "main";
  auto c = s.choose();
  REQUIRE_FALSE(c.has_value());
  CHECK(c.error().kind == ErrorKind::environment);
  CHECK_THAT(c.error().message, Catch::Contains("CI_COMMIT_BEFORE_SHA is 'main', not a commit id"));
}

TEST_CASE("choose_base: an empty value counts as unset, at every step") {
  Setup s;
  s.cli = "";
  s.env["GITHUB_BASE_REF"] = "";
  s.env["CI_MERGE_REQUEST_DIFF_BASE_SHA"] = "";
  s.env["CI_COMMIT_BEFORE_SHA"] = "";
  s.config = "";
  CHECK(s.chosen().ref == "origin/HEAD");
  CHECK(s.chosen().source == "default branch");
  s.config = "develop";
  CHECK(s.chosen().source == "ripple.yaml");
  s.env["CI_MERGE_REQUEST_DIFF_BASE_SHA"] = kMrBase;
  CHECK(s.chosen().source == "CI_MERGE_REQUEST_DIFF_BASE_SHA");
  s.env["GITHUB_BASE_REF"] = "release";
  CHECK(s.chosen().ref == "origin/release");
  s.cli = "v1";
  CHECK(s.chosen().ref == "v1");
}

TEST_CASE("choose_base: the default branch is the first of five that exists, in order") {
  std::set<std::string> refs = {"origin/HEAD", "origin/main", "origin/master", "main", "master"};
  for (const char* expected : {"origin/HEAD", "origin/main", "origin/master", "main", "master"}) {
    Setup s;
    s.vcs = FakeVcs(refs);
    CHECK(s.chosen().ref == expected);
    CHECK(s.chosen().source == "default branch");
    refs.erase(expected);
  }
}
