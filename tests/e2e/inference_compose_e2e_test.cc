// The compose rule end to end (docs/inference.md): a real git repository with a Compose file and
// a .env, no ripple config. Each built service is a service; an edit to one service's block of
// compose.yaml, or to a .env variable its block uses, affects exactly that service.

#include <catch2/catch.hpp>

#include "tests/support/affected_after.h"
#include "tests/support/git_repo.h"

using ripple::testing::affected_after;
using ripple::testing::GitRepo;

namespace {

const std::string kCompose = R"(x-common: &common
  restart: unless-stopped
  labels: { team: shop }

services:
  cart:
    <<: *common
    build: ./src/cart
    image: shop/cart:${CART_TAG:-dev}
  web:
    build:
      context: ./src/web
      args:
        NODE_VERSION: ${NODE_VERSION}
    depends_on: [cart]
  pay:
    build: { context: ., dockerfile: src/pay/Dockerfile }
  worker:
    <<: *common
    build: { context: ., dockerfile: src/worker/Dockerfile }
    depends_on: [pay]
  redis:
    image: redis:7
)";

// kCompose with `from` (which must be in it) replaced by `to`.
std::string compose_with(const std::string& from, const std::string& to) {
  std::string out = kCompose;
  const std::size_t at = out.find(from);
  REQUIRE(at != std::string::npos);
  return out.replace(at, from.size(), to);
}

void write_compose_repo(const GitRepo& repo) {
  repo.write("compose.yaml", kCompose);
  repo.write(".env", "NODE_VERSION=20\nCART_TAG=1.0\nUNUSED=1\n");
  repo.write("src/cart/Dockerfile", "FROM golang:1.22\nCOPY . .\n");
  repo.write("src/cart/main.go", "package main\n");
  repo.write("src/web/Dockerfile", "FROM node:20\nCOPY . .\n");
  repo.write("src/web/index.js", "1\n");
  repo.write("src/pay/Dockerfile", "FROM python:3\nCOPY src/pay /app\n");
  repo.write("src/pay/app.py", "1\n");
  repo.write("src/worker/Dockerfile", "FROM python:3\nCOPY src/worker /app\n");
  repo.write("src/worker/job.py", "1\n");
  repo.write(".gitignore", ".ripple/\n");
}

}  // namespace

TEST_CASE(
    "compose: each built service is a service, in its context or its Dockerfile's directory") {
  GitRepo repo;
  write_compose_repo(repo);
  repo.commit("base");
  auto r = repo.ripple("graph");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // depends_on is start order, not an edge; redis (no build) is no service.
  CHECK(r.out == "cart\npay\nweb\nworker\n");
  CHECK(affected_after(repo, "src/cart/main.go", "package main // 2\n") ==
        "cart: changed (src/cart/main.go)\n");
  CHECK(affected_after(repo, "src/worker/job.py", "2\n") ==
        "worker: changed (src/worker/job.py)\n");
}

TEST_CASE("compose: editing one service's block of compose.yaml affects that service only") {
  GitRepo repo;
  write_compose_repo(repo);
  repo.commit("base");
  std::string edited =
      compose_with("        NODE_VERSION: ${NODE_VERSION}\n",
                   "        NODE_VERSION: ${NODE_VERSION}\n        EXTRA: \"1\"\n");
  // And a block that builds nothing: no service's part.
  edited.replace(edited.find("image: redis:7"), 14, "image: redis:7.2");
  CHECK(affected_after(repo, "compose.yaml", edited) == "web: changed (compose.yaml)\n");
}

TEST_CASE("compose: an extension block two services merge affects both") {
  GitRepo repo;
  write_compose_repo(repo);
  repo.commit("base");
  const std::string edited = compose_with("restart: unless-stopped", "restart: always");
  CHECK(affected_after(repo, "compose.yaml", edited) ==
        "cart: changed (compose.yaml)\nworker: changed (compose.yaml)\n");
}

TEST_CASE("compose: a .env variable affects exactly the services whose block uses it") {
  GitRepo repo;
  write_compose_repo(repo);
  repo.commit("base");
  CHECK(affected_after(repo, ".env", "NODE_VERSION=22\nCART_TAG=1.0\nUNUSED=1\n") ==
        "web: changed (.env)\n");
  CHECK(affected_after(repo, ".env", "NODE_VERSION=20\nCART_TAG=1.1\nUNUSED=1\n") ==
        "cart: changed (.env)\n");
  CHECK(affected_after(repo, ".env", "NODE_VERSION=20\nCART_TAG=1.0\nUNUSED=2\n").empty());
}

TEST_CASE("compose: a required variable that is unset is exit 2 naming it and the line") {
  GitRepo repo;
  write_compose_repo(repo);
  repo.write("compose.yaml", "services:\n  api:\n    build: ./src/${API_DIR:?set API_DIR}\n");
  repo.commit("base");
  auto r = repo.ripple("graph");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("ripple: error: compose.yaml:3:12: variable API_DIR is "
                                      "required: set API_DIR"));
}

