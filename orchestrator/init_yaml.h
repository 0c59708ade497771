#pragma once

// The text of the commented ripple.yaml `ripple init` writes (docs/cli.md, ripple init). Pure: it
// takes what the command found and returns YAML; reading the workspace and writing the file are
// the command's (commands/init_command.h).
//
// Contract: the text parses as a ripple.yaml (graph/config_parser.h) and, loaded in the workspace
// it was made for, gives the same services: `discover:` lists exactly the rules with a non-zero
// count in `found` (a rule's own line commented out otherwise; with none, the whole key is
// commented out, so every rule stays on) and `services:` keeps the entries given. Every key has a
// comment saying what it does. The output is the same for the same plan.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ripple {

struct InitPlan {
  // Each known rule (rules::known_rules(), in that order) with how many services it found in the
  // workspace; a rule that only reads files for another (dockerfile, for compose) counts what it
  // contributed to. Rules left out are written as commented lines.
  std::vector<std::pair<std::string, std::size_t>> found;
  // `services:` entries to keep (an existing ripple.yaml's, when overwriting it); empty: `[]`.
  std::vector<std::string> services;
  // The package.json scripts some service defines, among kInitScripts: each becomes a task
  // template with `script:` (docs/inference.md, Scripts as tasks).
  std::vector<std::string> scripts;
};

// The scripts init makes task templates of, in the order they are written: those a Turborepo
// user has in turbo.json's `tasks` (build, test, lint, typecheck/check-types).
inline constexpr const char* kInitScripts[] = {"build", "test", "lint", "typecheck", "check-types"};

std::string format_init_yaml(const InitPlan& plan);

}  // namespace ripple
