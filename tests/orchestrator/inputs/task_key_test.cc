#include "orchestrator/inputs/task_key.h"

#include <catch2/catch.hpp>
#include <map>

#include "cache/digest.h"
#include "graph/config_parser.h"
#include "tests/support/workspace_yaml.h"

using namespace ripple;
using namespace ripple::graph;

namespace {

struct Fixture {
  Workspace ws;
  TaskGraph tasks;
  InputIndex inputs;
};

Fixture make(const std::string& app_yaml) {
  auto ws = ripple::testing::assemble_yaml(
      "services: [s/*]\nenv: [CI_REGISTRY]\ntasks:\n  build: { run: make, deps: ['^build'] }\n",
      {{"s/lib", ""}, {"s/app", app_yaml}});
  REQUIRE(ws.has_value());
  std::vector<ServiceId> all(ws->graph().topo_order().begin(), ws->graph().topo_order().end());
  std::vector<std::string> names = {"build"};
  auto g = TaskGraph::build(*ws, all, names);
  REQUIRE(g.has_value());
  std::vector<FileRecord> files = {{*RepoPath::parse("s/lib/a.c"), 0100644,
                                    "1111111111111111111111111111111111111111", FileSource::index},
                                   {*RepoPath::parse("s/app/b.c"), 0100644,
                                    "2222222222222222222222222222222222222222", FileSource::index}};
  InputIndex inputs = build_input_index(*ws, files);
  return Fixture{std::move(*ws), std::move(*g), std::move(inputs)};
}

std::map<std::string, std::string> keys(const Fixture& f, std::map<std::string, std::string> env) {
  EnvLookup lookup = [env](const std::string& n) -> std::optional<std::string> {
    auto it = env.find(n);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  auto computed = compute_task_keys(f.ws, f.tasks, f.inputs, {}, lookup);
  std::map<std::string, std::string> out;
  for (TaskId id : f.tasks.topo_order()) {
    out[f.tasks.node(id).label] = computed[id.value].key;
  }
  return out;
}

}  // namespace

TEST_CASE("task keys are SHA-256 of the manifest and stable") {
  Fixture f = make("deps: [lib]\n");
  auto a = keys(f, {});
  auto b = keys(f, {});
  CHECK(a == b);
  CHECK(a["app#build"].size() == 64);
  CHECK(cache::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("a declared env value enters the key, an undeclared one does not") {
  Fixture f = make("deps: [lib]\nenv: [GOFLAGS]\n");
  auto base = keys(f, {});
  CHECK(keys(f, {{"UNRELATED", "1"}}) == base);
  auto with_flags = keys(f, {{"GOFLAGS", "-race"}});
  CHECK(with_flags["app#build"] != base["app#build"]);
  CHECK(with_flags["lib#build"] == base["lib#build"]);  // only app declares GOFLAGS
  auto with_registry = keys(f, {{"CI_REGISTRY", "r"}});
  CHECK(with_registry["lib#build"] != base["lib#build"]);  // ripple.yaml env: every task
}

TEST_CASE("a dependency's key change propagates to its dependents' keys") {
  Fixture f = make("deps: [lib]\n");
  auto before = keys(f, {});
  f.inputs.services[f.ws.graph().find("lib")->value].digest.bytes[0] ^= 1;
  auto after = keys(f, {});
  CHECK(after["lib#build"] != before["lib#build"]);
  CHECK(after["app#build"] != before["app#build"]);
}
