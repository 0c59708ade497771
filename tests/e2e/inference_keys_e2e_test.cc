// The shared files the inference rules read part by part are in the task keys (service_parts.h):
// after an edit to one Compose block, one .env variable or one package's dependencies in
// package-lock.json, `run` answers from the cache every task but the ones whose part changed,
// and --explain-misses names the part.

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/git_repo.h"

using ripple::testing::GitRepo;

namespace {

const std::string kRippleYaml = "tasks:\n  build:\n    run: \"true\"\n";

const std::string kCompose = R"(x-common: &common
  restart: unless-stopped

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
  worker:
    <<: *common
    build: { context: ., dockerfile: src/worker/Dockerfile }
)";

const std::string kDotenv = "NODE_VERSION=20\nCART_TAG=1.0\nUNUSED=1\n";

void write_compose_repo(const GitRepo& repo) {
  repo.write("ripple.yaml", kRippleYaml + "services: [src/cart]\n");
  repo.write("compose.yaml", kCompose);
  repo.write(".env", kDotenv);
  repo.write("src/cart/Dockerfile", "FROM golang:1.22\nCOPY . .\n");
  // A directory with a service.yaml keeps its name: Compose's `cart` is the service `basket`.
  repo.write("src/cart/service.yaml", "name: basket\n");
  repo.write("src/web/Dockerfile", "FROM node:20\nCOPY . .\n");
  repo.write("src/worker/Dockerfile", "FROM python:3\nCOPY src/worker /app\n");
  repo.write("src/worker/job.py", "1\n");
  repo.write(".gitignore", ".ripple/\n");
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// Each planned task's cache prediction ("hit" or "miss"), from `run --all --dry-run=json`.
std::map<std::string, std::string> predicted(const GitRepo& repo) {
  auto r = repo.ripple("run build --all --dry-run=json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::string> out;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  for (const auto& task : doc["tasks"]) {
    out[task["task"].get<std::string>()] = task["cache"].get<std::string>();
  }
  return out;
}

void build_all(const GitRepo& repo) {
  auto r = repo.ripple("run build --all");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("inference keys: a Compose block or a .env variable misses only the tasks of its users") {
  GitRepo repo;
  write_compose_repo(repo);
  repo.commit("base");
  build_all(repo);
  using Plan = std::map<std::string, std::string>;
  CHECK(predicted(repo) ==
        Plan{{"basket#build", "hit"}, {"web#build", "hit"}, {"worker#build", "hit"}});

  // web's block (uncommitted: keys read the work tree).
  repo.write("compose.yaml", replaced(kCompose, "        NODE_VERSION: ${NODE_VERSION}\n",
                                      "        NODE_VERSION: ${NODE_VERSION}\n"
                                      "        EXTRA: \"1\"\n"));
  CHECK(predicted(repo) ==
        Plan{{"basket#build", "hit"}, {"web#build", "miss"}, {"worker#build", "hit"}});
  auto r = repo.ripple("run build --all --explain-misses");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out + r.err, Catch::Contains("part compose.yaml#services.web: changed"));
  CHECK_THAT(r.out + r.err, !Catch::Contains("cache miss basket#build"));

  // The block two services merge: both.
  repo.write("compose.yaml", replaced(kCompose, "restart: unless-stopped", "restart: always"));
  CHECK(predicted(repo) ==
        Plan{{"basket#build", "miss"}, {"web#build", "hit"}, {"worker#build", "miss"}});
  repo.write("compose.yaml", kCompose);
  CHECK(predicted(repo) ==
        Plan{{"basket#build", "hit"}, {"web#build", "hit"}, {"worker#build", "hit"}});

  // A variable: its users only; a variable nobody uses: nothing.
  repo.write(".env", "NODE_VERSION=20\nCART_TAG=1.1\nUNUSED=1\n");
  CHECK(predicted(repo) ==
        Plan{{"basket#build", "miss"}, {"web#build", "hit"}, {"worker#build", "hit"}});
  r = repo.ripple("run build --all --explain-misses");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out + r.err, Catch::Contains("part .env#CART_TAG: changed"));
  repo.write(".env", "NODE_VERSION=20\nCART_TAG=1.1\nUNUSED=2\n");
  CHECK(predicted(repo) ==
        Plan{{"basket#build", "hit"}, {"web#build", "hit"}, {"worker#build", "hit"}});
  // Unset is not empty to Compose (`${CART_TAG-x}` would differ): the key says so too.
  repo.write(".env", "NODE_VERSION=20\nCART_TAG=\nUNUSED=2\n");
  build_all(repo);
  repo.write(".env", "NODE_VERSION=20\nUNUSED=2\n");
  CHECK(predicted(repo).at("basket#build") == "miss");
}

