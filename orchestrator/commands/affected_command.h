#pragma once

// `ripple affected`: the services a change can touch, with the reason for each.

#include <optional>
#include <string>
#include <vector>

#include "orchestrator/change_detection.h"
#include "orchestrator/context.h"
#include "orchestrator/matrix_filter.h"

namespace ripple {

enum class AffectedFormat { text, json, github_matrix, github_output };

struct AffectedCommandOptions {
  AffectedOptions detection;
  AffectedFormat format = AffectedFormat::text;
  bool explain = false;  // one sentence per service instead of names (text only)
  bool files = false;    // also list changed files and what they affected (stderr)
  std::vector<MatrixFilter> matrix_filters;  // github_matrix and github_output only
};

// Input errors (exit 2): matrix filters with a format other than github-matrix/github-output,
// a task filter naming a task no service defines.
int run_affected_command(const CommandContext& ctx, const AffectedCommandOptions& options);

}  // namespace ripple
