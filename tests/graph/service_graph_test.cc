#include "graph/service_graph.h"

#include <catch2/catch.hpp>

using namespace ripple;
using namespace ripple::graph;

namespace {

// Builds a graph from "name: dep dep" lines; ids follow the order the names are given.
ServiceGraph make(const std::vector<std::pair<std::string, std::vector<std::string>>>& spec) {
  std::vector<std::string> names;
  for (const auto& [name, deps] : spec) {
    names.push_back(name);
  }
  std::vector<std::vector<ServiceId>> edges(names.size());
  for (std::size_t i = 0; i < spec.size(); ++i) {
    for (const auto& dep : spec[i].second) {
      auto it = std::find(names.begin(), names.end(), dep);
      edges[i].push_back(ServiceId{static_cast<std::uint32_t>(it - names.begin())});
    }
  }
  return ServiceGraph(names, edges);
}

std::vector<std::string> names(const ServiceGraph& g, std::span<const ServiceId> ids) {
  std::vector<std::string> out;
  for (ServiceId id : ids) {
    out.push_back(g.name(id));
  }
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("topological order puts dependencies first and breaks ties by id") {
  auto g = make({{"api", {"lib"}}, {"lib", {}}, {"proto", {}}, {"web", {"api", "proto"}}});
  CHECK(names(g, g.topo_order()) == V{"lib", "api", "proto", "web"});
  CHECK(g.cycles().empty());
  CHECK(names(g, g.dependents(*g.find("lib"))) == V{"api"});
  CHECK(names(g, g.deps(*g.find("web"))) == V{"api", "proto"});
}

TEST_CASE("closures are transitive in both directions") {
  auto g = make({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}, {"d", {}}, {"e", {"c", "d"}}});
  ServiceId a = *g.find("a");
  ServiceId e = *g.find("e");
  CHECK(names(g, g.transitive_dependents(std::span(&a, 1))) == V{"a", "b", "c", "e"});
  CHECK(names(g, g.transitive_deps(std::span(&e, 1))) == V{"a", "b", "c", "d", "e"});
}

TEST_CASE("a self dependency is a cycle of one") {
  auto g = make({{"a", {"a"}}, {"b", {"a"}}});
  REQUIRE(g.cycles().size() == 1);
  CHECK(names(g, g.cycles()[0]) == V{"a"});
  CHECK(names(g, g.cycle_path(g.cycles()[0])) == V{"a", "a"});
  CHECK(names(g, g.topo_order()) == V{"a", "b"});
}

TEST_CASE("a cycle of two is reported and closures pass through it") {
  auto g = make({{"a", {"b"}}, {"b", {"a", "c"}}, {"c", {}}, {"d", {"a"}}});
  REQUIRE(g.cycles().size() == 1);
  CHECK(names(g, g.cycles()[0]) == V{"a", "b"});
  CHECK(names(g, g.cycle_path(g.cycles()[0])) == V{"a", "b", "a"});
  // The cycle comes after its dependency c and before its dependent d, members in id order.
  CHECK(names(g, g.topo_order()) == V{"c", "a", "b", "d"});
  ServiceId b = *g.find("b");
  CHECK(names(g, g.transitive_dependents(std::span(&b, 1))) == V{"a", "b", "d"});
  ServiceId c = *g.find("c");
  CHECK(names(g, g.transitive_dependents(std::span(&c, 1))) == V{"a", "b", "c", "d"});
}

TEST_CASE("a long cycle is reported with a concrete path and every member") {
  // a -> b -> c -> d -> e -> a, with a chord c -> a; x hangs off e.
  auto g = make(
      {{"a", {"b"}}, {"b", {"c"}}, {"c", {"d", "a"}}, {"d", {"e"}}, {"e", {"a"}}, {"x", {"e"}}});
  REQUIRE(g.cycles().size() == 1);
  CHECK(names(g, g.cycles()[0]) == V{"a", "b", "c", "d", "e"});
  CHECK(names(g, g.cycle_path(g.cycles()[0])) == V{"a", "b", "c", "a"});
  CHECK(names(g, g.topo_order()) == V{"a", "b", "c", "d", "e", "x"});
  ServiceId d = *g.find("d");
  CHECK(names(g, g.transitive_dependents(std::span(&d, 1))) == V{"a", "b", "c", "d", "e", "x"});
}

TEST_CASE("two separate cycles are both reported, in order of their first member") {
  auto g = make({{"a", {"b"}}, {"b", {"a"}}, {"c", {"d"}}, {"d", {"c", "a"}}});
  REQUIRE(g.cycles().size() == 2);
  CHECK(names(g, g.cycles()[0]) == V{"a", "b"});
  CHECK(names(g, g.cycles()[1]) == V{"c", "d"});
  CHECK(names(g, g.topo_order()) == V{"a", "b", "c", "d"});
}

TEST_CASE("a deep chain does not overflow the stack") {
  std::vector<std::pair<std::string, std::vector<std::string>>> spec;
  for (int i = 0; i < 100000; ++i) {
    std::string name = "s" + std::to_string(i);
    spec.push_back({name, i == 0 ? std::vector<std::string>{} : std::vector<std::string>{}});
  }
  std::vector<std::string> names_list;
  std::vector<std::vector<ServiceId>> edges(spec.size());
  for (std::uint32_t i = 0; i < spec.size(); ++i) {
    names_list.push_back(spec[i].first);
    if (i > 0) {
      edges[i].push_back(ServiceId{i - 1});
    }
  }
  ServiceGraph g(names_list, edges);
  CHECK(g.topo_order().size() == 100000);
  CHECK(g.topo_order().front() == ServiceId{0});
  CHECK(g.cycles().empty());
}