TEST_CASE(
    "inference keys: a package-lock.json bump misses the tasks of the packages that install it") {
  GitRepo repo;
  repo.write("ripple.yaml", kRippleYaml);
  repo.write("package.json", R"({ "name": "acme", "private": true, "workspaces": ["apps/*"] })");
  repo.write("apps/web/package.json",
             R"({ "name": "@acme/web", "dependencies": { "react": "^18.0.0" } })");
  repo.write("apps/api/package.json",
             R"({ "name": "@acme/api", "dependencies": { "express": "^4.0.0" } })");
  repo.write(".gitignore", ".ripple/\n");
  auto lock = [&](const std::string& react, const std::string& prettier) {
    repo.write("package-lock.json", R"({
  "name": "acme", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": { "name": "acme", "workspaces": ["apps/*"], "devDependencies": { "prettier": "^3.0.0" } },
    "apps/api": { "name": "@acme/api", "dependencies": { "express": "^4.0.0" } },
    "apps/web": { "name": "@acme/web", "dependencies": { "react": "^18.0.0" } },
    "node_modules/@acme/api": { "resolved": "apps/api", "link": true },
    "node_modules/@acme/web": { "resolved": "apps/web", "link": true },
    "node_modules/express": { "version": "4.19.2", "integrity": "sha512-e" },
    "node_modules/prettier": { "version": ")" +
                                        prettier + R"(", "dev": true },
    "node_modules/react": { "version": ")" +
                                        react + R"(", "integrity": "sha512-r" }
  }
}
)");
  };
  lock("18.2.0", "3.0.0");
  repo.commit("base");
  build_all(repo);
  using Plan = std::map<std::string, std::string>;
  CHECK(predicted(repo) == Plan{{"@acme/api#build", "hit"}, {"@acme/web#build", "hit"}});
  lock("18.3.1", "3.0.0");
  CHECK(predicted(repo) == Plan{{"@acme/api#build", "hit"}, {"@acme/web#build", "miss"}});
  auto r = repo.ripple("run build --all --explain-misses");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out + r.err, Catch::Contains("part package-lock.json#apps/web: changed"));
  lock("18.3.1", "3.1.0");  // the root's dev tool: no package's tree
  CHECK(predicted(repo) == Plan{{"@acme/api#build", "hit"}, {"@acme/web#build", "hit"}});
}

TEST_CASE(
    "inference keys: a pnpm-lock.yaml bump affects the package that resolves it and its "
    "dependents, and misses only their tasks") {
  GitRepo repo;
  // Builds that stand on their dependencies' builds, as Turborepo's `^build`.
  repo.write("ripple.yaml", "tasks:\n  build:\n    run: \"true\"\n    deps: [\"^build\"]\n");
  repo.write("package.json", R"({ "name": "acme", "private": true })");
  repo.write("pnpm-workspace.yaml", "packages:\n  - 'apps/*'\n  - 'packages/*'\n");
  repo.write("packages/ui/package.json",
             R"({ "name": "@acme/ui", "dependencies": { "lodash": "^4.17.0" } })");
  repo.write(
      "apps/web/package.json",
      R"({ "name": "@acme/web", "dependencies": { "@acme/ui": "workspace:*", "react": "^18.2.0" } })");
  repo.write("apps/api/package.json",
             R"({ "name": "@acme/api", "dependencies": { "express": "^4.19.0" } })");
  repo.write(".gitignore", ".ripple/\n");
  auto lock = [&](const std::string& react, const std::string& lodash) {
    repo.write("pnpm-lock.yaml", R"(lockfileVersion: '9.0'

importers:

  .: {}

  apps/api:
    dependencies:
      express:
        specifier: ^4.19.0
        version: 4.19.2

  apps/web:
    dependencies:
      '@acme/ui':
        specifier: workspace:*
        version: link:../../packages/ui
      react:
        specifier: ^18.2.0
        version: )" + react + R"(

  packages/ui:
    dependencies:
      lodash:
        specifier: ^4.17.0
        version: )" + lodash + R"(

packages:

  express@4.19.2:
    resolution: {integrity: sha512-e}

  lodash@)" + lodash + R"(:
    resolution: {integrity: sha512-l)" +
                                     lodash + R"(}

  react@)" + react + R"(:
    resolution: {integrity: sha512-r)" +
                                     react + R"(}

snapshots:

  express@4.19.2: {}

  lodash@)" + lodash + R"(: {}

  react@)" + react + R"(: {}
)");
  };
  lock("18.2.0", "4.17.20");
  repo.commit("base");
  build_all(repo);
  repo.git("checkout -q -b feature");

  lock("18.3.1", "4.17.20");
  repo.commit("bump react");
  auto r = repo.ripple("affected --base main --explain");
  INFO(r.err);
  CHECK(r.out == "@acme/web: changed (pnpm-lock.yaml)\n");

  lock("18.2.0", "4.17.21");
  repo.commit("bump lodash instead");
  r = repo.ripple("affected --base main --explain");
  CHECK(r.out ==
        "@acme/ui: changed (pnpm-lock.yaml)\n"
        "@acme/web: dependency → @acme/ui (pnpm-lock.yaml changed)\n");
  using Plan = std::map<std::string, std::string>;
  CHECK(predicted(repo) ==
        Plan{{"@acme/api#build", "hit"}, {"@acme/ui#build", "miss"}, {"@acme/web#build", "miss"}});
}

TEST_CASE(
    "inference keys: a Cargo.lock bump affects and misses only the crates whose tree reaches "
    "it") {
  GitRepo repo;
  repo.write("ripple.yaml", kRippleYaml);
  repo.write("Cargo.toml", "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\n");
  repo.write("crates/app/Cargo.toml",
             "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n");
  repo.write("crates/app/src/main.rs", "fn main() {}\n");
  repo.write("crates/tool/Cargo.toml",
             "[package]\nname = \"tool\"\nversion = \"0.1.0\"\n\n[dependencies]\nlog = \"0.4\"\n");
  repo.write("crates/tool/src/main.rs", "fn main() {}\n");
  repo.write(".gitignore", ".ripple/\ntarget/\n");
  auto lock = [&](const std::string& serde, const std::string& log) {
    repo.write("Cargo.lock", R"(# This file is automatically @generated by Cargo.
version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "serde",
]

[[package]]
name = "log"
version = ")" + log + R"("
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "l)" + log + R"("

[[package]]
name = "serde"
version = ")" + serde + R"("
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "s)" + serde + R"("

[[package]]
name = "tool"
version = "0.1.0"
dependencies = [
 "log",
]
)");
  };
  lock("1.0.200", "0.4.21");
  repo.commit("base");
  build_all(repo);
  repo.git("checkout -q -b feature");
  lock("1.0.201", "0.4.21");
  repo.commit("bump serde");
  auto r = repo.ripple("affected --base main --explain");
  INFO(r.err);
  CHECK(r.out == "app: changed (Cargo.lock)\n");
  using Plan = std::map<std::string, std::string>;
  CHECK(predicted(repo) == Plan{{"app#build", "miss"}, {"tool#build", "hit"}});
}
