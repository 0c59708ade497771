#include "orchestrator/graph_format.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "orchestrator/workspace_loader.h"
#include "tests/support/memory_filesystem.h"

using namespace ripple;
using ripple::testing::MemoryFilesystem;

namespace {

graph::Workspace sample() {
  MemoryFilesystem fs;
  fs.add_file("/r/ripple.yaml",
              "services: [s/*]\ntasks:\n  build: { run: make, deps: ['^build'], outputs: "
              "['dist/**'] }\n");
  fs.add_file("/r/s/web/service.yaml", "deps: [api]\nimage: { name: shop-web }\n");
  fs.add_file("/r/s/api/service.yaml", "deps: [proto]\n");
  fs.add_file("/r/s/proto/service.yaml", "");
  auto loaded = load_workspace(fs, "/r");
  REQUIRE(loaded.has_value());
  return std::move(loaded->workspace);
}

}  // namespace

TEST_CASE("text lists services in topological order with their direct deps") {
  CHECK(format_graph_text(sample()) == "proto\napi: proto\nweb: api\n");
}

TEST_CASE("text marks flagged services with a star") {
  auto ws = sample();
  std::vector<bool> marked(3, false);
  marked[ws.graph().find("web")->value] = true;
  CHECK(format_graph_text(ws, marked) == "proto\napi: proto\nweb *: api\n");
}

TEST_CASE("json follows the documented schema") {
  auto doc = nlohmann::json::parse(format_graph_json(sample()));
  CHECK(doc["version"] == 1);
  REQUIRE(doc["services"].size() == 3);
  const auto& api = doc["services"][1];
  CHECK(api["name"] == "api");
  CHECK(api["dir"] == "s/api");
  CHECK(api["deps"] == nlohmann::json::array({"proto"}));
  CHECK(api["dependents"] == nlohmann::json::array({"web"}));
  CHECK(api["tasks"]["build"]["run"] == "make");
  CHECK(api["tasks"]["build"]["deps"] == nlohmann::json::array({"^build"}));
  CHECK(api["image"].is_null());
  CHECK(doc["services"][2]["image"]["name"] == "shop-web");
  CHECK(doc["services"][2]["image"]["dockerfile"] == "Dockerfile");
  CHECK(doc["cycles"].empty());
  CHECK_FALSE(api.contains("affected"));
}

TEST_CASE("dot has a node per service and an edge per dependency") {
  std::string dot = format_graph_dot(sample());
  CHECK_THAT(dot, Catch::StartsWith("digraph ripple {"));
  CHECK_THAT(dot, Catch::Contains("\"web\" -> \"api\";"));
  CHECK_THAT(dot, Catch::Contains("\"api\" -> \"proto\";"));
  CHECK_THAT(dot, Catch::EndsWith("}\n"));
}
