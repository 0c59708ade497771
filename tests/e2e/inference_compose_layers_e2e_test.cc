// Compose override files and `include:` end to end (docs/inference.md): a real git repository,
// no ripple config. An override file's blocks merge into the Compose file's (an edit to one
// service's override block affects and misses that service only); an included project's services
// are services, and its files are theirs.

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/affected_after.h"
#include "tests/support/git_repo.h"

using ripple::testing::affected_after;
using ripple::testing::GitRepo;

namespace {

const std::string kCompose = R"(include:
  - deploy/infra/compose.yaml
services:
  api:
    build: ./src/api
  web:
    build: ./src/web
  db:
    image: postgres:16
)";

const std::string kOverride = R"(services:
  api:
    build: { dockerfile: Dockerfile.dev }
  web:
    environment: { DEBUG: "1" }
  db:
    build: ./src/db
)";

const std::string kInfra = R"(services:
  gateway:
    build: ../../src/gateway
    image: acme/gateway:${GATEWAY_TAG}
  metrics:
    build: { context: ../../src/metrics }
)";

void write_repo(const GitRepo& repo) {
  repo.write("compose.yaml", kCompose);
  repo.write("compose.override.yaml", kOverride);
  repo.write("deploy/infra/compose.yaml", kInfra);
  repo.write("deploy/infra/.env", "GATEWAY_TAG=3\n");
  for (const char* dir : {"api", "web", "db", "gateway", "metrics"}) {
    repo.write(std::string("src/") + dir + "/Dockerfile", "FROM alpine\nCOPY . .\n");
    repo.write(std::string("src/") + dir + "/main.c", "1\n");
  }
  repo.write("src/api/Dockerfile.dev", "FROM alpine\nCOPY . .\n");
  repo.write(".gitignore", ".ripple/\n");
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("compose layers: the override file's services and the included project's are services") {
  GitRepo repo;
  write_repo(repo);
  repo.commit("base");
  auto r = repo.ripple("graph");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // db builds in the override only; gateway and metrics come from the included project.
  CHECK(r.out == "api\ndb\ngateway\nmetrics\nweb\n");
  r = repo.ripple("graph --explain");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("gateway  src/gateway  (deploy/infra/compose.yaml:2:3)"));
  CHECK_THAT(r.out, Catch::Contains("db  src/db  (compose.yaml:8:3)"));
}

TEST_CASE("compose layers: an override block edit affects its service, an included file its own") {
  GitRepo repo;
  write_repo(repo);
  repo.commit("base");
  CHECK(affected_after(repo, "compose.override.yaml",
                       replaced(kOverride, "Dockerfile.dev", "Dockerfile")) ==
        "api: changed (compose.override.yaml)\n");
  // db builds in the override only: its block in the Compose file is its part too.
  CHECK(affected_after(repo, "compose.yaml", replaced(kCompose, "postgres:16", "postgres:17")) ==
        "db: changed (compose.yaml)\n");
  // The included project's files are read whole by each of its services.
  CHECK(affected_after(repo, "deploy/infra/.env", "GATEWAY_TAG=4\n") ==
        "gateway: changed (deploy/infra/.env)\nmetrics: changed (deploy/infra/.env)\n");
  CHECK(affected_after(repo, "deploy/infra/compose.yaml",
                       replaced(kInfra, "../../src/metrics", "../../src/metrics, target: prod")) ==
        "gateway: changed (deploy/infra/compose.yaml)\nmetrics: changed "
        "(deploy/infra/compose.yaml)\n");
}

TEST_CASE("compose layers: an override block is in its service's task keys") {
  GitRepo repo;
  write_repo(repo);
  repo.write("ripple.yaml", "tasks:\n  build:\n    run: \"true\"\n");
  repo.commit("base");
  auto r = repo.ripple("run build --all");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  repo.write("compose.override.yaml", replaced(kOverride, "DEBUG: \"1\"", "DEBUG: \"0\""));
  r = repo.ripple("run build --all --dry-run=json");
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::string> cache;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  for (const auto& task : doc["tasks"]) {
    cache[task["task"].get<std::string>()] = task["cache"].get<std::string>();
  }
  CHECK(cache == std::map<std::string, std::string>{{"api#build", "hit"},
                                                    {"db#build", "hit"},
                                                    {"gateway#build", "hit"},
                                                    {"metrics#build", "hit"},
                                                    {"web#build", "miss"}});
  r = repo.ripple("run build --all --explain-misses");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out + r.err, Catch::Contains("part compose.override.yaml#services.web: changed"));
}

TEST_CASE("compose layers: an include naming a missing file is exit 2 at the entry") {
  GitRepo repo;
  write_repo(repo);
  repo.write("compose.yaml", replaced(kCompose, "deploy/infra/compose.yaml", "deploy/gone.yaml"));
  repo.commit("base");
  auto r = repo.ripple("graph");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("compose.yaml:2:5: included file deploy/gone.yaml does not "
                                    "exist"));
}
