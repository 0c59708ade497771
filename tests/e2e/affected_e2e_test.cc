// `ripple affected` on real git repositories made by the tests.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

// A small workspace: proto <- api <- web, lib (nested service libs/lib/inner), tools global,
// docs ignored.
// `base` empty: no `base:` line, so the default branch is used.
void write_small_workspace(const GitRepo& repo, const std::string& base = "main") {
  repo.write("ripple.yaml", "version: 1\n" +
                                (base.empty() ? std::string() : "base: " + base + "\n") +
                                "services: [services/*, libs/*, libs/*/*]\n"
                                "global_inputs: ['tools/**']\nignore: ['**/*.md', 'docs/**']\n");
  repo.write("libs/proto/service.yaml", "");
  repo.write("libs/proto/cart.proto", "message Cart {}\n");
  repo.write("libs/lib/service.yaml", "");
  repo.write("libs/lib/lib.go", "package lib\n");
  repo.write("libs/lib/inner/service.yaml", "");
  repo.write("libs/lib/inner/inner.go", "package inner\n");
  repo.write("services/api/service.yaml", "deps: [proto]\n");
  repo.write("services/api/main.go", "package main\n");
  repo.write("services/web/service.yaml", "deps: [api]\n");
  repo.write("services/web/app.js", "1\n");
  repo.write("tools/lint.sh", "true\n");
  repo.write("docs/guide.txt", "guide\n");
  repo.write("README.md", "readme\n");
}

std::string affected(const GitRepo& repo, const std::string& args = "") {
  auto r = repo.ripple("affected " + args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

nlohmann::json affected_json(const GitRepo& repo, const std::string& args = "") {
  return nlohmann::json::parse(affected(repo, "--format json " + args));
}

// Every service of the small workspace, in topological order.
const char* const kAllSmall = "inner\nlib\nproto\napi\nweb\n";

// The small workspace committed on main, then a `feature` branch checked out.
void small_workspace_on_feature(const GitRepo& repo) {
  write_small_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");
}

}  // namespace

TEST_CASE("affected: a change inside a service affects it and its dependents") {
  GitRepo repo;
  write_small_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("services/api/main.go", "package main // changed\n");
  repo.commit("change api");
  CHECK(affected(repo) == "api\nweb\n");
}

TEST_CASE("affected: a change in a library affects dependents two levels up, with the chain") {
  GitRepo repo;
  write_small_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("libs/proto/cart.proto", "message Cart { int32 id = 1; }\n");
  repo.commit("change proto");
  CHECK(affected(repo) == "proto\napi\nweb\n");
  CHECK(affected(repo, "--explain") ==
        "proto: changed (libs/proto/cart.proto)\n"
        "api: dependency \u2192 proto (libs/proto/cart.proto changed)\n"
        "web: dependency \u2192 api \u2192 proto (libs/proto/cart.proto changed)\n");
  auto doc = nlohmann::json::parse(affected(repo, "--format json"));
  REQUIRE(doc.size() == 3);
  CHECK(doc[0]["reason"] == "changed");
  CHECK(doc[0]["because"] == nlohmann::json::array({"libs/proto/cart.proto"}));
  CHECK(doc[2]["name"] == "web");
  CHECK(doc[2]["dir"] == "services/web");
  CHECK(doc[2]["reason"] == "dependency");
  CHECK(doc[2]["because"] == nlohmann::json::array({"api", "proto"}));
}

TEST_CASE("affected: a change in a nested service affects only the innermost one") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("libs/lib/inner/inner.go", "package inner // changed\n");
  repo.commit("change inner");
  CHECK(affected(repo) == "inner\n");
  CHECK(affected(repo, "--explain") == "inner: changed (libs/lib/inner/inner.go)\n");
}

TEST_CASE("affected: a global input change affects every service, reason global") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("tools/lint.sh", "exit 0\n");
  repo.commit("change lint");
  CHECK(affected(repo) == kAllSmall);
  auto doc = affected_json(repo);
  REQUIRE(doc.size() == 5);
  for (const auto& e : doc) {
    INFO(e.dump());
    CHECK(e["reason"] == "global");
    CHECK(e["because"] == nlohmann::json::array({"tools/lint.sh"}));
    CHECK(e["more"] == 0);
  }
}

