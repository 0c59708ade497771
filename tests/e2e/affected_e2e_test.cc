// `ripple affected` on real git repositories made by the tests.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

// A small workspace: proto <- api <- web, lib (nested service libs/lib/inner), tools global,
// docs ignored.
void write_small_workspace(const GitRepo& repo) {
  repo.write("ripple.yaml",
             "version: 1\nbase: main\nservices: [services/*, libs/*, libs/*/*]\n"
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
