// A rule switched off for one service (docs/inference.md, `discover:` in a service.yaml): what
// that rule finds for the service — edges, its image, its parts of shared files — is left out;
// the other rules, and the rule for other services, apply as before.

#include <catch2/catch.hpp>

#include "tests/support/git_repo.h"

using ripple::testing::GitRepo;

namespace {

void write_repo(const GitRepo& repo, const std::string& web_service_yaml) {
  repo.write("ripple.yaml", "services: [apps/*]\n");
  repo.write("compose.yaml",
             "services:\n  web:\n    build: ./apps/web\n    image: shop/web\n"
             "  api:\n    build: ./apps/api\n");
  repo.write("apps/web/service.yaml", web_service_yaml);
  repo.write("apps/web/Dockerfile", "FROM scratch\nCOPY . /\n");
  repo.write("apps/web/package.json", "{\"name\": \"web\", \"dependencies\": {\"ui\": \"*\"}}\n");
  repo.write("apps/api/service.yaml", "");
  repo.write("apps/api/Dockerfile", "FROM scratch\nCOPY . /\n");
  repo.write("apps/ui/service.yaml", "");
  repo.write("apps/ui/package.json", "{\"name\": \"ui\"}\n");
  repo.write("package.json", "{\"private\": true, \"workspaces\": [\"apps/*\"]}\n");
  repo.write(".gitignore", ".ripple/\n");
}

std::string affected_by_compose_edit(const GitRepo& repo) {
  repo.write("compose.yaml",
             "services:\n  web:\n    build: ./apps/web\n    image: shop/web\n    ports: [80]\n"
             "  api:\n    build: ./apps/api\n    ports: [81]\n");
  auto r = repo.ripple("affected --base HEAD");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  repo.git("checkout -q -- compose.yaml");
  return r.out;
}

}  // namespace

TEST_CASE("service rules: discover: in a service.yaml switches rules off for that service") {
  GitRepo repo;
  write_repo(repo, "");
  repo.commit("base");
  // Every rule on: web depends on ui (node), builds shop/web (compose), and its block is its part.
  CHECK_THAT(repo.ripple("graph --explain").out, Catch::Contains("-> ui"));
  CHECK_THAT(repo.ripple("images").out, Catch::Contains("shop/web:r-"));
  CHECK(affected_by_compose_edit(repo) == "api\nweb\n");

  // Node and compose off for web: no edge to ui, its block is none of its business, its image
  // comes from the dockerfile rule (its own Dockerfile, named as the service).
  repo.write("apps/web/service.yaml", "discover: [dockerfile]\n");
  repo.commit("web: dockerfile only");
  CHECK_THAT(repo.ripple("graph --explain").out, !Catch::Contains("-> ui"));
  CHECK_THAT(repo.ripple("images").out, Catch::Contains(" web:r-"));
  CHECK(affected_by_compose_edit(repo) == "api\n");

  // Everything off: no image either.
  repo.write("apps/web/service.yaml", "discover: []\n");
  repo.commit("web: no rules");
  CHECK_THAT(repo.ripple("images").out, !Catch::Contains("web"));
}

TEST_CASE("service rules: an unknown rule in a service.yaml is exit 2 at its line") {
  GitRepo repo;
  write_repo(repo, "discover: [dockerfile, nodes]\n");
  repo.commit("base");
  auto r = repo.ripple("graph");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("apps/web/service.yaml:1:24: unknown discovery rule 'nodes' "
                                    "(did you mean 'node'?)"));
}