TEST_CASE("affected: an ignored path affects nothing") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("docs/guide.txt", "a better guide\n");
  repo.commit("change docs");
  auto r = repo.ripple("affected --files");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("M docs/guide.txt (ignored)"));
  CHECK(nlohmann::json::parse(affected(repo, "--format json")) == nlohmann::json::array());
}

TEST_CASE("affected: a README-only change affects nothing") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("README.md", "readme, improved\n");
  repo.write("services/api/README.md", "# api\n");
  repo.commit("docs only");
  CHECK(affected(repo).empty());
  CHECK(affected(repo, "--format github-matrix") == "{\"include\":[]}\n");
}

TEST_CASE("affected: a file renamed from one service into another affects both") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.git("mv services/api/main.go services/web/main.go");
  repo.commit("move main.go to web");
  CHECK(affected(repo) == "api\nweb\n");
  auto doc = affected_json(repo);
  REQUIRE(doc.size() == 2);
  CHECK(doc[0]["reason"] == "changed");
  CHECK(doc[0]["because"] == nlohmann::json::array({"services/api/main.go"}));
  CHECK(doc[1]["reason"] == "changed");
  CHECK(doc[1]["because"] == nlohmann::json::array({"services/web/main.go"}));
}

TEST_CASE("affected: a deleted file affects its service and dependents") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.git("rm -q services/api/main.go");
  repo.commit("delete main.go");
  CHECK(affected(repo) == "api\nweb\n");
  auto r = repo.ripple("affected --files");
  CHECK_THAT(r.err, Catch::Contains("D services/api/main.go -> api"));
}

TEST_CASE("affected: an untracked file counts unless --no-uncommitted") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write(".gitignore", "*.log\n");
  repo.commit("ignore logs");
  repo.write("services/api/debug.log", "git-ignored, never counts\n");
  CHECK(affected(repo).empty());
  repo.write("services/api/new.go", "package main\n");
  CHECK(affected(repo) == "api\nweb\n");
  auto r = repo.ripple("affected");
  CHECK_THAT(r.err, Catch::Contains("+ work tree"));
  CHECK(affected(repo, "--no-uncommitted").empty());
}

TEST_CASE("affected: a staged-only change counts") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("libs/proto/cart.proto", "message Cart { int32 id = 1; }\n");
  repo.git("add libs/proto/cart.proto");
  CHECK(affected(repo) == "proto\napi\nweb\n");
  CHECK(affected(repo, "--no-uncommitted").empty());
}

TEST_CASE("affected: --head compares that commit and ignores the work tree") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("libs/lib/lib.go", "package lib // changed\n");
  std::string older = repo.commit("change lib");
  repo.write("services/api/main.go", "package main // changed\n");
  repo.commit("change api");
  repo.write("libs/lib/inner/inner.go", "package inner // uncommitted\n");
  CHECK(affected(repo) == "inner\nlib\napi\nweb\n");
  CHECK(affected(repo, "--head HEAD") == "lib\napi\nweb\n");
  auto r = repo.ripple("affected --head HEAD");
  CHECK_THAT(r.err, !Catch::Contains("work tree"));
  CHECK(affected(repo, "--head " + older) == "lib\n");
  CHECK(affected(repo, "--head HEAD~1") == "lib\n");
  auto o = repo.ripple("affected --head " + older);
  CHECK_THAT(o.err, Catch::StartsWith("ripple: " + older + " vs main (ripple.yaml"));
}

