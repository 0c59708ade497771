// The compose rule on real-shaped Compose files and .env files: variable substitution as Compose
// does it, the shapes of `build`, where each service lives, image dependencies, and each
// service's part of the file.

#include "rules/compose.h"

#include <catch2/catch.hpp>

using namespace ripple;
using namespace ripple::rules;

namespace {

const ComposeService& find(const ComposeFile& f, const std::string& name) {
  for (const auto& s : f.services) {
    if (s.service.name == name) {
      return s;
    }
  }
  FAIL("no service " << name);
  return f.services.front();
}

}  // namespace

TEST_CASE("compose rule: .env files as Compose reads them") {
  auto env = parse_dotenv(
      "# comment\n"
      "PLAIN=value\n"
      "export EXPORTED=yes\n"
      "SPACED = padded  \n"
      "SINGLE='no $expansion # here'\n"
      "DOUBLE=\"a\\nb \\\"q\\\"\"\n"
      "TRAILING=word # a comment\n"
      "EMPTY=\n"
      "CRLF=dos\r\n"
      "not a line\n");
  CHECK(env.at("PLAIN") == "value");
  CHECK(env.at("EXPORTED") == "yes");
  CHECK(env.at("SPACED") == "padded");
  CHECK(env.at("SINGLE") == "no $expansion # here");
  CHECK(env.at("DOUBLE") == "a\nb \"q\"");
  CHECK(env.at("TRAILING") == "word");
  CHECK(env.at("EMPTY").empty());
  CHECK(env.at("CRLF") == "dos");
  CHECK(env.size() == 8);
}

TEST_CASE("compose rule: variables substituted in every form Compose knows") {
  const std::map<std::string, std::string> env = {{"SET", "s"}, {"EMPTY", ""}};
  auto f = compose_services(R"(services:
  a: { build: "./${SET}", image: "x/${UNSET:-d1}:${EMPTY:-d2}-${EMPTY-d3}-$SET-$$SET-${SET:+p}-${UNSET+q}" }
)",
                            "compose.yaml", env);
  REQUIRE(f.has_value());
  REQUIRE(f->services.size() == 1);
  CHECK(f->services[0].context == "s");
  CHECK(f->services[0].image == "x/d1:d2--s-$SET-p-");

  auto required =
      compose_services("services:\n  a:\n    build: ./${DIR:?needs DIR}\n", "compose.yaml", {});
  REQUIRE_FALSE(required.has_value());
  CHECK(required.error().message ==
        "compose.yaml:3:12: variable DIR is required: needs DIR (set it in .env)");
  auto empty_required =
      compose_services("services:\n  a:\n    build: ./${EMPTY:?}\n", "compose.yaml", env);
  REQUIRE_FALSE(empty_required.has_value());
  CHECK_THAT(empty_required.error().message, Catch::Contains("variable EMPTY is required"));
  auto unclosed = compose_services("services:\n  a:\n    build: ./${DIR\n", "compose.yaml", {});
  REQUIRE_FALSE(unclosed.has_value());
  CHECK_THAT(unclosed.error().message, Catch::StartsWith("compose.yaml:3:12: unclosed '${'"));
}

TEST_CASE("compose rule: where each service lives, and its image dependencies") {
  auto f = compose_services(R"(services:
  api:
    build: ./api
  web:
    build:
      context: ./web
      dockerfile: docker/Dockerfile.prod
      additional_contexts:
        shared: ./libs
        apibase: service:api
  pay:
    build: { context: ., dockerfile: src/pay/Dockerfile }
  payworker:
    build: { context: ., dockerfile: src/pay/worker.Dockerfile }
  inline:
    build: { context: ./tools, dockerfile_inline: "FROM alpine" }
  db:
    image: postgres:16
  remote:
    build: https://github.com/acme/thing.git
)",
                            "compose.yaml", {});
  REQUIRE(f.has_value());
  CHECK(f->services.size() == 5);  // db builds nothing; remote builds elsewhere
  CHECK(find(*f, "api").service.dir.str() == "api");
  CHECK(find(*f, "api").dockerfile == "api/Dockerfile");
  CHECK(find(*f, "web").service.dir.str() == "web");
  CHECK(find(*f, "web").dockerfile == "web/docker/Dockerfile.prod");
  REQUIRE(find(*f, "web").service.edges.size() == 1);
  CHECK(find(*f, "web").service.edges[0].target == "api");
  CHECK(format_pos(find(*f, "web").service.edges[0].from.pos) == "compose.yaml:10:18");
  // The root context says nothing: each lives where its Dockerfile is.
  CHECK(find(*f, "pay").service.dir.str() == "src/pay");
  CHECK(find(*f, "payworker").service.dir.str() == "src/pay");
  CHECK(find(*f, "inline").service.dir.str() == "tools");
  CHECK(format_pos(find(*f, "pay").service.from.pos) == "compose.yaml:11:3");
  CHECK(find(*f, "pay").service.from.rule == "compose");
  REQUIRE(f->warnings.size() == 1);
  CHECK_THAT(f->warnings[0].message, Catch::Contains("remote context"));
}

TEST_CASE("compose rule: bad shapes are errors at their line") {
  auto list = compose_services("services:\n  a:\n    build: [x]\n", "compose.yaml", {});
  REQUIRE_FALSE(list.has_value());
  CHECK_THAT(list.error().message, Catch::StartsWith("compose.yaml:3:12: 'build' must be"));
  auto outside = compose_services("services:\n  a:\n    build: ../elsewhere\n", "compose.yaml", {});
  REQUIRE_FALSE(outside.has_value());
  CHECK_THAT(outside.error().message, Catch::Contains("must be a path inside the workspace"));
  auto broken = compose_services("services:\n  a: [\n", "compose.yaml", {});
  REQUIRE_FALSE(broken.has_value());
  CHECK_THAT(broken.error().message, Catch::StartsWith("compose.yaml:"));
  CHECK_THAT(broken.error().message, Catch::Contains("not valid YAML"));
}

