// Parts of shared files in explicit config (docs/config.md, `inputs:` with `FILE#PART`): a
// service that names its block of compose.yaml and its .env variables is affected by an edit to
// them, not by one to another service's block or variable, and its task keys follow the same.

#include <catch2/catch.hpp>

#include "tests/support/git_repo.h"

using ripple::testing::GitRepo;

namespace {

void write_repo(const GitRepo& repo) {
  // The rules off: compose.yaml and .env are read only as the service.yaml files say.
  repo.write("ripple.yaml",
             "services: [services/*]\ndiscover: []\ntasks:\n  build: { run: \"true\" }\n");
  repo.write("services/cart/service.yaml",
             "inputs: [\"**\", \"../../compose.yaml#services.cart\", \"../../.env#CART_*\"]\n");
  repo.write("services/cart/main.go", "package main\n");
  repo.write("services/web/service.yaml",
             "inputs: [\"**\", \"../../compose.yaml#services.web\"]\n");
  repo.write("services/web/index.js", "1\n");
  repo.write("compose.yaml",
             "services:\n  cart:\n    build: ./services/cart\n    image: shop/cart:${CART_TAG}\n"
             "  web:\n    build: ./services/web\n");
  repo.write(".env", "CART_TAG=1\nWEB_PORT=80\n");
  repo.write(".gitignore", ".ripple/\n");
}

std::string affected(const GitRepo& repo) {
  auto r = repo.ripple("affected --base HEAD");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("explicit parts: a service's block and variables affect it, others' do not") {
  GitRepo repo;
  write_repo(repo);
  repo.commit("base");
  const std::string keys = repo.ripple("run build --all --dry-run").out;

  repo.write("compose.yaml",
             "services:\n  cart:\n    build: ./services/cart\n    image: shop/cart:${CART_TAG}\n"
             "  web:\n    build: ./services/web\n    ports: [\"80:80\"]\n");
  CHECK(affected(repo) == "web\n");
  repo.git("checkout -q -- compose.yaml");

  // Only the layout of cart's block: no change.
  repo.write("compose.yaml",
             "services:\n  cart: { image: \"shop/cart:${CART_TAG}\", build: ./services/cart }\n"
             "  web:\n    build: ./services/web\n");
  CHECK(affected(repo).empty());
  CHECK(repo.ripple("run build --all --dry-run").out == keys);
  repo.git("checkout -q -- compose.yaml");

  repo.write(".env", "CART_TAG=2\nWEB_PORT=80\n");
  CHECK(affected(repo) == "cart\n");
  const std::string moved = repo.ripple("run build --all --dry-run").out;
  CHECK(moved != keys);
  repo.write(".env", "CART_TAG=1\nWEB_PORT=8080\n");
  CHECK(affected(repo).empty());  // no service names WEB_PORT
  repo.write(".env", "CART_TAG=1\nWEB_PORT=80\nCART_NEW=x\n");
  CHECK(affected(repo) == "cart\n");  // a new variable the glob matches
}

TEST_CASE("explicit parts: a part outside the workspace or without a selector is exit 2") {
  GitRepo repo;
  write_repo(repo);
  repo.write("services/web/service.yaml", "inputs: [\"**\", \"../../compose.yaml#\"]\n");
  repo.commit("base");
  auto r = repo.ripple("graph");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("services/web/service.yaml:1:") &&
                        Catch::Contains("a part is 'FILE#PART'"));
  repo.write("services/web/service.yaml", "inputs: [\"../../../x.yaml#a\"]\n");
  r = repo.ripple("graph");
  CHECK(r.exit_code == 2);
}