TEST_CASE(
    "affected: ripple.yaml affects every service and a service.yaml its service, reason config") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  SECTION("ripple.yaml") {
    repo.write("ripple.yaml",
               "version: 1\nbase: main\nservices: [services/*, libs/*, libs/*/*]\n"
               "global_inputs: ['tools/**']\nignore: ['**/*.md', 'docs/**', '*.txt']\n");
    repo.commit("change ripple.yaml");
    CHECK(affected(repo) == kAllSmall);
    auto doc = affected_json(repo);
    REQUIRE(doc.size() == 5);
    for (const auto& e : doc) {
      INFO(e.dump());
      CHECK(e["reason"] == "config");
      CHECK(e["because"] == nlohmann::json::array({"ripple.yaml"}));
    }
  }
  SECTION("service.yaml") {
    repo.write("services/api/service.yaml", "deps: [proto]\nenv: [GOFLAGS]\n");
    repo.commit("change api's service.yaml");
    CHECK(affected(repo) == "api\nweb\n");
    auto doc = affected_json(repo);
    REQUIRE(doc.size() == 2);
    CHECK(doc[0]["name"] == "api");
    CHECK(doc[0]["reason"] == "config");
    CHECK(doc[0]["because"] == nlohmann::json::array({"services/api/service.yaml"}));
    CHECK(doc[1]["name"] == "web");
    CHECK(doc[1]["reason"] == "dependency");
    CHECK(doc[1]["because"] == nlohmann::json::array({"api"}));
  }
}

TEST_CASE("affected: a removed service is reported as removed, and left out of the matrix") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.remove("services/web");
  repo.commit("remove web");
  CHECK(affected(repo) == "web\n");
  auto doc = affected_json(repo);
  REQUIRE(doc.size() == 1);
  CHECK(doc[0]["name"] == "web");
  CHECK(doc[0]["dir"] == "services/web");
  CHECK(doc[0]["reason"] == "removed");
  CHECK(doc[0]["because"] == nlohmann::json::array({"services/web/service.yaml"}));
  CHECK(affected(repo, "--format github-matrix") == "{\"include\":[]}\n");
  CHECK(affected(repo, "--explain") == "web: removed (services/web/service.yaml deleted)\n");
}

TEST_CASE("affected: a removed service keeps the name its service.yaml gave it") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("libs/lib/inner/service.yaml", "name: innermost\n");
  repo.commit("name inner");
  repo.git("branch -f main HEAD");
  repo.remove("libs/lib/inner");
  // Not committed: a removal in the work tree counts too.
  CHECK(affected(repo) == "lib\ninnermost\n");
  auto doc = affected_json(repo);
  REQUIRE(doc.size() == 2);
  CHECK(doc[0]["reason"] == "changed");
  // Both files now lie in lib's directory, so they are lib's inputs.
  CHECK(doc[0]["because"] ==
        nlohmann::json::array({"libs/lib/inner/inner.go", "libs/lib/inner/service.yaml"}));
  CHECK(doc[1]["name"] == "innermost");
  CHECK(doc[1]["reason"] == "removed");
}

TEST_CASE("affected: a change propagates through a dependency cycle") {
  GitRepo repo;
  repo.write("ripple.yaml", "version: 1\nbase: main\nservices: [svc/*]\n");
  repo.write("svc/a/service.yaml", "deps: [b]\n");
  repo.write("svc/a/a.go", "a\n");
  repo.write("svc/b/service.yaml", "deps: [a]\n");
  repo.write("svc/b/b.go", "b\n");
  repo.write("svc/c/service.yaml", "deps: [a]\n");
  repo.write("svc/c/c.go", "c\n");
  repo.write("svc/d/service.yaml", "");
  repo.write("svc/d/d.go", "d\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("svc/b/b.go", "b changed\n");
  repo.commit("change b");
  auto r = repo.ripple("affected");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("cycle"));
  CHECK(r.out == "a\nb\nc\n");
  auto doc = affected_json(repo);
  REQUIRE(doc.size() == 3);
  CHECK(doc[0]["name"] == "a");
  CHECK(doc[0]["reason"] == "dependency");
  CHECK(doc[0]["because"] == nlohmann::json::array({"b"}));
  CHECK(doc[1]["name"] == "b");
  CHECK(doc[1]["reason"] == "changed");
  CHECK(doc[2]["name"] == "c");
  CHECK(doc[2]["because"] == nlohmann::json::array({"a", "b"}));
}

