// The skaffold rule on real-shaped skaffold.yaml files: artifacts across documents, contexts and
// Dockerfiles, names from images, `requires` as edges, and the shapes it refuses.

#include "rules/skaffold.h"

#include <catch2/catch.hpp>

using namespace ripple;
using namespace ripple::rules;

namespace {

const SkaffoldArtifact& find(const std::vector<SkaffoldArtifact>& all, const std::string& name) {
  for (const auto& a : all) {
    if (a.service.name == name) {
      return a;
    }
  }
  FAIL("no artifact " << name);
  return all.front();
}

std::vector<std::string> edges(const SkaffoldArtifact& a) {
  std::vector<std::string> out;
  for (const auto& e : a.service.edges) {
    out.push_back(e.target);
  }
  return out;
}

}  // namespace

TEST_CASE("skaffold rule: artifacts across documents, contexts, Dockerfiles and requires") {
  const std::string text = R"(apiVersion: skaffold/v4beta6
kind: Config
metadata: { name: base }
build:
  artifacts:
    - image: gcr.io/shop/base
      context: images/base
---
apiVersion: skaffold/v4beta6
kind: Config
build:
  tagPolicy: { gitCommit: {} }
  artifacts:
    - image: gcr.io/shop/cart
      context: ./src/cart/
      docker:
        dockerfile: build/Dockerfile.prod
      requires:
        - image: gcr.io/shop/base
          alias: BASE
    - image: shop/pay:1.0
      context: .
      docker: { dockerfile: src/pay/Dockerfile }
    - image: shop/worker
      context: .
      docker: { dockerfile: src/worker/Dockerfile }
    - image: shop/jvm
      context: src/jvm
      jib: {}
deploy:
  kubectl: {}
---
apiVersion: skaffold/v4beta6
kind: Config
profiles: [{ name: dev }]
)";
  auto found = skaffold_artifacts(text, "skaffold.yaml");
  INFO((found ? "" : found.error().message));
  REQUIRE(found);
  REQUIRE(found->size() == 5);
  const auto& base = find(*found, "base");
  CHECK(base.service.dir.str() == "images/base");
  CHECK(base.context == "images/base");
  CHECK(base.dockerfile == "images/base/Dockerfile");
  CHECK(base.service.from.pos.line == 6);
  CHECK(base.service.from.rule == kSkaffoldRule);
  const auto& cart = find(*found, "cart");
  CHECK(cart.service.dir.str() == "src/cart");
  CHECK(cart.dockerfile == "src/cart/build/Dockerfile.prod");
  REQUIRE(edges(cart) == std::vector<std::string>{"base"});
  CHECK(cart.service.edges[0].from.pos.line == 19);
  // A context shared (here the root): the Dockerfile's directory is the service's.
  const auto& pay = find(*found, "pay");
  CHECK(pay.context.empty());
  CHECK(pay.service.dir.str() == "src/pay");
  CHECK(pay.image == "shop/pay:1.0");
  CHECK(find(*found, "worker").service.dir.str() == "src/worker");
  // Another builder: a service without a Dockerfile.
  CHECK(find(*found, "jvm").dockerfile.empty());
}

TEST_CASE("skaffold rule: artifacts sharing a context live in their Dockerfiles' directories") {
  auto found = skaffold_artifacts(R"(build:
  artifacts:
    - { image: shop/a, context: services, docker: { dockerfile: a/Dockerfile } }
    - { image: shop/b, context: services, docker: { dockerfile: b/Dockerfile } }
    - { image: shop/c, context: services/c }
)",
                                  "skaffold.yaml");
  REQUIRE(found);
  REQUIRE(found->size() == 3);
  CHECK(find(*found, "a").service.dir.str() == "services/a");
  CHECK(find(*found, "b").service.dir.str() == "services/b");
  CHECK(find(*found, "b").context == "services");
  CHECK(find(*found, "c").service.dir.str() == "services/c");
}

TEST_CASE(
    "skaffold rule: requires naming no artifact is no edge, and a file without build has none") {
  auto found = skaffold_artifacts(
      "build:\n  artifacts:\n    - image: a\n      requires: [{ image: elsewhere/x }]\n",
      "skaffold.yaml");
  REQUIRE(found);
  REQUIRE(found->size() == 1);
  CHECK(found->front().service.edges.empty());
  auto none = skaffold_artifacts("apiVersion: skaffold/v4beta6\nkind: Config\n", "skaffold.yaml");
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE("skaffold rule: a wrong shape or bad YAML is an error at file:line:col") {
  auto check = [](const std::string& text, const std::string& start) {
    auto r = skaffold_artifacts(text, "skaffold.yaml");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::input);
    CHECK_THAT(r.error().message, Catch::StartsWith(start));
  };
  check("build: [1]\n", "skaffold.yaml:1:8: 'build' must be a mapping");
  check("build:\n  artifacts: { image: a }\n",
        "skaffold.yaml:2:14: 'build.artifacts' must be a list");
  check("build:\n  artifacts:\n    - context: x\n",
        "skaffold.yaml:3:7: an artifact needs an 'image'");
  check("build:\n  artifacts:\n    - image: [a]\n", "skaffold.yaml:3:14: 'image' must be a string");
  check("build:\n  artifacts:\n    - image: a\n      context: ../../out\n",
        "skaffold.yaml:4:16: context '../../out' must be a path inside the workspace");
  check("build:\n  artifacts:\n    - image: a\n      requires: { image: b }\n",
        "skaffold.yaml:4:17: 'requires' must be a list");
  check("build:\n  artifacts:\n    - image: a\n    - image: a:2\n",
        "skaffold.yaml:4:14: two artifacts build the image 'a'");
  check("build:\n  artifacts:\n    - image: a\n---\nbuild: {\n", "skaffold.yaml:");
}
