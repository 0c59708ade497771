#pragma once

// The inference rules ripple knows (DESIGN.md §3 `discover:`), and validation of the list a
// workspace asks for. Each rule reads one kind of ecosystem file (docker-compose, Dockerfile,
// package.json workspaces, go.mod/go.work, Cargo.toml, pyproject.toml).

#include <string>
#include <vector>

#include "graph/config.h"
#include "graph/support/error.h"

namespace ripple::rules {

// The rule names, in the order they run.
const std::vector<std::string>& known_rules();

// The rules a workspace enables: every known rule when `discover:` is absent, else the listed
// ones. An unknown name is an input error at its position, with a suggestion.
Result<std::vector<std::string>> enabled_rules(const graph::RootConfig& config);

// A service.yaml's `discover:` (graph::ServiceConfig::discover): an unknown rule is an input
// error at its position, with a suggestion.
Status check_service_rules(const graph::ServiceConfig& config);

// Whether `rule`'s findings apply to a service whose `discover:` is `rules` (none: all).
bool rule_applies(const std::optional<graph::LocatedStrings>& rules, const std::string& rule);

}  // namespace ripple::rules