TEST_CASE("affected: merges from main count from the merge-base, not as a two-dot diff") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("services/api/main.go", "package main // feature\n");
  repo.commit("change api");
  repo.git("checkout -q main");
  repo.write("libs/proto/cart.proto", "message Cart { int32 from_main = 1; }\n");
  repo.commit("main changes proto");
  repo.git("checkout -q feature");
  repo.git("merge -q --no-edit main");
  repo.write("services/api/handler.go", "package main\n");
  repo.commit("more api");
  // main moves on after the merge: a two-dot diff would count this too.
  repo.git("checkout -q main");
  repo.write("libs/lib/lib.go", "package lib // main again\n");
  repo.commit("main changes lib");
  repo.git("checkout -q feature");
  CHECK(affected(repo) == "api\nweb\n");
  auto doc = affected_json(repo);
  REQUIRE(doc.size() == 2);
  CHECK(doc[0]["because"] ==
        nlohmann::json::array({"services/api/handler.go", "services/api/main.go"}));
}

TEST_CASE("affected: a detached HEAD works") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("services/web/app.js", "2\n");
  repo.commit("change web");
  repo.git("checkout -q --detach");
  repo.write("libs/proto/cart.proto", "message Cart { int32 detached = 1; }\n");
  repo.commit("commit on no branch");
  CHECK(affected(repo) == "proto\napi\nweb\n");
  CHECK(affected(repo, "--head HEAD~1") == "web\n");
}

TEST_CASE(
    "affected: a base that does not exist fails with a hint, or with --fallback=all is "
    "everything") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("services/api/main.go", "package main // changed\n");
  repo.commit("change api");
  auto r = repo.ripple("affected --base nope");
  CHECK(r.exit_code == 3);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("'nope'"));
  CHECK_THAT(r.err, Catch::Contains("not found"));
  CHECK_THAT(r.err, Catch::Contains("git fetch"));
  CHECK_THAT(r.err, Catch::Contains("--fallback=all"));

  auto all = repo.ripple("affected --base nope --fallback=all");
  CHECK(all.exit_code == 0);
  CHECK(all.out == kAllSmall);
  CHECK_THAT(all.err, Catch::Contains("'nope'"));
  auto doc = affected_json(repo, "--base nope --fallback=all");
  REQUIRE(doc.size() == 5);
  for (const auto& e : doc) {
    INFO(e.dump());
    CHECK(e["reason"] == "no-base");
  }
  // The `base:` of ripple.yaml naming a missing branch is an error too, not a guess.
  repo.git("branch -m main trunk");
  auto cfg = repo.ripple("affected");
  CHECK(cfg.exit_code == 3);
  CHECK_THAT(cfg.err, Catch::Contains("'main'"));
}

TEST_CASE("affected: a shallow clone without the merge-base fails with a hint") {
  GitRepo repo;
  write_small_workspace(repo);
  repo.commit("main 1");
  repo.write("services/web/app.js", "2\n");
  repo.commit("main 2");
  repo.git("checkout -q -b feature");
  repo.write("services/api/main.go", "package main // f1\n");
  repo.commit("feature 1");
  repo.write("services/api/main.go", "package main // f2\n");
  repo.commit("feature 2");
  repo.git("checkout -q main");
  repo.write("libs/lib/lib.go", "package lib // main 3\n");
  repo.commit("main 3");

  TempDir clone_parent;
  const std::string clone = clone_parent.path() + "/clone";
  run_git("clone -q --depth 1 --branch feature " + shell_quote("file://" + repo.path()) + " " +
              shell_quote(clone),
          clone_parent.path());
  run_git("fetch -q --depth 1 origin main:main", clone);
  REQUIRE(run_git("rev-parse --is-shallow-repository", clone) == "true\n");

  auto r = run_ripple("affected --base main", clone);
  CHECK(r.exit_code == 3);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("shallow"));
  CHECK_THAT(r.err, Catch::Contains("fetch-depth: 0"));
  CHECK_THAT(r.err, Catch::Contains("--deepen"));

  auto all = run_ripple("affected --base main --fallback=all", clone);
  CHECK(all.exit_code == 0);
  CHECK(all.out == kAllSmall);

  // Once the history is there, the answer is the real one.
  run_git("fetch -q --unshallow origin", clone);
  auto deep = run_ripple("affected --base main", clone);
  INFO(deep.err);
  CHECK(deep.exit_code == 0);
  CHECK(deep.out == "api\nweb\n");
}

