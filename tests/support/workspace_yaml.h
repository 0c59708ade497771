#pragma once

// Builds a Workspace from YAML texts in memory, for unit tests of whatever sits on top of one
// (graph, affected, task graph, keys, scheduler). Header-only: graph tests include it without
// linking the orchestrator.

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "graph/config_parser.h"
#include "graph/workspace.h"

namespace ripple::testing {

// `root` is ripple.yaml's text; `services` are (directory, service.yaml text) pairs. The texts
// must parse; assembling may fail (that is what some tests look at).
inline Result<graph::Workspace> assemble_yaml(
    const std::string& root, const std::vector<std::pair<std::string, std::string>>& services) {
  auto rc = graph::parse_root_config(root, "ripple.yaml");
  REQUIRE(rc.has_value());
  std::vector<graph::ServiceSource> sources;
  for (const auto& [dir, text] : services) {
    auto sc = graph::parse_service_config(text, dir + "/service.yaml");
    REQUIRE(sc.has_value());
    sources.push_back(graph::ServiceSource{*RepoPath::parse(dir), std::move(*sc)});
  }
  return graph::Workspace::assemble(std::move(*rc), std::move(sources));
}

// Like assemble_yaml, and the workspace must assemble.
inline graph::Workspace workspace_yaml(
    const std::string& root, const std::vector<std::pair<std::string, std::string>>& services) {
  auto ws = assemble_yaml(root, services);
  REQUIRE(ws.has_value());
  return std::move(*ws);
}

}  // namespace ripple::testing
