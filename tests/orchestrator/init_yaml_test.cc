#include "orchestrator/init_yaml.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "graph/config_parser.h"

using namespace ripple;

namespace {

InitPlan node_plan() {
  InitPlan plan;
  plan.found = {{"compose", 0}, {"dockerfile", 0}, {"node", 3},
                {"go", 0},      {"cargo", 0},      {"python", 0}};
  plan.scripts = {"build", "test", "lint"};
  return plan;
}

graph::RootConfig parsed(const std::string& text) {
  auto config = graph::parse_root_config(text, "ripple.yaml");
  INFO(text);
  REQUIRE(config.has_value());
  return std::move(*config);
}

std::vector<std::string> values(const graph::LocatedStrings& list) {
  std::vector<std::string> out;
  for (const auto& item : list) {
    out.push_back(item.value);
  }
  return out;
}

}  // namespace

TEST_CASE("init yaml: discover lists the rules that found something, the others commented") {
  InitPlan plan = node_plan();
  plan.found[0].second = 2;  // compose
  plan.found[1].second = 2;  // dockerfile, for compose's services
  const std::string text = format_init_yaml(plan);
  const graph::RootConfig config = parsed(text);
  REQUIRE(config.discover.has_value());
  CHECK(values(*config.discover) == std::vector<std::string>{"compose", "dockerfile", "node"});
  CHECK_THAT(text, Catch::Contains("\n  # - go "));
  CHECK_THAT(text, Catch::Contains("\n  # - cargo "));
  CHECK_THAT(text, Catch::Contains("\n  - node  "));
  CHECK_THAT(text, Catch::Contains("(3 services found)"));
}

TEST_CASE("init yaml: with nothing found, discover is left out and every rule stays on") {
  InitPlan plan;
  plan.found = {{"compose", 0}, {"node", 0}};
  const std::string text = format_init_yaml(plan);
  const graph::RootConfig config = parsed(text);
  CHECK_FALSE(config.discover.has_value());
  CHECK_THAT(text, Catch::Contains("# discover:\n  # - compose "));
  CHECK(config.tasks.empty());
  CHECK(config.services.empty());
}

TEST_CASE("init yaml: package.json scripts become script templates, test after build") {
  const graph::RootConfig config = parsed(format_init_yaml(node_plan()));
  REQUIRE(config.tasks.size() == 3);
  const graph::TaskConfig& build = config.tasks.at("build");
  REQUIRE(build.script.has_value());
  CHECK(build.script->value == "build");
  CHECK(values(*build.deps) == std::vector<std::string>{"^build"});
  CHECK(values(*build.outputs) == std::vector<std::string>{"dist/**"});
  CHECK(values(*config.tasks.at("test").deps) == std::vector<std::string>{"build"});
  CHECK(config.tasks.at("lint").script->value == "lint");
  CHECK_FALSE(config.tasks.at("lint").deps.has_value());
}

TEST_CASE("init yaml: test does not depend on a build no package has") {
  InitPlan plan = node_plan();
  plan.scripts = {"test"};
  const graph::RootConfig config = parsed(format_init_yaml(plan));
  REQUIRE(config.tasks.count("test") == 1);
  CHECK_FALSE(config.tasks.at("test").deps.has_value());
}

TEST_CASE("init yaml: without scripts the task templates are commented examples of the language") {
  InitPlan plan;
  plan.found = {{"node", 0}, {"go", 2}};
  const std::string text = format_init_yaml(plan);
  CHECK(parsed(text).tasks.empty());
  CHECK_THAT(text, Catch::Contains("#   build: { run: \"go build ./...\""));
}

TEST_CASE("init yaml: services entries are kept, quoted") {
  InitPlan plan = node_plan();
  plan.services = {"services/*", "!services/old", "odd \"name\""};
  CHECK(values(parsed(format_init_yaml(plan)).services) == plan.services);
}

TEST_CASE("init yaml: every key is under a comment that says what it does") {
  InitPlan plan = node_plan();
  plan.services = {"services/*"};
  std::istringstream in(format_init_yaml(plan));
  std::string line;
  std::string previous;
  int keys = 0;
  while (std::getline(in, line)) {
    // A key at the top level, or the first under cache:, starts a block that a comment opens.
    const bool top_key = !line.empty() && line[0] != '#' && line[0] != ' ';
    if (top_key || line == "  dir: .ripple/cache") {
      ++keys;
      INFO(line);
      CHECK(previous.find('#') != std::string::npos);
    }
    previous = line;
  }
  CHECK(keys == 6);  // version, services, discover, tasks, cache, cache.dir
}
