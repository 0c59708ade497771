// `ripple init` end to end (docs/cli.md, ripple init), and the warning for build manifests no
// service owns (docs/inference.md): real git repositories, the real binary.

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/git_repo.h"

using ripple::testing::GitRepo;

namespace {

// An npm workspace (ui ← web, docs alone) whose web app and an api are also built by Compose.
void write_workspace(const GitRepo& repo) {
  repo.write("package.json", R"({
  "name": "acme",
  "private": true,
  "workspaces": ["packages/*", "apps/*"]
}
)");
  repo.write("packages/ui/package.json", R"({
  "name": "@acme/ui",
  "scripts": { "build": "tsc", "test": "jest", "dev": "tsc -w" }
}
)");
  repo.write("packages/ui/src/button.js", "export const button = 1;\n");
  repo.write("apps/web/package.json", R"({
  "name": "@acme/web",
  "scripts": { "build": "next build", "lint": "eslint ." },
  "dependencies": { "@acme/ui": "*" }
}
)");
  repo.write("apps/web/Dockerfile", "FROM node:20\nCOPY . .\n");
  repo.write("apps/web/main.js", "1\n");
  repo.write("apps/docs/package.json", R"({ "name": "docs" })");
  repo.write("services/api/Dockerfile", "FROM golang:1.22\nCOPY . .\n");
  repo.write("services/api/main.go", "package main\n");
  repo.write("compose.yaml", R"(services:
  web:
    build: ./apps/web
  api:
    build: ./services/api
  redis:
    image: redis:7
)");
  repo.write(".gitignore", ".ripple/\n");
}

std::string ok(const GitRepo& repo, const std::string& args) {
  auto r = repo.ripple(args);
  INFO(args << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("init: writes a ripple.yaml that loads and gives the same graph and affected") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("packages/ui/src/button.js", "export const button = 2;\n");
  repo.commit("change ui");
  // --head HEAD: the new, uncommitted ripple.yaml is no change of its own.
  const std::string affected = ok(repo, "affected --base main --head HEAD");
  REQUIRE(affected == "@acme/ui\nweb\n");
  const std::string graph = ok(repo, "graph");
  const std::string explain = ok(repo, "graph --explain");

  auto r = repo.ripple("init");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == explain);  // what inference found, as graph --explain prints it
  CHECK_THAT(r.err, Catch::Contains("wrote " + repo.path() +
                                    "/ripple.yaml: 4 services, found by "
                                    "compose, dockerfile, node"));
  const std::string written = repo.read("ripple.yaml");
  CHECK_THAT(written, Catch::Contains("discover:\n  - compose"));
  CHECK_THAT(written, Catch::Contains("\n  - dockerfile"));
  CHECK_THAT(written, Catch::Contains("\n  - node"));
  CHECK_THAT(written, Catch::Contains("\n  # - go"));
  CHECK_THAT(written, Catch::Contains(
                          "  build: { script: build, deps: [\"^build\"], outputs: [\"dist/**\"] }\n"
                          "  test: { script: test, deps: [build] }\n"
                          "  lint: { script: lint }\n"));
  CHECK_THAT(written, Catch::Contains("  dir: .ripple/cache\n"));

  CHECK(ok(repo, "graph") == graph);
  CHECK(ok(repo, "graph --explain") == explain);
  CHECK(ok(repo, "affected --base main --head HEAD") == affected);
  // The templates it wrote make tasks: build where a package has the script, test only in ui.
  const nlohmann::json plan =
      nlohmann::json::parse(ok(repo, "run build test --all --dry-run=json"));
  std::vector<std::string> tasks;
  for (const auto& task : plan["tasks"]) {
    tasks.push_back(task["task"].get<std::string>());
  }
  std::sort(tasks.begin(), tasks.end());
  CHECK(tasks == std::vector<std::string>{"@acme/ui#build", "@acme/ui#test", "web#build"});
}

