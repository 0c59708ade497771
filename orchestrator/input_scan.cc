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

// The index of `table`'s files; with InputDetail::digests only the digests, the lists left empty
// (they would index the table, which the caller lets go).
InputIndex index_of(const graph::Workspace& ws, const FileTable& table, InputDetail detail) {
  if (detail == InputDetail::files) {
    return build_input_index(ws, table.records());
  }
  InputIndex index = build_input_index(ws, table.files());
  for (ServiceInputs& s : index.services) {
    s.files.clear();
  }
  index.global_files.clear();
  return index;
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
    InputIndex index = index_of(loaded.workspace, *table, detail);
    timer.lap("  input index");
    return index;
  }
  auto stat_cache = open_stat_cache(loaded.root);
  // Flushes the stat cache once the files are identified: a failure costs only the memo.
  auto save_stat_cache = [&] {
    timer.lap("  list and identify files");
    if (stat_cache) {
      if (auto st = stat_cache->flush(); !st) {
        ctx.reporter.warning(st.error().message + "; hashed without it");
      }
    }
    stat_cache.reset();
    timer.lap("  save and close the stat cache");
  };
  if (git::GitVcs::inside_work_tree(loaded.root)) {
    auto vcs = git::GitVcs::open(loaded.root);
    if (!vcs) {
      return tl::unexpected(vcs.error());  // git, but unusable: never silently hash as plain files
    }
    if (auto st = prepare_worktree_scan(ctx, loaded, **vcs); !st) {
      return tl::unexpected(st.error());
    }
    git::GitBlobHasher hasher;
    auto table = (*vcs)->files(stat_cache.get(), hasher);
    if (!table) {
      return tl::unexpected(table.error());
    }
    save_stat_cache();
    InputIndex index = index_of(loaded.workspace, *table, detail);
    timer.lap("  input index");
    return index;
  }
  Xxh3FileHasher hasher;
  auto files = walk_files(loaded.root, stat_cache.get(), hasher);
  if (!files) {
    return tl::unexpected(files.error());
  }
  save_stat_cache();
  InputIndex index = build_input_index(loaded.workspace, std::move(*files));
  timer.lap("  input index");
  return index;
}

}  // namespace ripple
