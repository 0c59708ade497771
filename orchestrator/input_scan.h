#pragma once

// Builds the run's InputIndex: lists every workspace file with its id (git when the workspace
// is in a work tree, a filesystem walk otherwise), through the stat cache in
// <root>/.ripple/state/ when it can be opened (a warning and no cache otherwise).

#include <future>
#include <optional>
#include <string>

#include "orchestrator/context.h"
#include "orchestrator/input_index.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

enum class InputDetail {
  files,    // the index lists every file (InputIndex::files and the per-service lists)
  digests,  // only the digests are needed: the lists may be left empty
};

// The git index's files, read on a thread of their own from the moment the workspace root is
// known, so that reading the index overlaps loading the workspace: `hash --no-uncommitted`
// needs both and neither needs the other. Nothing when the root is not in a git work tree.
class RecordedFilesAhead {
 public:
  explicit RecordedFilesAhead(const std::string& root);
  // Waits for the thread; call once.
  std::optional<Result<FileTable>> take() { return future_.get(); }

 private:
  std::future<std::optional<Result<FileTable>>> future_;
};

// `include_worktree` false (git only): take every id from the index without looking at the
// work tree (`--no-uncommitted`), for a checkout known to be clean, such as a fresh CI clone.
// There, InputDetail::digests digests the index's entries where they lie, with no FileRecord
// made: InputIndex::files, the service lists and global_files come back empty.
Result<InputIndex> scan_inputs(const CommandContext& ctx, const LoadedWorkspace& loaded,
                               bool include_worktree = true,
                               InputDetail detail = InputDetail::files,
                               RecordedFilesAhead* ahead = nullptr);

}  // namespace ripple