TEST_CASE("init: refuses to overwrite an existing ripple.yaml, naming it") {
  GitRepo repo;
  write_workspace(repo);
  repo.write("ripple.yaml", "version: 1\n");
  repo.commit("base");
  auto r = repo.ripple("init", "apps/web");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err,
             Catch::StartsWith("ripple: error: " + repo.path() + "/ripple.yaml already exists"));
  CHECK_THAT(r.err, Catch::Contains("--force"));
  CHECK(repo.read("ripple.yaml") == "version: 1\n");
}

TEST_CASE("init --force: overwrites ripple.yaml, keeping its services entries") {
  GitRepo repo;
  write_workspace(repo);
  repo.write("ripple.yaml", "version: 1\nservices: [\"tools/*\"]\n");
  repo.write("tools/gen/service.yaml", "name: gen\n");
  repo.commit("base");
  const std::string graph = ok(repo, "graph");
  REQUIRE_THAT(graph, Catch::Contains("gen"));
  auto r = repo.ripple("init --force");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string written = repo.read("ripple.yaml");
  CHECK_THAT(written, Catch::StartsWith("# ripple.yaml"));
  CHECK_THAT(written, Catch::Contains("services:\n  - \"tools/*\"\n"));
  CHECK(ok(repo, "graph") == graph);
}

TEST_CASE("init --stdout: prints the file, writes nothing") {
  GitRepo repo;
  write_workspace(repo);
  repo.commit("base");
  for (const char* flag : {"--stdout", "--dry-run"}) {
    auto r = repo.ripple(std::string("init ") + flag);
    INFO(flag << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith("# ripple.yaml"));
    CHECK_THAT(r.out, Catch::Contains("discover:\n  - compose"));
    CHECK_THAT(r.err, Catch::Contains("@acme/ui  packages/ui  (packages/ui/package.json"));
    // Not even ripple's state directory: nothing new in the work tree, ignored files included.
    CHECK(repo.git("status --porcelain --ignored").empty());
  }
  // With a ripple.yaml there, printing is still fine.
  repo.write("ripple.yaml", "version: 1\n");
  auto r = repo.ripple("init --stdout");
  CHECK(r.exit_code == 0);
  CHECK(repo.read("ripple.yaml") == "version: 1\n");
}

TEST_CASE("unowned manifests: a Dockerfile or package.json no service owns gets a warning") {
  GitRepo repo;
  write_workspace(repo);
  repo.write("tools/gen/package.json", R"({ "name": "gen" })");  // not in the workspaces
  repo.write("deploy/migrate/Dockerfile", "FROM alpine\n");      // built by nothing
  repo.commit("base");
  auto r = repo.ripple("affected --base main");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains(
                        "ripple: warning: deploy/migrate/Dockerfile: no service owns "
                        "deploy/migrate, so its changes affect nothing; add a service.yaml there "
                        "(listed under services: in ripple.yaml), or build it from compose.yaml "
                        "(build: ./deploy/migrate), or leave it out with ignore: "
                        "[\"deploy/migrate/**\"]\n"));
  CHECK_THAT(r.err, Catch::Contains("ripple: warning: tools/gen/package.json: no service owns "
                                    "tools/gen, so its changes affect nothing; add a service.yaml "
                                    "there (listed under services: in ripple.yaml), or add "
                                    "'tools/gen' to the workspaces of the root package.json"));
}

TEST_CASE("unowned manifests: none for owned ones, node_modules, hidden dirs or the root's") {
  GitRepo repo;
  write_workspace(repo);  // a root package.json, Dockerfiles in service directories
  repo.write("apps/web/e2e/package.json", R"({ "name": "web-e2e" })");  // inside web
  repo.write("node_modules/left-pad/package.json", R"({ "name": "left-pad" })");
  repo.write(".devcontainer/Dockerfile", "FROM ubuntu\n");
  repo.write("vendor/lib/go.mod", "module example.com/lib\n");
  repo.commit("base");
  auto r = repo.ripple("graph");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, !Catch::Contains("no service owns"));
}
