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
  REQUIRE(parts->size() == 2);  // c builds nothing
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
