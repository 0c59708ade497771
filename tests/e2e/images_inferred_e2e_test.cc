// Images with no ripple config (docs/images.md, docs/inference.md): each service a Compose file
// builds from a Dockerfile, and each skaffold artifact, gets an `image` task and a line in
// `ripple images`, built as the file says (context, Dockerfile, build args, target), named by its
// `image:` (without the registry prefixed twice); a service.yaml's own `image:` wins.

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/git_repo.h"

using ripple::testing::GitRepo;

namespace {

const std::string kCompose = R"(services:
  cart:
    build:
      context: ./src/cart
      args: { GREETING: "${GREETING:-hello}", EMPTY: }
      target: runtime
    image: ${REGISTRY}/cart:${TAG:-latest}
  pay:
    build: { context: ., dockerfile: src/pay/Dockerfile, args: [ "MODE=fast" ] }
  inline:
    build: { context: ./src/inline, dockerfile_inline: "FROM scratch\n" }
  redis:
    image: redis:7
)";

// Every build records its arguments in built.txt, in the service directory.
const std::string kBuilder =
    "images:\n  registry: reg.example.com/shop\n  builder: \"echo {dockerfile} {context} "
    "{build_args} {target} {name} > built.txt && true {ref}\"\n";

void write_repo(const GitRepo& repo) {
  repo.write("ripple.yaml", kBuilder);
  repo.write("compose.yaml", kCompose);
  repo.write(".env", "REGISTRY=reg.example.com/shop\n");
  repo.write("src/cart/Dockerfile", "FROM scratch AS runtime\nCOPY . /\n");
  repo.write("src/cart/main.go", "package main\n");
  repo.write("src/pay/Dockerfile", "FROM scratch\nCOPY src/pay /app\n");
  repo.write("src/pay/app.py", "1\n");
  repo.write("src/inline/x.txt", "1\n");
  repo.write("skaffold.yaml", R"(apiVersion: skaffold/v4beta6
kind: Config
build:
  artifacts:
    - image: reg.example.com/shop/api
      context: api
      docker: { target: prod, buildArgs: { MODE: fast, VERSION: "{{.VERSION}}" } }
    - image: reg.example.com/shop/tool
      context: tool
      requires: [ { image: reg.example.com/shop/api, alias: API } ]
)");
  repo.write("tool/Dockerfile", "ARG API\nFROM scratch\nCOPY . /\n");
  repo.write("api/Dockerfile", "FROM scratch AS prod\nCOPY . /\n");
  repo.write("api/main.go", "package main\n");
  repo.write(".gitignore", ".ripple/\nbuilt.txt\n");
}

std::map<std::string, nlohmann::json> images_of(const GitRepo& repo) {
  auto r = repo.ripple("images --format json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, nlohmann::json> out;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  for (const auto& image : doc["images"]) {
    out[image["service"].get<std::string>()] = image;
  }
  return out;
}

}  // namespace

TEST_CASE("images inferred: Compose builds and skaffold artifacts get image tasks") {
  GitRepo repo;
  write_repo(repo);
  repo.commit("base");
  auto images = images_of(repo);
  // The built services with a Dockerfile file; not redis (no build), not the inline Dockerfile.
  REQUIRE(images.size() == 4);
  CHECK(images.at("cart")["name"] == "reg.example.com/shop/cart");
  CHECK(images.at("cart")["reference"].get<std::string>().starts_with(
      "reg.example.com/shop/cart:r-"));
  CHECK(images.at("cart")["dockerfile"] == "src/cart/Dockerfile");
  CHECK(images.at("cart")["context"] == "src/cart");
  CHECK(images.at("pay")["name"] == "pay");
  CHECK(
      images.at("pay")["reference"].get<std::string>().starts_with("reg.example.com/shop/pay:r-"));
  CHECK(images.at("pay")["dockerfile"] == "src/pay/Dockerfile");
  CHECK(images.at("pay")["context"] == ".");
  CHECK(images.at("api")["name"] == "reg.example.com/shop/api");
  CHECK(images.at("api")["context"] == "api");

  // Built as the files say: Dockerfile and context relative to the service directory, the
  // build args with a value, the target.
  auto run = repo.ripple("run image --all");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(repo.read("src/cart/built.txt") ==
        "Dockerfile . --build-arg GREETING=hello runtime reg.example.com/shop/cart\n");
  CHECK(repo.read("src/pay/built.txt") == "Dockerfile ../.. --build-arg MODE=fast pay\n");
  // skaffold's buildArgs with a literal value, and its target.
  CHECK(repo.read("api/built.txt") ==
        "Dockerfile . --build-arg MODE=fast prod reg.example.com/shop/api\n");

  // A build arg is part of the image's key: a .env change moves cart's tag, not pay's.
  repo.write(".env", "REGISTRY=reg.example.com/shop\nGREETING=bye\n");
  auto after = images_of(repo);
  CHECK(after.at("cart")["tag"] != images.at("cart")["tag"]);
  CHECK(after.at("pay")["tag"] == images.at("pay")["tag"]);

  // skaffold's `requires`: tool's image builds on api's.
  repo.write("api/main.go", "package main // 2\n");
  const auto edited = images_of(repo);
  CHECK(edited.at("api")["tag"] != after.at("api")["tag"]);
  CHECK(edited.at("tool")["tag"] != after.at("tool")["tag"]);
  CHECK(edited.at("cart")["tag"] == after.at("cart")["tag"]);
}