TEST_CASE("compose rule: a service's part is its block with merges resolved, and its variables") {
  const std::string text = R"(x-base: &base
  environment: { LEVEL: "${LOG_LEVEL}" }
services:
  a:
    <<: *base
    build: ./a
    image: "a:${A_TAG}"
  b:
    build: ./b
  c:
    image: redis
)";
  auto parts = compose_parts(text);
  REQUIRE(parts.has_value());
  REQUIRE(parts->size() == 3);
  CHECK(parts->at("a").builds);
  CHECK_FALSE(parts->at("c").builds);  // c builds nothing
  CHECK(parts->at("a").variables == std::vector<std::string>{"A_TAG", "LOG_LEVEL"});
  CHECK(parts->at("b").variables.empty());
  std::string changed_base = text;
  changed_base.replace(changed_base.find("${LOG_LEVEL}"), 12, "debug");
  auto after = compose_parts(changed_base);
  REQUIRE(after.has_value());
  CHECK(after->at("a").block != parts->at("a").block);
  CHECK(after->at("b").block == parts->at("b").block);
  CHECK_FALSE(compose_parts("services: [\n").has_value());
}

TEST_CASE("compose rule: an override file's blocks merge into the Compose file's, as Compose's") {
  const std::string base = R"(services:
  api:
    build:
      context: ./api
      dockerfile: Dockerfile
      args: { MODE: prod }
  web:
    build: ./web
    image: acme/web:1
  cache:
    image: redis
  tool:
    build: { context: ./tool, dockerfile_inline: "FROM alpine" }
)";
  const std::string override = R"(services:
  api:
    build: { dockerfile: Dockerfile.dev }
    ports: ["8080:8080"]
  web:
    build: ./web2
    image: acme/web:dev
  cache:
    build: ./cache
  tool:
    build: { dockerfile: tool.Dockerfile }
  extra:
    build:
      context: ./extra
      additional_contexts: { base: "service:api" }
)";
  auto f = compose_services(
      {ComposeLayer{base, "compose.yaml"}, ComposeLayer{override, "compose.override.yaml"}}, {});
  REQUIRE(f.has_value());
  REQUIRE(f->services.size() == 5);
  // The override's build map keeps the context and replaces the Dockerfile.
  CHECK(find(*f, "api").context == "api");
  CHECK(find(*f, "api").dockerfile == "api/Dockerfile.dev");
  CHECK(format_pos(find(*f, "api").service.from.pos) == "compose.yaml:2:3");
  // `build: path` replaces the context; the image is the later one.
  CHECK(find(*f, "web").service.dir.str() == "web2");
  CHECK(find(*f, "web").image == "acme/web:dev");
  // A service the Compose file only runs is built when the override gives it a build.
  CHECK(find(*f, "cache").service.dir.str() == "cache");
  CHECK(format_pos(find(*f, "cache").service.from.pos) == "compose.yaml:10:3");
  // A later Dockerfile file replaces an earlier inline one.
  CHECK(find(*f, "tool").dockerfile == "tool/tool.Dockerfile");
  // A service of the override alone, with its edge.
  CHECK(format_pos(find(*f, "extra").service.from.pos) == "compose.override.yaml:12:3");
  REQUIRE(find(*f, "extra").service.edges.size() == 1);
  CHECK(find(*f, "extra").service.edges[0].target == "api");

  auto broken = compose_services(
      {ComposeLayer{base, "compose.yaml"}, ComposeLayer{"services: [\n", "compose.override.yaml"}},
      {});
  REQUIRE_FALSE(broken.has_value());
  CHECK_THAT(broken.error().message, Catch::StartsWith("compose.override.yaml:"));
}

TEST_CASE("compose rule: include entries name other projects, their files and env files") {
  auto f = compose_services(R"(include:
  - infra/compose.yaml
  - path: [payments/compose.yaml, payments/compose.ci.yaml]
    env_file: payments/ci.env
  - path: ${SUB}/compose.yaml
  - oci://registry/acme/stack:1
services:
  web: { build: ./web }
)",
                            "deploy/compose.yaml", {{"SUB", "search"}});
  REQUIRE(f.has_value());
  REQUIRE(f->includes.size() == 3);
  CHECK(f->includes[0].files == std::vector<std::string>{"deploy/infra/compose.yaml"});
  CHECK(f->includes[0].env_files == std::vector<std::string>{"deploy/infra/.env"});
  CHECK(format_pos(f->includes[0].pos) == "deploy/compose.yaml:2:5");
  CHECK(f->includes[1].files == std::vector<std::string>{"deploy/payments/compose.yaml",
                                                         "deploy/payments/compose.ci.yaml"});
  CHECK(f->includes[1].env_files == std::vector<std::string>{"deploy/payments/ci.env"});
  CHECK(f->includes[2].files == std::vector<std::string>{"deploy/search/compose.yaml"});
  REQUIRE(f->warnings.size() == 1);
  CHECK_THAT(f->warnings[0].message, Catch::Contains("remote project"));
  CHECK(find(*f, "web").context == "deploy/web");

  auto outside = compose_services("include: [../../up.yaml]\n", "deploy/compose.yaml", {});
  REQUIRE_FALSE(outside.has_value());
  CHECK_THAT(outside.error().message, Catch::Contains("must be a path inside the workspace"));
  auto shape = compose_services("include: { path: x }\n", "compose.yaml", {});
  REQUIRE_FALSE(shape.has_value());
  CHECK_THAT(shape.error().message, Catch::StartsWith("compose.yaml:1:10: 'include' must be"));
}