TEST_CASE("affected: a workspace in a subdirectory of the repository") {
  GitRepo repo;
  repo.write("monorepo/ripple.yaml", "version: 1\nbase: main\nservices: [services/*]\n");
  repo.write("monorepo/services/api/service.yaml", "");
  repo.write("monorepo/services/api/main.go", "package main\n");
  repo.write("monorepo/services/web/service.yaml", "deps: [api]\n");
  repo.write("monorepo/services/web/app.js", "1\n");
  repo.write("other/services/api/main.go", "not the workspace\n");
  repo.write("monorepo-old/services/api/main.go", "not the workspace either\n");
  repo.write("ripple.txt", "x\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");

  SECTION("changes outside the workspace are ignored") {
    repo.write("other/services/api/main.go", "changed\n");
    repo.write("monorepo-old/services/api/main.go", "changed\n");
    repo.write("ripple.txt", "changed\n");
    repo.commit("outside");
    repo.write("other/untracked.go", "x\n");
    repo.write("monorepo-old/services/web/untracked.js", "x\n");
    auto r = repo.ripple("affected", "monorepo");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("0 changed files"));
  }
  SECTION("paths are workspace-relative and any directory inside works") {
    repo.write("monorepo/services/api/main.go", "package main // changed\n");
    repo.write("other/services/api/main.go", "changed\n");
    repo.commit("inside and outside");
    repo.write("monorepo/services/web/new.js", "untracked\n");
    for (const std::string subdir :
         {"monorepo", "monorepo/services", "monorepo/services/api", "monorepo/services/web"}) {
      INFO(subdir);
      auto r = repo.ripple("affected --format json", subdir);
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      auto doc = nlohmann::json::parse(r.out);
      REQUIRE(doc.size() == 2);
      CHECK(doc[0]["name"] == "api");
      CHECK(doc[0]["dir"] == "services/api");
      CHECK(doc[0]["because"] == nlohmann::json::array({"services/api/main.go"}));
      CHECK(doc[1]["name"] == "web");
      CHECK(doc[1]["reason"] == "changed");
      CHECK(doc[1]["because"] == nlohmann::json::array({"services/web/new.js"}));
    }
  }
  SECTION("a removed service in the subdirectory workspace") {
    repo.write("monorepo/services/api/service.yaml", "name: api-server\n");
    repo.write("monorepo/services/web/service.yaml", "deps: [api-server]\n");
    repo.commit("rename api");
    repo.git("branch -f main HEAD");
    repo.remove("monorepo/services/web");
    repo.commit("remove web");
    repo.remove("monorepo/services/api");
    auto json = repo.ripple("affected --format json", "monorepo");
    REQUIRE(json.exit_code == 0);
    auto doc = nlohmann::json::parse(json.out);
    REQUIRE(doc.size() == 2);
    CHECK(doc[0]["name"] == "api-server");
    CHECK(doc[0]["reason"] == "removed");
    CHECK(doc[0]["because"] == nlohmann::json::array({"services/api/service.yaml"}));
    CHECK(doc[1]["name"] == "web");
    CHECK(doc[1]["reason"] == "removed");
  }
}

TEST_CASE("affected: paths with spaces and non-ASCII names") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("services/api/my file.go", "package main\n");
  repo.write(
      "services/api/\xC3\xBC"
      "ber.go",
      "package main\n");
  repo.commit("odd names");
  repo.write("libs/proto/a \"quoted\" name.proto", "untracked\n");
  CHECK(affected(repo) == "proto\napi\nweb\n");
  auto doc = affected_json(repo);
  REQUIRE(doc.size() == 3);
  CHECK(doc[0]["because"] == nlohmann::json::array({"libs/proto/a \"quoted\" name.proto"}));
  CHECK(doc[1]["name"] == "api");
  CHECK(doc[1]["reason"] == "changed");
  CHECK(doc[1]["because"] == nlohmann::json::array({"services/api/my file.go",
                                                    "services/api/\xC3\xBC"
                                                    "ber.go"}));
  auto r = repo.ripple("affected --explain");
  CHECK_THAT(r.out, Catch::Contains("api: changed (services/api/my file.go, services/api/\xC3\xBC"
                                    "ber.go)"));
}

