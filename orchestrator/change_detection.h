#pragma once

// From a loaded workspace and a VCS to the affected set: chooses the base, asks the VCS what
// changed, finds services removed since the base, and computes the affected set. Shared by
// `ripple affected` and `ripple graph --affected`.

#include <optional>
#include <string>

#include "graph/affected.h"
#include "orchestrator/base_ref.h"
#include "orchestrator/inputs/vcs.h"
#include "orchestrator/reporter.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

struct AffectedOptions {
  std::optional<std::string> base;
  std::optional<std::string> head;
  bool include_worktree = true;
  bool fallback_all = false;  // --fallback=all: every service, reason no-base, when no base
};

struct AffectedReport {
  graph::AffectedSet set;
  std::optional<graph::ChangeSet> changes;  // empty when the fallback was taken
  std::optional<BaseChoice> base;
  // The listing `listing` asked for (ChangeScan::files); nothing when none was asked for, or the
  // fallback was taken.
  std::optional<Result<FileTable>> files;
};

// Names the changed files no service owns, as `unowned:` in ripple.yaml says: a warning (warn),
// an info line saying every service is affected (all), or nothing (ignore, or none such).
void report_unowned(Reporter& reporter, const graph::Workspace& ws, const graph::AffectedSet& set);

// `env` and `fs` are what choose_base reads (base_ref.h): CI variables and a push's event file.
// Errors: the base cannot be chosen or resolved (environment, exit 3), unless fallback_all, in
// which case the error becomes a warning on `reporter` and every service is affected.
// `listing`: also list every file from the scan that finds the changes (vcs.h, FileListing).
Result<AffectedReport> detect_affected(const LoadedWorkspace& loaded, const Vcs& vcs,
                                       const EnvLookup& env, const Filesystem& fs,
                                       const AffectedOptions& options, Reporter& reporter,
                                       std::optional<FileListing> listing = std::nullopt);

}  // namespace ripple
