#include "orchestrator/input_scan.h"

#include "graph/config_parser.h"
#include "orchestrator/inputs/tree_walk.h"
#include "orchestrator/phase_timer.h"
#include "orchestrator/platform/huge_page_heap.h"
#include "orchestrator/state_dir.h"
#include "orchestrator/workspace_vcs.h"

namespace ripple {
namespace {

// The files of the git work tree holding `root`, with their ids: the index's entries when
// `include_worktree` is false, else a scan of the work tree (through the stat cache and the
// monitor `fsmonitor` names, workspace_vcs.h). Nothing when `root` is not in a git work tree.
std::optional<Result<FileTable>> list_git_files(const CommandContext& ctx, const std::string& root,
                                                const std::string& fsmonitor,
                                                bool include_worktree) {
  if (!inside_git_work_tree(root)) {
    return std::nullopt;
  }
  auto vcs = open_workspace_vcs(ctx, root, VcsUse{fsmonitor, include_worktree});
  if (!vcs) {
    // Git, but unusable: never silently hashed as plain files.
    return Result<FileTable>(tl::unexpected(vcs.error()));
  }
  if (!include_worktree) {
    return vcs->vcs->recorded_files();
  }
  PhaseTimer timer(ctx);
  auto table = vcs->vcs->files(vcs->stat_cache.get(), *vcs->hasher);
  timer.lap("  list and identify files");
  if (table) {
    vcs->vcs.reset();
    save_stat_cache(ctx, std::move(vcs->stat_cache));
    timer.lap("  save and close the stat cache");
  }
  return table;
}

// The `fsmonitor` setting of the ripple.yaml at `root`; nothing when it cannot be read or
// parsed (loading the workspace reports that).
std::optional<std::string> fsmonitor_setting(const CommandContext& ctx, const std::string& root) {
  auto text = ctx.fs.read_file(root + "/" + kRootConfigName);
  if (!text) {
    return std::nullopt;
  }
  auto config = graph::parse_root_config(*text, kRootConfigName);
  if (!config) {
    return std::nullopt;
  }
  return config->fsmonitor;
}

// The index of `table`'s files: with InputDetail::files the index keeps the table; with
// InputDetail::digests only the digests, the lists left empty.
InputIndex index_of(const graph::Workspace& ws, FileTable table, InputDetail detail) {
  if (detail == InputDetail::files) {
    return build_input_index(ws, std::move(table));
  }
  InputIndex index = build_input_index(ws, table.files());
  for (ServiceInputs& s : index.services) {
    s.files.clear();
  }
  index.global_files.clear();
  return index;
}

}  // namespace

std::unique_ptr<cache::StatCache> open_stat_cache(const std::string& root) {
  return cache::StatCache::open_when_needed(ensure_state_dir(root));
}

void save_stat_cache(const CommandContext& ctx, std::unique_ptr<cache::StatCache> stat_cache) {
  if (stat_cache) {
    if (auto st = stat_cache->flush(); !st) {
      ctx.reporter.warning(st.error().message + "; hashed without it");
    }
  }
}

BackgroundListing::BackgroundListing(Result<FileTable> listed) {
  std::promise<std::optional<Result<FileTable>>> ready;
  future_ = ready.get_future();
  ready.set_value(std::move(listed));
}

BackgroundListing::BackgroundListing(const CommandContext& ctx, const std::string& root,
                                     bool include_worktree)
    : future_(std::async(std::launch::async,
                         [&ctx, root, include_worktree]() -> std::optional<Result<FileTable>> {
                           std::optional<HugePageHeap::WorkerAdvice> workers;
                           if (ctx.heap != nullptr) {
                             ctx.heap->advise_this_thread();
                             workers.emplace(*ctx.heap);
                           }
                           if (!include_worktree) {
                             return list_git_files(ctx, root, "off", false);
                           }
                           auto fsmonitor = fsmonitor_setting(ctx, root);
                           if (!fsmonitor) {
                             return std::nullopt;
                           }
                           return list_git_files(ctx, root, *fsmonitor, true);
                         })) {}

Result<InputIndex> scan_inputs(const CommandContext& ctx, const LoadedWorkspace& loaded,
                               bool include_worktree, InputDetail detail,
                               BackgroundListing* ahead) {
  PhaseTimer timer(ctx);
  std::optional<Result<FileTable>> table = ahead != nullptr ? ahead->take() : std::nullopt;
  if (!table) {
    table = list_git_files(ctx, loaded.root, loaded.workspace.config().fsmonitor, include_worktree);
  }
  if (table) {
    if (!*table) {
      return tl::unexpected(table->error());
    }
    timer.lap(ahead != nullptr ? "  wait for the listing" : "  list the files");
    InputIndex index = index_of(loaded.workspace, std::move(**table), detail);
    timer.lap("  input index");
    return index;
  }
  // Not in a git work tree: every file is hashed (or remembered).
  auto stat_cache = open_stat_cache(loaded.root);
  Xxh3FileHasher hasher;
  auto files = walk_files(loaded.root, stat_cache.get(), hasher);
  if (!files) {
    return tl::unexpected(files.error());
  }
  save_stat_cache(ctx, std::move(stat_cache));
  timer.lap("  list, identify and save");
  InputIndex index = build_input_index(loaded.workspace, std::move(*files));
  timer.lap("  input index");
  return index;
}

}  // namespace ripple
