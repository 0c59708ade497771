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

}  // namespace ripple::rules