TEST_CASE("affected: graph --affected marks the affected services") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("services/api/main.go", "package main // changed\n");
  repo.commit("change api");
  auto r = repo.ripple("graph --affected");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        "inner\n"
        "lib\n"
        "proto\n"
        "api *: proto\n"
        "web *: api\n");
  auto j = repo.ripple("graph --affected --format json");
  REQUIRE(j.exit_code == 0);
  auto doc = nlohmann::json::parse(j.out);
  REQUIRE(doc["services"].size() == 5);
  for (const auto& s : doc["services"]) {
    INFO(s["name"]);
    CHECK(s["affected"] == (s["name"] == "api" || s["name"] == "web"));
  }
  // Without --affected there is no mark at all.
  auto plain_run = repo.ripple("graph --format json");
  REQUIRE(plain_run.exit_code == 0);
  auto plain = nlohmann::json::parse(plain_run.out);
  CHECK_FALSE(plain["services"][0].contains("affected"));
  // The base options apply to graph as well.
  auto bad = repo.ripple("graph --affected --base nope");
  CHECK(bad.exit_code == 3);
  CHECK_THAT(bad.err, Catch::Contains("'nope'"));
}

TEST_CASE("affected: the base comes from GITHUB_BASE_REF or CI_MERGE_REQUEST_DIFF_BASE_SHA in CI") {
  GitRepo repo;
  write_small_workspace(repo);
  std::string base_commit = repo.commit("base");
  repo.git("checkout -q -b feature-base");
  repo.write("libs/lib/lib.go", "package lib // feature-base\n");
  repo.commit("feature-base changes lib");
  TempDir remote;
  run_git("init -q --bare", remote.path());
  repo.git("remote add origin " + shell_quote(remote.path()));
  repo.git("push -q origin main feature-base");
  repo.git("fetch -q origin");
  repo.git("checkout -q -b feature");
  // Only origin/feature-base is left: a local branch must not be what is used.
  repo.git("branch -q -D feature-base");
  repo.write("services/api/main.go", "package main // feature\n");
  repo.commit("feature changes api");

  CHECK(affected(repo) == "lib\napi\nweb\n");  // base: main from ripple.yaml

  auto r = repo.ripple_with_env("GITHUB_BASE_REF=feature-base", "affected");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "api\nweb\n");
  CHECK_THAT(r.err, Catch::StartsWith("ripple: HEAD vs origin/feature-base (GITHUB_BASE_REF, "));

  auto cli = repo.ripple_with_env("GITHUB_BASE_REF=feature-base", "affected --base main");
  CHECK(cli.out == "lib\napi\nweb\n");
  CHECK_THAT(cli.err, Catch::Contains("vs main (--base"));

  auto missing = repo.ripple_with_env("GITHUB_BASE_REF=gone", "affected");
  CHECK(missing.exit_code == 3);
  CHECK_THAT(missing.err, Catch::Contains("'origin/gone'"));

  auto empty = repo.ripple_with_env("GITHUB_BASE_REF=", "affected");
  CHECK(empty.out == "lib\napi\nweb\n");
  CHECK_THAT(empty.err, Catch::Contains("(ripple.yaml"));

  auto gitlab = repo.ripple_with_env("CI_MERGE_REQUEST_DIFF_BASE_SHA=" + base_commit, "affected");
  CHECK(gitlab.out == "lib\napi\nweb\n");
  CHECK_THAT(gitlab.err, Catch::Contains("vs " + base_commit + " (CI_MERGE_REQUEST_DIFF_BASE_SHA"));
}

