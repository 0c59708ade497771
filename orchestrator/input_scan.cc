#include "orchestrator/input_scan.h"

#include "orchestrator/git/git_blob_hasher.h"
#include "orchestrator/git/git_vcs.h"
#include "orchestrator/phase_timer.h"
#include "orchestrator/platform/tree_walk.h"
#include "orchestrator/scan_setup.h"
#include "orchestrator/state_dir.h"

namespace ripple {
namespace {

// The stat cache is an optimisation, opened only when a file needs it (a clean checkout takes
// every id from the index): when it cannot be opened (another ripple holds it, a read-only
// disk) hashing goes on without it, and saving it at the end says so in one warning.
std::unique_ptr<cache::StatCache> open_stat_cache(const std::string& root) {
  return cache::StatCache::open_when_needed(ensure_state_dir(root));
}

// The index's files when `root` is in a git work tree.
std::optional<Result<FileTable>> read_recorded_files(const std::string& root) {
  if (!git::GitVcs::inside_work_tree(root)) {
    return std::nullopt;
  }
  auto vcs = git::GitVcs::open(root);
  if (!vcs) {
    return Result<FileTable>(tl::unexpected(vcs.error()));
  }
  return (*vcs)->recorded_files();
}

}  // namespace

RecordedFilesAhead::RecordedFilesAhead(const std::string& root)
    : future_(std::async(std::launch::async, [root] { return read_recorded_files(root); })) {}

Result<InputIndex> scan_inputs(const CommandContext& ctx, const LoadedWorkspace& loaded,
                               bool include_worktree, InputDetail detail,
                               RecordedFilesAhead* ahead) {
  PhaseTimer timer(ctx);
  std::optional<Result<FileTable>> recorded;
  if (!include_worktree) {
    recorded = ahead != nullptr ? ahead->take() : read_recorded_files(loaded.root);
  }
  if (recorded) {
    auto& table = *recorded;
    if (!table) {
      return tl::unexpected(table.error());
    }
    timer.lap("  open the repository and read the index");
    if (detail == InputDetail::files) {
      return build_input_index(loaded.workspace, table->records(FileSource::index));
    }
    InputIndex index = build_input_index(loaded.workspace, table->files());
    timer.lap("  input index");
    // The lists index the table, which goes away here: none is handed out.
    for (ServiceInputs& s : index.services) {
      s.files.clear();
    }
    index.global_files.clear();
    return index;
  }
  auto stat_cache = open_stat_cache(loaded.root);
  Result<std::vector<FileRecord>> files = std::vector<FileRecord>();
  if (git::GitVcs::inside_work_tree(loaded.root)) {
    auto vcs = git::GitVcs::open(loaded.root);
    if (!vcs) {
      return tl::unexpected(vcs.error());  // git, but unusable: never silently hash as plain files
    }
    if (auto st = prepare_worktree_scan(ctx, loaded, **vcs); !st) {
      return tl::unexpected(st.error());
    }
    git::GitBlobHasher hasher;
    files = (*vcs)->files(stat_cache.get(), hasher);
  } else {
    Xxh3FileHasher hasher;
    files = walk_files(loaded.root, stat_cache.get(), hasher);
  }
  if (!files) {
    return tl::unexpected(files.error());
  }
  timer.lap("  list and identify files");
  if (stat_cache) {
    if (auto st = stat_cache->flush(); !st) {
      ctx.reporter.warning(st.error().message + "; hashed without it");
    }
  }
  stat_cache.reset();
  timer.lap("  save and close the stat cache");
  InputIndex index = build_input_index(loaded.workspace, std::move(*files));
  timer.lap("  input index");
  return index;
}

}  // namespace ripple
