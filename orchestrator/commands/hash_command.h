#pragma once

// `ripple hash [SERVICE...] [--task T] [--files] [--format text|json]`: each service's input
// digest, and with --files every input with its id and where the id came from. With --task T,
// the digest task T's key stands on instead (its own `inputs:`, or its service's), for the
// services that define T.

#include <optional>
#include <string>
#include <vector>

#include "orchestrator/context.h"

namespace ripple {

struct HashOptions {
  std::vector<std::string> services;  // empty: all
  bool files = false;
  std::optional<std::string> task;  // --task T
  std::string format = "text";   // text | json
  bool include_worktree = true;  // false: ids from the git index only (--no-uncommitted)
};

int run_hash_command(const CommandContext& ctx, const HashOptions& options);

}  // namespace ripple