TEST_CASE("affected: outside a git repository fails with exit 3") {
  TempDir dir;
  dir.write("ripple.yaml", "version: 1\nbase: main\nservices: [services/*]\n");
  dir.write("services/api/service.yaml", "");
  auto r = run_ripple("affected", dir.path());
  CHECK(r.exit_code == 3);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("not inside a git repository"));
  CHECK_THAT(r.err, Catch::Contains("git init"));
  auto g = run_ripple("graph --affected", dir.path());
  CHECK(g.exit_code == 3);
  // The plain graph needs no repository.
  CHECK(run_ripple("graph", dir.path()).exit_code == 0);
}

TEST_CASE("affected: without base in ripple.yaml the default branch is used") {
  GitRepo repo;
  write_small_workspace(repo, "");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("libs/lib/lib.go", "package lib // on main\n");
  repo.commit("lib");
  repo.git("branch -f main HEAD");  // local main is ahead of origin's
  repo.write("services/api/main.go", "package main // feature\n");
  repo.commit("api");

  SECTION("main") {
    auto r = repo.ripple("affected");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "api\nweb\n");
    CHECK_THAT(r.err, Catch::StartsWith("ripple: HEAD vs main (default branch, "));
  }
  SECTION("master, when there is no main") {
    repo.git("branch -m main master");
    auto r = repo.ripple("affected");
    CHECK(r.out == "api\nweb\n");
    CHECK_THAT(r.err, Catch::StartsWith("ripple: HEAD vs master (default branch, "));
  }
  SECTION("origin/main before main, origin/HEAD before both") {
    TempDir remote;
    run_git("init -q --bare -b main", remote.path());
    repo.git("remote add origin " + shell_quote(remote.path()));
    repo.git("push -q origin main~1:refs/heads/main");
    repo.git("fetch -q origin");
    auto r = repo.ripple("affected");
    INFO(r.err);
    CHECK(r.out == "lib\napi\nweb\n");
    CHECK_THAT(r.err, Catch::StartsWith("ripple: HEAD vs origin/main (default branch, "));

    repo.git("remote set-head origin main");
    auto h = repo.ripple("affected");
    CHECK(h.out == "lib\napi\nweb\n");
    CHECK_THAT(h.err, Catch::StartsWith("ripple: HEAD vs origin/HEAD (default branch, "));
  }
  SECTION("none of them") {
    repo.git("branch -q -D main");
    auto r = repo.ripple("affected");
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("--base"));
    CHECK_THAT(r.err, Catch::Contains("base:"));
  }
}

// Regression: the workspace's prefix inside the work tree once went to libgit2 as a pathspec,
// which is a glob, so a directory named with `[`, `*` or `?` matched nothing and every change
// was silently missed.
TEST_CASE("affected: a workspace in a subdirectory whose name has glob characters") {
  for (const std::string dir : {"ws [v2]", "w*s", "w?s"}) {
    INFO(dir);
    GitRepo repo;
    repo.write(dir + "/ripple.yaml", "version: 1\nbase: main\nservices: [services/*]\n");
    repo.write(dir + "/services/api/service.yaml", "");
    repo.write(dir + "/services/api/main.go", "package main\n");
    repo.commit("base");
    repo.git("checkout -q -b feature");
    repo.write(dir + "/services/api/main.go", "package main // changed\n");
    repo.commit("change api");
    auto r = repo.ripple("affected", dir);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "api\n");
    repo.write(dir + "/services/api/new.go", "untracked\n");
    auto json = repo.ripple("affected --format json", dir);
    REQUIRE(json.exit_code == 0);
    auto doc = nlohmann::json::parse(json.out);
    CHECK(doc == nlohmann::json::parse(R"([{"name": "api", "dir": "services/api",
        "reason": "changed", "because": ["services/api/main.go", "services/api/new.go"],
        "more": 0}])"));
  }
}

// A service whose directory moves but whose name stays (name: in service.yaml) is reported once,
// for its new directory, not also as removed.
TEST_CASE("affected: a service moved to another directory is not also reported as removed") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("services/web/service.yaml", "name: web\ndeps: [api]\n");
  repo.commit("name web");
  repo.git("branch -f main HEAD");
  repo.git("mv services/web libs/web");
  repo.commit("move web");
  CHECK(affected(repo) == "web\n");
  auto doc = affected_json(repo);
  REQUIRE(doc.size() == 1);
  CHECK(doc[0]["name"] == "web");
  CHECK(doc[0]["dir"] == "libs/web");
  CHECK(doc[0]["reason"] == "config");
  CHECK(affected(repo, "--format github-matrix") ==
        "{\"include\":[{\"service\":\"web\",\"dir\":\"libs/web\"}]}\n");
}

