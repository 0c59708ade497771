#include "graph/task_dep.h"

#include <catch2/catch.hpp>

#include "graph/names.h"

using namespace ripple;
using namespace ripple::graph;

TEST_CASE("the three task dependency forms parse") {
  SourcePos pos{"ripple.yaml", 3, 9};
  auto up = parse_task_dep("^build", pos);
  REQUIRE(up.has_value());
  CHECK(up->kind == TaskDep::Kind::upstream);
  CHECK(up->task == "build");
  auto self = parse_task_dep("build", pos);
  REQUIRE(self.has_value());
  CHECK(self->kind == TaskDep::Kind::self);
  auto named = parse_task_dep("proto#gen", pos);
  REQUIRE(named.has_value());
  CHECK(named->kind == TaskDep::Kind::named);
  CHECK(named->service == "proto");
  CHECK(named->task == "gen");
  CHECK(named->spelling() == "proto#gen");
}

TEST_CASE("malformed task dependencies are errors at their position") {
  SourcePos pos{"ripple.yaml", 3, 9};
  for (const char* bad : {"^", "^^build", "a#", "#build", "a#b#c", "^a#b", "bu ild", ""}) {
    auto r = parse_task_dep(bad, pos);
    INFO(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::input);
    CHECK_THAT(r.error().message, Catch::StartsWith("ripple.yaml:3:9: malformed task dependency"));
    CHECK_THAT(r.error().message, Catch::Contains("'service#task'"));
  }
}

TEST_CASE("an npm scoped package name is a service name, in task deps too") {
  SourcePos pos{"ripple.yaml", 3, 9};
  auto named = parse_task_dep("@acme/ui#build", pos);
  REQUIRE(named.has_value());
  CHECK(named->service == "@acme/ui");
  CHECK(named->task == "build");
  for (const char* bad : {"@acme/ui/x#build", "acme/ui#build", "@/ui#build", "@acme/#build",
                          "@acme/..#build", "@acme/ui#b/c"}) {
    INFO(bad);
    CHECK_FALSE(parse_task_dep(bad, pos).has_value());
  }
}

TEST_CASE("service names: the scoped form has exactly one '/' after an '@' scope") {
  for (const char* good : {"web", "@acme/ui", "@a/b", "api-v2", "@acme"}) {
    INFO(good);
    CHECK_FALSE(service_name_problem(good).has_value());
  }
  for (const char* bad : {"a/b", "@acme/ui/x", "@/ui", "@acme/", "@acme/..", "@../x", "@acme/a b",
                          "/x", "", "..", "a#b"}) {
    INFO(bad);
    CHECK(service_name_problem(bad).has_value());
  }
}