TEST_CASE(
    "compose: a shared directory the Dockerfiles copy affects exactly the services whose "
    "Dockerfile copies it") {
  GitRepo repo;
  std::string compose = "services:\n";
  for (const char* name : {"ads", "cart", "checkout", "email", "quote", "shipping"}) {
    compose += std::string("  ") + name + ":\n    build: { context: ., dockerfile: src/" + name +
               "/Dockerfile }\n";
    const bool uses_pb = std::string(name) != "shipping";
    repo.write(std::string("src/") + name + "/Dockerfile", std::string("FROM alpine\n") +
                                                               (uses_pb ? "COPY pb/ /pb/\n" : "") +
                                                               "COPY src/" + name + " /app\n");
    repo.write(std::string("src/") + name + "/main.txt", "1\n");
  }
  repo.write("compose.yaml", compose);
  repo.write("pb/demo.proto", "syntax = \"proto3\";\n");
  repo.write("README.md", "# demo\n");
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("pb/demo.proto", "syntax = \"proto3\"; // changed\n");
  repo.commit("change pb");
  auto r = repo.ripple("affected --base main");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "ads\ncart\ncheckout\nemail\nquote\n");

  repo.write("README.md", "# demo, changed\n");  // copied by nobody
  repo.write("src/shipping/Dockerfile", "FROM alpine\nCOPY src/shipping /app\nCOPY README.md /\n");
  repo.commit("shipping copies the readme");
  auto both = repo.ripple("affected --base main --explain");
  INFO(both.err);
  REQUIRE(both.exit_code == 0);
  CHECK_THAT(both.out, Catch::Contains("shipping: changed (README.md, src/shipping/Dockerfile)"));
}

TEST_CASE(
    "compose: a Compose service named like a declared one elsewhere is a clear error with both "
    "fixes") {
  GitRepo repo;
  repo.write("ripple.yaml", "services: [services/*]\n");
  repo.write("services/web/service.yaml", "");
  repo.write("compose.yaml", "services:\n  web:\n    build: ./docker/web\n");
  repo.write("docker/web/Dockerfile", "FROM nginx\n");
  repo.commit("base");
  auto r = repo.ripple("graph");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("duplicate service name 'web': both "));
  CHECK_THAT(r.err, Catch::Contains("docker/web (read from compose.yaml)"));
  CHECK_THAT(r.err, Catch::Contains("leave the rule that found it out of 'discover:'"));

  repo.write("ripple.yaml", "services: [services/*]\ndiscover: [node]\n");
  auto without = repo.ripple("graph");
  INFO(without.err);
  CHECK(without.exit_code == 0);
  CHECK(without.out == "web\n");
}

TEST_CASE("graph --explain: every service and dependency with the file and line it came from") {
  GitRepo repo;
  repo.write("package.json", R"({"name": "root", "workspaces": ["packages/*"]})");
  repo.write("packages/ui/package.json", "{\n  \"name\": \"@acme/ui\"\n}\n");
  repo.write(
      "packages/web/package.json",
      "{\n  \"name\": \"@acme/web\",\n  \"dependencies\": {\n    \"@acme/ui\": \"*\"\n  }\n}\n");
  repo.write("compose.yaml",
             "services:\n  pay:\n    build: { context: ., dockerfile: src/pay/Dockerfile }\n");
  repo.write("src/pay/Dockerfile", "FROM alpine\nCOPY pb /pb\nCOPY src/pay /app\n");
  repo.write("pb/a.proto", "1\n");
  repo.commit("base");
  auto r = repo.ripple("graph --explain");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        "@acme/ui  packages/ui  (packages/ui/package.json:2:3)\n"
        "@acme/web  packages/web  (packages/web/package.json:2:3)\n"
        "  -> @acme/ui  (packages/web/package.json:4:5)\n"
        "pay  src/pay  (compose.yaml:2:3)\n"
        "  inputs: ** ../../pb ../../pb/**\n");
  auto json = repo.ripple("graph --explain --format json");
  CHECK(json.exit_code == 2);
  CHECK_THAT(json.err, Catch::Contains("--explain prints text"));
}

TEST_CASE("compose: a Dockerfile built FROM another service's image depends on that service") {
  GitRepo repo;
  repo.write("compose.yaml", R"(services:
  base:
    build: ./images/base
    image: shop/base:${BASE_TAG:-dev}
  api:
    build: ./src/api
  tool:
    build: ./src/tool
)");
  repo.write("images/base/Dockerfile", "FROM debian:12\nRUN apt-get update\n");
  repo.write("src/api/Dockerfile",
             "ARG TAG=dev\nFROM shop/base:${TAG} AS build\nCOPY . .\nFROM build\n");
  repo.write("src/tool/Dockerfile", "FROM debian:12\nCOPY --from=shop/base /etc/os-release /x\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
  auto r = repo.ripple("graph --explain");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("-> base  (src/api/Dockerfile:2:1)"));
  CHECK_THAT(r.out, Catch::Contains("-> base  (src/tool/Dockerfile:2:1)"));
  CHECK(affected_after(repo, "images/base/Dockerfile", "FROM debian:12.5\n") ==
        "base: changed (images/base/Dockerfile)\n"
        "api: dependency → base (images/base/Dockerfile changed)\n"
        "tool: dependency → base (images/base/Dockerfile changed)\n");
}
