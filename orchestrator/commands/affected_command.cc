#include "orchestrator/commands/affected_command.h"

#include <ostream>

#include "orchestrator/affected_format.h"
#include "orchestrator/command_support.h"
#include "orchestrator/git/git_blob_hasher.h"
#include "orchestrator/git/git_vcs.h"
#include "orchestrator/input_scan.h"
#include "orchestrator/phase_timer.h"
#include "orchestrator/process_lifetime.h"
#include "orchestrator/scan_setup.h"

namespace ripple {

Result<AffectedRun> load_and_detect(const CommandContext& ctx, const AffectedOptions& options,
                                    bool list_files) {
  PhaseTimer timer(ctx);
  auto loaded = load_workspace_for(ctx);
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  timer.lap("load workspace");
  // Before the repository: the listing it may be asked for holds pointers to both.
  std::unique_ptr<cache::StatCache> stat_cache;
  git::GitBlobHasher hasher;
  auto vcs = git::GitVcs::open(loaded->root);
  if (!vcs) {
    return tl::unexpected(vcs.error());
  }
  if (auto st = prepare_worktree_scan(ctx, *loaded, **vcs); !st) {
    return tl::unexpected(st.error());
  }
  if (list_files && options.include_worktree) {
    stat_cache = open_stat_cache(loaded->root);
    (*vcs)->list_files_in_scans(stat_cache.get(), hasher);
  }
  auto report = detect_affected(*loaded, **vcs, ctx.env, ctx.fs, options, ctx.reporter);
  timer.lap("detect changes");
  if (!report) {
    return tl::unexpected(report.error());
  }
  std::optional<Result<FileTable>> files = (*vcs)->take_listed_files();
  if (files && *files) {
    save_stat_cache(ctx, std::move(stat_cache));
  }
  return AffectedRun{std::move(*loaded), std::move(*report), std::move(files)};
}

int run_affected_command(const CommandContext& ctx, const AffectedCommandOptions& options) {
  const bool matrix = options.format == AffectedFormat::github_matrix ||
                      options.format == AffectedFormat::github_output;
  if (!options.matrix_filters.empty() && !matrix) {
    return report_failure(
        ctx, Error{ErrorKind::input,
                   "--matrix-filter applies to --format github-matrix or github-output only"});
  }
  auto run = load_and_detect(ctx, options.detection);
  if (!run) {
    return report_failure(ctx, run.error());
  }
  const graph::Workspace& ws = run->loaded.workspace;
  if (auto checked = check_matrix_filters(ws, options.matrix_filters); !checked) {
    return report_failure(ctx, checked.error());
  }
  const graph::AffectedSet& set = run->report.set;
  if (run->report.changes) {
    ctx.reporter.info(format_change_source(*run->report.changes,
                                           options.detection.head.value_or("HEAD"),
                                           run->report.base->source) +
                      ", " + std::to_string(set.services.size()) + " of " +
                      std::to_string(ws.services().size()) + " services affected");
  }
  report_unowned(ctx.reporter, ws, set);
  if (options.files) {
    std::string files = format_changed_files(ws, set);
    ctx.reporter.info("changed files:\n" + files);
  }
  switch (options.format) {
    case AffectedFormat::json:
      ctx.out << format_affected_json(ws, set);
      break;
    case AffectedFormat::github_matrix:
      ctx.out << format_affected_matrix(matrix_services(ws, set, options.matrix_filters));
      break;
    case AffectedFormat::github_output:
      ctx.out << format_affected_github_output(matrix_services(ws, set, options.matrix_filters));
      break;
    case AffectedFormat::text:
      ctx.out << (options.explain ? format_affected_explain(ws, set) : format_affected_text(set));
      break;
  }
  keep_until_exit(run);
  return 0;
}

}  // namespace ripple
