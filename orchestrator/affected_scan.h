#pragma once

// The first half of `affected`, `graph --affected` and `run --affected`: load the workspace the
// command runs in, open its Vcs (workspace_vcs.h) and find the affected set.

#include "orchestrator/change_detection.h"
#include "orchestrator/context.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

struct AffectedRun {
  LoadedWorkspace loaded;
  AffectedReport report;  // report.files: the listing, when one was asked for
};

// Loads the workspace at ctx, opens its git repository and detects the affected set.
// With `list_files`, the scan of the work tree that finds uncommitted changes also lists every
// file with its id, through the stat cache (input_scan.h), for the caller's input index:
// `report.files` is set whenever the work tree was scanned, to the listing or the error it met.
Result<AffectedRun> load_and_detect(const CommandContext& ctx, const AffectedOptions& options,
                                    bool list_files = false);

}  // namespace ripple
