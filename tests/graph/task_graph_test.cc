#include "graph/task_graph.h"

#include <catch2/catch.hpp>

#include "graph/config_parser.h"
#include "tests/support/workspace_yaml.h"

using namespace ripple;
using namespace ripple::graph;

namespace {

Workspace make(const std::string& root,
               const std::vector<std::pair<std::string, std::string>>& services) {
  return ripple::testing::workspace_yaml(root, services);
}

std::vector<ServiceId> all(const Workspace& ws) {
  return {ws.graph().topo_order().begin(), ws.graph().topo_order().end()};
}

std::vector<std::string> order(const TaskGraph& g) {
  std::vector<std::string> out;
  for (TaskId id : g.topo_order()) {
    out.push_back(g.node(id).label);
  }
  return out;
}

const char* kRoot =
    "services: [s/*]\ntasks:\n  build: { run: b, deps: ['^build'] }\n  test: { run: t, deps: "
    "[build] }\n";

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("tasks follow ^deps across services and own deps within one") {
  Workspace ws = make(kRoot, {{"s/lib", ""}, {"s/app", "deps: [lib]\n"}});
  std::vector<std::string> tasks = {"test"};
  auto g = TaskGraph::build(ws, all(ws), tasks);
  REQUIRE(g.has_value());
  CHECK(order(*g) == V{"lib#build", "lib#test", "app#build", "app#test"});
}

TEST_CASE("tasks of unselected services are pulled in when a selected task needs them") {
  Workspace ws = make(kRoot, {{"s/lib", ""}, {"s/app", "deps: [lib]\n"}});
  ServiceId app = *ws.graph().find("app");
  std::vector<std::string> tasks = {"build"};
  auto g = TaskGraph::build(ws, std::span(&app, 1), tasks);
  REQUIRE(g.has_value());
  CHECK(order(*g) == V{"lib#build", "app#build"});
  CHECK_FALSE(g->node(g->topo_order()[0]).requested);
  CHECK(g->node(g->topo_order()[1]).requested);
}

TEST_CASE("a named task dependency reaches into another service") {
  Workspace ws = make(kRoot, {{"s/proto", "tasks:\n  gen: { run: g }\n"},
                              {"s/api", "tasks:\n  build: { run: b, deps: ['proto#gen'] }\n"}});
  ServiceId api = *ws.graph().find("api");
  std::vector<std::string> tasks = {"build"};
  auto g = TaskGraph::build(ws, std::span(&api, 1), tasks);
  REQUIRE(g.has_value());
  CHECK(order(*g) == V{"proto#gen", "api#build"});
}

TEST_CASE("a task no service of the workspace defines is an error with a suggestion") {
  Workspace ws = make(kRoot, {{"s/lib", ""}});
  std::vector<std::string> tasks = {"tset"};
  auto g = TaskGraph::build(ws, all(ws), tasks);
  REQUIRE_FALSE(g.has_value());
  CHECK(g.error().kind == ErrorKind::input);
  CHECK(g.error().message ==
        "no service defines a task 'tset' (did you mean 'test'?); tasks: build, test");
}

TEST_CASE("a task only unselected services define leaves an empty graph, not an error") {
  Workspace ws =
      make("services: [s/*]\n", {{"s/lib", ""}, {"s/app", "tasks:\n  image: { run: i }\n"}});
  ServiceId lib = *ws.graph().find("lib");
  std::vector<std::string> tasks = {"image"};
  auto g = TaskGraph::build(ws, std::span(&lib, 1), tasks);
  REQUIRE(g.has_value());
  CHECK(g->size() == 0);
  CHECK(g->topo_order().empty());
  REQUIRE(g->lacking().size() == 1);
  CHECK(g->lacking()[0].service == lib);
  CHECK(g->lacking()[0].task == "image");
}

TEST_CASE("no selected service at all is an empty graph") {
  Workspace ws = make(kRoot, {{"s/lib", ""}});
  std::vector<std::string> tasks = {"build", "test"};
  auto g = TaskGraph::build(ws, std::span<const ServiceId>(), tasks);
  REQUIRE(g.has_value());
  CHECK(g->size() == 0);
  CHECK(g->lacking().empty());
}

TEST_CASE("selected services that lack a requested task are listed and left out") {
  Workspace ws = make("services: [s/*]\n", {{"s/a", "tasks:\n  image: { run: i }\n"},
                                            {"s/b", ""},
                                            {"s/c", "tasks:\n  image: { run: i }\n"}});
  std::vector<std::string> tasks = {"image"};
  auto g = TaskGraph::build(ws, all(ws), tasks);
  REQUIRE(g.has_value());
  CHECK(order(*g) == V{"a#image", "c#image"});
  REQUIRE(g->lacking().size() == 1);
  CHECK(ws.service(g->lacking()[0].service).name == "b");
}

TEST_CASE("^build across a service cycle is a task cycle, printed task by task") {
  Workspace ws = make(kRoot, {{"s/a", "deps: [b]\n"}, {"s/b", "deps: [a]\n"}});
  std::vector<std::string> tasks = {"build"};
  auto g = TaskGraph::build(ws, all(ws), tasks);
  REQUIRE_FALSE(g.has_value());
  CHECK(g.error().kind == ErrorKind::input);
  CHECK_THAT(g.error().message,
             Catch::StartsWith("ripple.yaml:3:3: a cycle of tasks: a#build -> b#build -> a#build"));
}

TEST_CASE("a service cycle without ^ deps makes no task cycle") {
  Workspace ws = make("services: [s/*]\ntasks:\n  lint: { run: l }\n",
                      {{"s/a", "deps: [b]\n"}, {"s/b", "deps: [a]\n"}});
  std::vector<std::string> tasks = {"lint"};
  auto g = TaskGraph::build(ws, all(ws), tasks);
  REQUIRE(g.has_value());
  CHECK(g->size() == 2);
}

TEST_CASE("two tasks of one service waiting for each other are a cycle") {
  Workspace ws =
      make("services: [s/*]\n", {{"s/a", "tasks:\n  x: { deps: [y] }\n  y: { deps: [x] }\n"}});
  std::vector<std::string> tasks = {"x"};
  auto g = TaskGraph::build(ws, all(ws), tasks);
  REQUIRE_FALSE(g.has_value());
  CHECK_THAT(g.error().message, Catch::Contains("a#x -> a#y -> a#x"));
}
