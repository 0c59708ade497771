#pragma once

// Builds the run's InputIndex: lists every workspace file with its id (git when the workspace
// is in a work tree, a filesystem walk otherwise), through the stat cache in
// <root>/.ripple/state/ when it can be opened (a warning and no cache otherwise).

#include <future>
#include <memory>
#include <optional>
#include <string>

#include "cache/stat_cache.h"
#include "orchestrator/context.h"
#include "orchestrator/inputs/input_index.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

enum class InputDetail {
  files,    // the index lists every file (the per-service lists, read through InputIndex::file())
  digests,  // only the digests are needed: the lists may be left empty
};

// The workspace's files, listed on a thread of their own from the moment the workspace root is
// known, so that listing overlaps loading the workspace: a command needs both and neither needs
// the other. With `include_worktree`, the work tree is scanned as scan_inputs() would, set up
// from the root's ripple.yaml (its `fsmonitor`), which is read for that; without, the index's
// entries are taken. `ctx` must outlive the object.
class BackgroundListing {
 public:
  BackgroundListing(const CommandContext& ctx, const std::string& root, bool include_worktree);
  // A listing already made, or the error it met (by change detection's scan: Vcs::scan_changes()
  // with a FileListing).
  explicit BackgroundListing(Result<FileTable> listed);
  // Waits for the thread; call once. Nothing when the root is not in a git work tree, or its
  // ripple.yaml could not be read (loading the workspace reports why).
  std::optional<Result<FileTable>> take() { return future_.get(); }

 private:
  std::future<std::optional<Result<FileTable>>> future_;
};

// The stat cache a work-tree listing goes through: <root>/.ripple/state/, opened only when a
// file needs it. When it cannot be opened (another ripple holds it, a read-only disk) hashing
// goes on without it, and save_stat_cache() says so in one warning.
std::unique_ptr<cache::StatCache> open_stat_cache(const std::string& root);
void save_stat_cache(const CommandContext& ctx, std::unique_ptr<cache::StatCache> stat_cache);

// `include_worktree` false (git only): take every id from the index without looking at the
// work tree (`--no-uncommitted`), for a checkout known to be clean, such as a fresh CI clone.
// In a git work tree no FileRecord is made: the index keeps the listing's views
// (InputIndex::table); with InputDetail::digests the entries are digested where they lie and the
// index comes back with its table, service lists and global_files empty.
// `ahead`: the listing started with the same `include_worktree`, taken here.
Result<InputIndex> scan_inputs(const CommandContext& ctx, const LoadedWorkspace& loaded,
                               bool include_worktree = true,
                               InputDetail detail = InputDetail::files,
                               BackgroundListing* ahead = nullptr);

}  // namespace ripple