TEST_CASE("images inferred: a service.yaml's own image: wins over Compose's") {
  GitRepo repo;
  write_repo(repo);
  repo.write("ripple.yaml", "services: [src/*]\n" + kBuilder);
  repo.write("src/cart/service.yaml", "image: { name: basket }\n");
  repo.commit("base");
  auto images = images_of(repo);
  CHECK(images.at("cart")["name"] == "basket");
  CHECK(images.at("cart")["dockerfile"] == "src/cart/Dockerfile");
  auto run = repo.ripple("run image --only cart");
  REQUIRE(run.exit_code == 0);
  // No build args or target: the service.yaml's image says none.
  CHECK(repo.read("src/cart/built.txt") == "Dockerfile . basket\n");
}

TEST_CASE("images inferred: a Compose build arg chooses what its Dockerfile copies") {
  GitRepo repo;
  repo.write("compose.yaml", R"(services:
  tool:
    build: { context: ., dockerfile: tools/Dockerfile, args: { SRC: shared/new } }
)");
  repo.write("tools/Dockerfile", "FROM scratch\nARG SRC=shared/old\nCOPY ${SRC} /app\n");
  repo.write("shared/new/a.txt", "1\n");
  repo.write("shared/old/a.txt", "1\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
  repo.write("shared/old/a.txt", "2\n");
  auto old_edit = repo.ripple("affected --base HEAD");
  REQUIRE(old_edit.exit_code == 0);
  CHECK(old_edit.out.empty());
  repo.write("shared/new/a.txt", "2\n");
  auto new_edit = repo.ripple("affected --base HEAD");
  REQUIRE(new_edit.exit_code == 0);
  CHECK(new_edit.out == "tool\n");
}

TEST_CASE("images inferred: FROM and additional_contexts make image deps, depends_on does not") {
  GitRepo repo;
  repo.write("compose.yaml", R"(services:
  base:
    build: ./base
    image: shop/base
  app:
    build: ./app
  tool:
    build:
      context: ./tool
      additional_contexts: { b: "service:base" }
  other:
    build: ./other
    depends_on: [base]
)");
  repo.write("base/Dockerfile", "FROM scratch\nCOPY . /\n");
  repo.write("base/x.txt", "1\n");
  repo.write("app/Dockerfile", "FROM shop/base:latest\nCOPY . /\n");
  repo.write("tool/Dockerfile", "FROM scratch\nCOPY --from=b /x.txt /\n");
  repo.write("other/Dockerfile", "FROM scratch\nCOPY . /\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
  const auto before = images_of(repo);
  repo.write("base/x.txt", "2\n");
  const auto after = images_of(repo);
  CHECK(after.at("base")["tag"] != before.at("base")["tag"]);
  CHECK(after.at("app")["tag"] != before.at("app")["tag"]);      // FROM base's image
  CHECK(after.at("tool")["tag"] != before.at("tool")["tag"]);    // additional context service:base
  CHECK(after.at("other")["tag"] == before.at("other")["tag"]);  // only started after it
}

TEST_CASE("images inferred: a service whose directory holds a Dockerfile builds an image") {
  GitRepo repo;
  repo.write("ripple.yaml", "services: [svc/*]\nimages: { registry: reg.example.com/shop }\n");
  repo.write("svc/a/service.yaml", "");
  repo.write("svc/a/Dockerfile", "FROM scratch\nCOPY . /\n");
  repo.write("svc/b/service.yaml", "");
  repo.write("svc/b/Dockerfile", "FROM reg.example.com/shop/a:latest\nCOPY . /\n");
  repo.write("svc/c/service.yaml", "");  // no Dockerfile: no image
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
  const auto before = images_of(repo);
  REQUIRE(before.size() == 2);
  CHECK(before.at("a")["reference"].get<std::string>().starts_with("reg.example.com/shop/a:r-"));
  CHECK(before.at("b")["dockerfile"] == "svc/b/Dockerfile");
  CHECK(before.at("b")["context"] == "svc/b");
  repo.write("svc/a/x.txt", "1\n");
  const auto after = images_of(repo);
  CHECK(after.at("a")["tag"] != before.at("a")["tag"]);
  CHECK(after.at("b")["tag"] != before.at("b")["tag"]);  // FROM a's image
}

TEST_CASE("images: a .dockerignore outside the service directory affects it and moves its tag") {
  GitRepo repo;
  repo.write("ripple.yaml", "services: [svc/*]\n");
  repo.write("svc/api/service.yaml",
             "image: { dockerfile: ../../docker/api.Dockerfile, context: ../.. }\n");
  repo.write("docker/api.Dockerfile", "FROM scratch\nCOPY svc/api /app\n");
  repo.write("docker/api.Dockerfile.dockerignore", "*.md\n");
  repo.write("svc/api/main.go", "package main\n");
  repo.write(".gitignore", ".ripple/\n");
  repo.commit("base");
  const auto before = images_of(repo);
  for (const char* file : {"docker/api.Dockerfile.dockerignore", ".dockerignore"}) {
    INFO(file);
    repo.write(file, "*.md\n*.txt\n");
    auto affected = repo.ripple("affected --base HEAD");
    CHECK(affected.out == "api\n");
    CHECK(images_of(repo).at("api")["tag"] != before.at("api")["tag"]);
    repo.git("checkout -q -- .");
    repo.git("clean -qfd -e .ripple");
  }
}
