#pragma once

// `ripple affected`: the services a change can touch, with the reason for each.

#include <optional>
#include <string>
#include <vector>

#include "orchestrator/change_detection.h"
#include "orchestrator/context.h"
#include "orchestrator/inputs/file_table.h"
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

// Loads the workspace at ctx, opens its git repository and detects the affected set.
// With `list_files`, the scan of the work tree that finds uncommitted changes also lists every
// file with its id, through the stat cache (input_scan.h), for the caller's input index: `files`
// is set whenever the work tree was scanned, to the listing or the error it met.
struct AffectedRun {
  LoadedWorkspace loaded;
  AffectedReport report;
  std::optional<Result<FileTable>> files;
};
Result<AffectedRun> load_and_detect(const CommandContext& ctx, const AffectedOptions& options,
                                    bool list_files = false);

}  // namespace ripple