TEST_CASE("affected: a linked work tree (git worktree add) works") {
  GitRepo repo;
  small_workspace_on_feature(repo);
  repo.write("services/web/app.js", "2\n");
  repo.commit("change web");
  TempDir parent;
  const std::string wt = parent.path() + "/wt";
  repo.git("worktree add -q -b other " + shell_quote(wt) + " main");
  run_shell("printf 'package main // wt\\n' > services/api/main.go", wt);
  auto r = run_ripple("affected", wt);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "api\nweb\n");
  CHECK(affected(repo) == "web\n");  // the main work tree is unaffected by the linked one
}

namespace {

// A repository to use as a submodule, with one commit.
struct SubmoduleSource {
  TempDir dir;
  SubmoduleSource() {
    run_git("init -q -b main", dir.path());
    dir.write("lib.c", "int x;\n");
    dir.write("src/more.c", "int y;\n");
    run_git("add -A", dir.path());
    run_git("commit -q -m sub", dir.path());
  }
};

void add_submodule(const GitRepo& repo, const SubmoduleSource& sub, const std::string& at) {
  repo.git("-c protocol.file.allow=always submodule add -q " + shell_quote(sub.dir.path()) + " " +
           at);
}

}  // namespace

// A submodule's checkout is its own repository: never walked as untracked files, compared by
// its checked-out commit.
TEST_CASE("affected: a submodule's checked-out files are not untracked changes") {
  SubmoduleSource sub;
  GitRepo repo;
  write_small_workspace(repo);
  add_submodule(repo, sub, "services/web/vendor/sub");
  repo.commit("base with a submodule");
  repo.git("checkout -q -b feature");
  REQUIRE(repo.git("status --porcelain").empty());
  auto r = repo.ripple("affected --files");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, !Catch::Contains("vendor/sub/lib.c"));
  repo.write("services/api/main.go", "package main // changed\n");
  CHECK(affected(repo) == "api\nweb\n");
  CHECK(affected_json(repo)[1]["reason"] == "dependency");
  // A submodule checked out at another commit, not yet staged, is a change of its service
  // (git status:  M services/web/vendor/sub).
  repo.git("checkout -q -- services/api/main.go");
  const std::string sub_dir = repo.path() + "/services/web/vendor/sub";
  run_shell("printf 'int x = 2;\\n' > lib.c", sub_dir);
  run_git("commit -q -am bump", sub_dir);
  CHECK(affected(repo) == "web\n");
}

// A submodule (gitlink) added, moved to another commit or removed between the merge-base and
// HEAD is a change of the service holding it.
TEST_CASE("affected: a committed submodule change affects the service holding it") {
  SubmoduleSource sub;
  GitRepo repo;
  small_workspace_on_feature(repo);
  add_submodule(repo, sub, "services/api/vendor/sub");
  repo.commit("add a submodule to api");
  // --no-uncommitted: only the commits count here.
  CHECK(affected(repo, "--no-uncommitted") == "api\nweb\n");
  repo.git("branch -f main HEAD");
  const std::string sub_dir = repo.path() + "/services/api/vendor/sub";
  run_shell("printf 'int x = 2;\\n' > lib.c", sub_dir);
  run_git("commit -q -am bump", sub_dir);
  repo.git("add services/api/vendor/sub");
  CHECK(affected(repo, "--no-uncommitted").empty());
  CHECK(affected(repo) == "api\nweb\n");  // staged bump
  repo.commit("bump the submodule");
  CHECK(affected(repo, "--no-uncommitted") == "api\nweb\n");
  auto doc = affected_json(repo, "--no-uncommitted");
  REQUIRE(doc.size() == 2);
  CHECK(doc[0]["because"] == nlohmann::json::array({"services/api/vendor/sub"}));
}
