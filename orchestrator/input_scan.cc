#include "orchestrator/input_scan.h"

#include "orchestrator/git/git_blob_hasher.h"
#include "orchestrator/git/git_vcs.h"
#include "orchestrator/platform/tree_walk.h"
#include "orchestrator/state_dir.h"

namespace ripple {
namespace {

// The stat cache is an optimisation: when it cannot be opened (another ripple holds it, a
// read-only disk) hashing goes on without it, after one warning.
std::unique_ptr<cache::StatCache> open_stat_cache(const std::string& root, Reporter& reporter) {
  std::string dir = ensure_state_dir(root);
  auto cache = cache::StatCache::open(dir);
  if (!cache) {
    reporter.warning(cache.error().message + "; hashing without it");
    return nullptr;
  }
  return std::move(*cache);
}

}  // namespace

Result<InputIndex> scan_inputs(const CommandContext& ctx, const LoadedWorkspace& loaded,
                               bool include_worktree) {
  if (!include_worktree && git::GitVcs::inside_work_tree(loaded.root)) {
    auto vcs = git::GitVcs::open(loaded.root);
    if (!vcs) {
      return tl::unexpected(vcs.error());
    }
    auto files = (*vcs)->recorded_files();
    if (!files) {
      return tl::unexpected(files.error());
    }
    return build_input_index(loaded.workspace, std::move(*files));
  }
  auto stat_cache = open_stat_cache(loaded.root, ctx.reporter);
  Result<std::vector<FileRecord>> files = std::vector<FileRecord>();
  if (git::GitVcs::inside_work_tree(loaded.root)) {
    auto vcs = git::GitVcs::open(loaded.root);
    if (!vcs) {
      return tl::unexpected(vcs.error());  // git, but unusable: never silently hash as plain files
    }
    (*vcs)->use_listing_cache(listing_snapshot_path(ensure_state_dir(loaded.root)));
    git::GitBlobHasher hasher;
    files = (*vcs)->files(stat_cache.get(), hasher);
  } else {
    Xxh3FileHasher hasher;
    files = walk_files(loaded.root, stat_cache.get(), hasher);
  }
  if (!files) {
    return tl::unexpected(files.error());
  }
  if (stat_cache) {
    if (auto st = stat_cache->flush(); !st) {
      ctx.reporter.warning(st.error().message);
    }
  }
  return build_input_index(loaded.workspace, std::move(*files));
}

}  // namespace ripple
