// The compose rule on a 20-service repository with git history and no ripple config
// (issue 15's end-to-end case): one block edited affects one service; a .env variable two builds
// use affects those two; an unused variable none; a shared pb/ directory five Dockerfiles copy
// affects those five.

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/git_repo.h"

using ripple::testing::GitRepo;

namespace {

std::string name_of(int i) { return (i < 10 ? "s0" : "s") + std::to_string(i); }

// s01..s20, each built from the root context with its own Dockerfile; s01..s05 copy pb/; s03 and
// s07 take SHARED_VERSION from .env as a build arg; s11 its own OWN_FLAG.
std::string compose_file(const std::string& extra_for_s12 = "") {
  std::string out = "x-defaults: &defaults\n  restart: unless-stopped\n\nservices:\n";
  for (int i = 1; i <= 20; ++i) {
    const std::string name = name_of(i);
    out += "  " + name +
           ":\n    <<: *defaults\n    build:\n      context: .\n      dockerfile: src/" + name +
           "/Dockerfile\n";
    if (i == 3 || i == 7) {
      out += "      args: { VERSION: \"${SHARED_VERSION}\" }\n";
    }
    if (i == 11) {
      out += "      args: { FLAG: \"${OWN_FLAG:-off}\" }\n";
    }
    if (i == 12) {
      out += extra_for_s12;
    }
    out += "    image: shop/" + name + ":${TAG:-dev}\n";
  }
  out += "  db:\n    image: postgres:16\n";
  return out;
}

void write_repo(const GitRepo& repo) {
  repo.write("compose.yaml", compose_file());
  repo.write(".env", "SHARED_VERSION=1.0\nOWN_FLAG=on\nUNUSED=1\nTAG=dev\n");
  repo.write("pb/shop.proto", "syntax = \"proto3\";\n");
  for (int i = 1; i <= 20; ++i) {
    const std::string name = name_of(i);
    std::string dockerfile = "FROM scratch\nCOPY src/" + name + " /app\n";
    if (i <= 5) {
      dockerfile += "COPY pb /pb\n";
    }
    repo.write("src/" + name + "/Dockerfile", dockerfile);
    repo.write("src/" + name + "/main.go", "package main // " + name + "\n");
  }
  repo.write(".gitignore", ".ripple/\n");
}

std::string affected(const GitRepo& repo) {
  auto r = repo.ripple("affected --base main");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE(
    "compose, 20 services: blocks, .env variables and a shared directory each affect "
    "exactly their services") {
  GitRepo repo;
  write_repo(repo);
  repo.commit("base");
  repo.write("README.md", "# shop\n");
  repo.commit("readme");  // history: the base is not the root commit
  repo.git("checkout -q -b feature");

  auto graph = repo.ripple("graph");
  REQUIRE(graph.exit_code == 0);
  std::string all;
  for (int i = 1; i <= 20; ++i) {
    all += name_of(i) + "\n";
  }
  CHECK(graph.out == all);  // db builds nothing: no service

  // One block edited: that service.
  repo.write("compose.yaml", compose_file("      target: runtime\n"));
  CHECK(affected(repo) == "s12\n");
  repo.git("checkout -q -- compose.yaml");

  // A variable two builds use: those two.
  repo.write(".env", "SHARED_VERSION=1.1\nOWN_FLAG=on\nUNUSED=1\nTAG=dev\n");
  CHECK(affected(repo) == "s03\ns07\n");
  // An unused variable: none.
  repo.write(".env", "SHARED_VERSION=1.0\nOWN_FLAG=on\nUNUSED=2\nTAG=dev\n");
  CHECK(affected(repo).empty());
  // The image tag every block names: all twenty.
  repo.write(".env", "SHARED_VERSION=1.0\nOWN_FLAG=on\nUNUSED=1\nTAG=v2\n");
  CHECK(affected(repo) == all);
  repo.git("checkout -q -- .env");

  // The shared pb/ the first five Dockerfiles copy: those five.
  repo.write("pb/shop.proto", "syntax = \"proto3\";\nmessage Cart {}\n");
  CHECK(affected(repo) == "s01\ns02\ns03\ns04\ns05\n");
  repo.commit("proto");  // committed on the branch: the same answer from the history
  CHECK(affected(repo) == "s01\ns02\ns03\ns04\ns05\n");
}
