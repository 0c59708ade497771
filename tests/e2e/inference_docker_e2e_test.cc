// The dockerfile and skaffold rules end to end (docs/inference.md): real git repositories. A
// Compose build reads what its .dockerignore lets through; any service's Dockerfile adds what it
// copies from outside the service and the images it builds on; skaffold.yaml artifacts are
// services, `requires` their edges.

#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/support/affected_after.h"
#include "tests/support/git_repo.h"

using ripple::testing::affected_after;
using ripple::testing::GitRepo;

namespace {

void write_ignore_repo(const GitRepo& repo) {
  repo.write("compose.yaml", R"(services:
  web:
    build: ./src/web
  pay:
    build: { context: ., dockerfile: src/pay/Dockerfile }
)");
  repo.write("src/web/Dockerfile", "FROM node:20\nCOPY . .\n");
  repo.write("src/web/.dockerignore", "# docs stay out\n*.md\n!README.md\ntmp/\n");
  repo.write("src/web/index.js", "1\n");
  repo.write("src/web/README.md", "web\n");
  repo.write("src/web/NOTES.md", "notes\n");
  repo.write("src/web/docs/GUIDE.md", "guide\n");
  repo.write("src/web/tmp/cache.bin", "0\n");
  // A root context narrowed by the Dockerfile's own ignore file (BuildKit takes it first).
  repo.write("src/pay/Dockerfile", "FROM python:3\nCOPY . /app\n");
  repo.write("src/pay/Dockerfile.dockerignore", "*\n!src/pay\n!pb\nsrc/pay/*.log\n");
  repo.write(".dockerignore", "\n");
  repo.write("src/pay/app.py", "1\n");
  repo.write("src/pay/debug.log", "1\n");
  repo.write("pb/pay.proto", "1\n");
  repo.write("notes/todo.txt", "1\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
}

}  // namespace

TEST_CASE("dockerignore: a file a Compose build's .dockerignore leaves out affects nothing") {
  GitRepo repo;
  write_ignore_repo(repo);
  CHECK(affected_after(repo, "src/web/NOTES.md", "edited\n") == "");
  CHECK(affected_after(repo, "src/web/tmp/cache.bin", "1\n") == "");
  CHECK(affected_after(repo, "src/pay/debug.log", "2\n") == "");
  CHECK(affected_after(repo, "notes/todo.txt", "2\n") == "");
  // Anchored at the context: docs/GUIDE.md is not "*.md".
  CHECK(affected_after(repo, "src/web/docs/GUIDE.md", "edited\n") ==
        "web: changed (src/web/docs/GUIDE.md)\n");
  CHECK(affected_after(repo, "src/web/README.md", "edited\n") ==
        "web: changed (src/web/README.md)\n");
  CHECK(affected_after(repo, "src/web/index.js", "2\n") == "web: changed (src/web/index.js)\n");
  CHECK(affected_after(repo, "pb/pay.proto", "2\n") == "pay: changed (pb/pay.proto)\n");
}

TEST_CASE("dockerignore: an edit to the effective .dockerignore or the Dockerfile affects it") {
  GitRepo repo;
  write_ignore_repo(repo);
  CHECK(affected_after(repo, "src/web/.dockerignore", "*.md\n") ==
        "web: changed (src/web/.dockerignore)\n");
  CHECK(affected_after(repo, "src/pay/Dockerfile.dockerignore", "*\n!src/pay\n") ==
        "pay: changed (src/pay/Dockerfile.dockerignore)\n");
  // The root .dockerignore is not pay's: its Dockerfile's own ignore file wins.
  CHECK(affected_after(repo, ".dockerignore", "*.txt\n") == "");
  // Even a .dockerignore that lists the Dockerfile and itself.
  repo.git("checkout -q main");
  repo.write("src/web/.dockerignore", "*\n!index.js\n");
  repo.commit("ignore all");
  CHECK(affected_after(repo, "src/web/Dockerfile", "FROM node:22\nCOPY . .\n") ==
        "web: changed (src/web/Dockerfile)\n");
  CHECK(affected_after(repo, "src/web/.dockerignore", "*\n") ==
        "web: changed (src/web/.dockerignore)\n");
}

TEST_CASE("dockerignore: a Compose build another rule also finds keeps its whole directory") {
  GitRepo repo;
  write_ignore_repo(repo);
  repo.git("checkout -q main");
  repo.write("package.json", R"({ "private": true, "workspaces": ["src/*"] })");
  repo.write("src/web/package.json", R"({ "name": "web" })");
  repo.commit("web is a package too");
  CHECK(affected_after(repo, "src/web/NOTES.md", "edited\n") ==
        "web: changed (src/web/NOTES.md)\n");
}

TEST_CASE("dockerfile: a service.yaml service's Dockerfile adds what it copies and builds on") {
  GitRepo repo;
  repo.write("ripple.yaml",
             "version: 1\nservices: [services/*]\nimages: { registry: registry.example.com }\n");
  repo.write("services/api/service.yaml", "image: { context: ../.. }\n");
  repo.write("services/api/Dockerfile",
             "FROM registry.example.com/shop/base:1 AS build\nCOPY shared/ /shared/\n"
             "COPY services/api /app\nCOPY missing.txt /x\n");
  repo.write("services/api/main.go", "package main\n");
  repo.write("services/base/service.yaml", "image: { name: shop/base }\n");
  repo.write("services/base/Dockerfile", "FROM debian:12\n");
  // A bare Dockerfile in a service's directory is read too (its context: the directory).
  // What a task makes is no missing source (`COPY dist/` after the build).
  repo.write("services/tool/service.yaml",
             "tasks: { build: { run: make, outputs: [\"dist/**\"] } }\n");
  repo.write("services/tool/Dockerfile",
             "FROM debian:12\nCOPY --from=shop/base /x /x\nCOPY dist/ /app/\n");
  repo.write("shared/lib.txt", "1\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
  auto r = repo.ripple("graph --explain");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("-> base  (services/api/Dockerfile:1:1)"));
  CHECK_THAT(r.out, Catch::Contains("-> base  (services/tool/Dockerfile:2:1)"));
  CHECK_THAT(r.out, Catch::Contains("inputs: ** ../../shared ../../shared/**"));
  CHECK_THAT(r.err, Catch::Contains("services/api/Dockerfile:4:1: 'missing.txt' does not exist "
                                    "in the build context (the workspace root)"));
  CHECK_THAT(r.err, !Catch::Contains("'dist' does not exist"));
  CHECK(affected_after(repo, "shared/lib.txt", "2\n") == "api: changed (shared/lib.txt)\n");
  CHECK(affected_after(repo, "services/base/Dockerfile", "FROM debian:13\n") ==
        "base: changed (services/base/Dockerfile)\n"
        "api: dependency → base (services/base/Dockerfile changed)\n"
        "tool: dependency → base (services/base/Dockerfile changed)\n");
}

TEST_CASE("dockerfile: an image's build args choose what its Dockerfile copies") {
  GitRepo repo;
  repo.write("ripple.yaml", "version: 1\nservices: [services/*]\n");
  repo.write("services/api/service.yaml",
             "image: { context: ../.., build_args: { PROTO_DIR: proto/v2 } }\n");
  repo.write("services/api/Dockerfile",
             "FROM debian:12\nARG PROTO_DIR=proto/v1\nCOPY ${PROTO_DIR} /proto/\n");
  repo.write("proto/v1/a.proto", "1\n");
  repo.write("proto/v2/a.proto", "1\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
  // Past the racy window, so that what the Dockerfile gave is remembered in the snapshot.
  sleep(3);
  CHECK(affected_after(repo, "proto/v2/a.proto", "2\n") == "api: changed (proto/v2/a.proto)\n");
  CHECK(affected_after(repo, "proto/v1/a.proto", "2\n").empty());
  // The arg changed: what was read with the old one is not taken from the snapshot.
  repo.git("checkout -q main");
  repo.write("services/api/service.yaml",
             "image: { context: ../.., build_args: { PROTO_DIR: proto/v1 } }\n");
  repo.commit("v1");
  CHECK(affected_after(repo, "proto/v1/a.proto", "3\n") == "api: changed (proto/v1/a.proto)\n");
}

TEST_CASE("dockerfile: with the dockerfile rule out of discover:, no Dockerfile is read") {
  GitRepo repo;
  repo.write("ripple.yaml", "version: 1\nservices: [services/*]\ndiscover: [compose]\n");
  repo.write("services/api/service.yaml", "image: { context: ../.. }\n");
  repo.write("services/api/Dockerfile", "FROM debian:12\nCOPY shared/ /shared/\n");
  repo.write("shared/lib.txt", "1\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
  CHECK(affected_after(repo, "shared/lib.txt", "2\n") == "");
}

TEST_CASE("skaffold: each artifact is a service, and requires is an edge") {
  GitRepo repo;
  repo.write("skaffold.yaml", R"(apiVersion: skaffold/v4beta6
kind: Config
build:
  artifacts:
    - image: gcr.io/shop/base
      context: images/base
---
apiVersion: skaffold/v4beta6
kind: Config
build:
  artifacts:
    - image: gcr.io/shop/app
      context: src/app
      docker: { dockerfile: deploy/Dockerfile }
      requires:
        - image: gcr.io/shop/base
          alias: BASE
)");
  repo.write("images/base/Dockerfile", "FROM debian:12\n");
  repo.write("src/app/deploy/Dockerfile", "ARG BASE\nFROM $BASE\nCOPY . .\n");
  repo.write("src/app/main.py", "1\n");
  repo.write("src/app/.dockerignore", "*.md\n");
  repo.write("src/app/NOTES.md", "1\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
  auto r = repo.ripple("graph --explain");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("base  images/base  (skaffold.yaml:5:14)"));
  CHECK_THAT(r.out, Catch::Contains("app  src/app  (skaffold.yaml:12:14)\n"
                                    "  -> base  (skaffold.yaml:16:18)"));
  CHECK(affected_after(repo, "images/base/Dockerfile", "FROM debian:13\n") ==
        "base: changed (images/base/Dockerfile)\n"
        "app: dependency → base (images/base/Dockerfile changed)\n");
  CHECK(affected_after(repo, "src/app/NOTES.md", "2\n") == "");
  CHECK(affected_after(repo, "src/app/main.py", "2\n") == "app: changed (src/app/main.py)\n");
}

TEST_CASE("skaffold: a skaffold.yaml of the wrong shape is exit 2 at file:line:col") {
  GitRepo repo;
  repo.write("skaffold.yaml",
             "apiVersion: skaffold/v4beta6\nbuild:\n  artifacts:\n    - docker: {}\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
  auto r = repo.ripple("graph");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("ripple: error: skaffold.yaml:4:7: an artifact needs an "
                                      "'image'"));
}
