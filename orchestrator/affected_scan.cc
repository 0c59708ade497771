#include "orchestrator/affected_scan.h"

#include "orchestrator/command_setup.h"
#include "orchestrator/input_scan.h"
#include "orchestrator/phase_timer.h"
#include "orchestrator/workspace_vcs.h"

namespace ripple {

Result<AffectedRun> load_and_detect(const CommandContext& ctx, const AffectedOptions& options,
                                    bool list_files) {
  PhaseTimer timer(ctx);
  auto loaded = load_workspace_for(ctx);
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  timer.lap("load workspace");
  auto vcs = open_workspace_vcs(ctx, *loaded);
  if (!vcs) {
    return tl::unexpected(vcs.error());
  }
  std::optional<FileListing> listing;
  if (list_files && options.include_worktree) {
    listing = FileListing{vcs->stat_cache.get(), vcs->hasher.get()};
  }
  auto report =
      detect_affected(*loaded, *vcs->vcs, ctx.env, ctx.fs, options, ctx.reporter, listing);
  timer.lap("detect changes");
  if (!report) {
    return tl::unexpected(report.error());
  }
  // What the scan hashed is remembered for the next one; a listing that failed part-way may
  // have left out files, so its cache is not kept.
  if (!report->files || *report->files) {
    vcs->vcs.reset();
    save_stat_cache(ctx, std::move(vcs->stat_cache));
  }
  return AffectedRun{std::move(*loaded), std::move(*report)};
}

}  // namespace ripple
