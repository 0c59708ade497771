#pragma once

// Builds a Workspace from YAML texts in memory, for unit tests of whatever sits on top of one
// (graph, affected, task graph, keys, scheduler). Header-only: graph tests include it without
// linking the orchestrator.

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "graph/config_parser.h"
#include "graph/workspace.h"

namespace ripple::testing {

// `root` is ripple.yaml's text; `services` are (directory, service.yaml text) pairs; `present`
// the files a template's `where:` may name that exist, by directory; `scripts` the package.json
// scripts a template's `script:` may name that exist, by directory. The texts must parse;
// assembling may fail (that is what some tests look at).
inline Result<graph::Workspace> assemble_yaml(
    const std::string& root, const std::vector<std::pair<std::string, std::string>>& services,
    const std::map<std::string, std::set<std::string>>& present = {},
    const std::map<std::string, std::set<std::string>>& scripts = {}) {
  auto rc = graph::parse_root_config(root, "ripple.yaml");
  REQUIRE(rc.has_value());
  std::vector<graph::ServiceSource> sources;
  for (const auto& [dir, text] : services) {
    auto sc = graph::parse_service_config(text, dir + "/service.yaml");
    REQUIRE(sc.has_value());
    auto files = present.find(dir);
    auto names = scripts.find(dir);
    sources.push_back(
        graph::ServiceSource{*RepoPath::parse(dir), std::move(*sc),
                             files != present.end() ? files->second : std::set<std::string>(),
                             names != scripts.end() ? names->second : std::set<std::string>()});
  }
  return graph::Workspace::assemble(std::move(*rc), std::move(sources));
}

// Like assemble_yaml, and the workspace must assemble.
inline graph::Workspace workspace_yaml(
    const std::string& root, const std::vector<std::pair<std::string, std::string>>& services,
    const std::map<std::string, std::set<std::string>>& present = {}) {
  auto ws = assemble_yaml(root, services, present);
  REQUIRE(ws.has_value());
  return std::move(*ws);
}

}  // namespace ripple::testing
