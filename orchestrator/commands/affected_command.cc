#include "orchestrator/commands/affected_command.h"

#include <ostream>

#include "orchestrator/affected_format.h"
#include "orchestrator/git/git_vcs.h"
#include "orchestrator/phase_timer.h"

namespace ripple {

Result<AffectedRun> load_and_detect(const CommandContext& ctx, const AffectedOptions& options) {
  PhaseTimer timer(ctx);
  auto root = find_workspace_root(ctx.fs, ctx.start_dir);
  if (!root) {
    return tl::unexpected(root.error());
  }
  auto loaded = load_workspace(ctx.fs, *root);
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  for (const auto& w : loaded->warnings) {
    ctx.reporter.warning(w.message);
  }
  timer.lap("load workspace");
  auto vcs = git::GitVcs::open(*root);
  if (!vcs) {
    return tl::unexpected(vcs.error());
  }
  auto report = detect_affected(*loaded, **vcs, ctx.env, options, ctx.reporter);
  timer.lap("detect changes");
  if (!report) {
    return tl::unexpected(report.error());
  }
  return AffectedRun{std::move(*loaded), std::move(*report)};
}

int run_affected_command(const CommandContext& ctx, const AffectedCommandOptions& options) {
  auto run = load_and_detect(ctx, options.detection);
  if (!run) {
    ctx.reporter.error(run.error().message);
    return exit_code_for(run.error().kind);
  }
  const graph::Workspace& ws = run->loaded.workspace;
  const graph::AffectedSet& set = run->report.set;
  if (run->report.changes) {
    const auto& c = *run->report.changes;
    ctx.reporter.info((options.detection.head.value_or("HEAD")) + " vs " + c.base_ref + " (" +
                      run->report.base->source + ", merge-base " + c.merge_base.substr(0, 10) +
                      ")" + (c.includes_worktree ? " + work tree" : "") + ": " +
                      std::to_string(c.files.size()) +
                      (c.files.size() == 1 ? " changed file, " : " changed files, ") +
                      std::to_string(set.services.size()) + " of " +
                      std::to_string(ws.services().size()) + " services affected");
  }
  if (options.files) {
    std::string files = format_changed_files(ws, set);
    ctx.reporter.info("changed files:\n" + files);
  }
  if (options.format == "json") {
    ctx.out << format_affected_json(ws, set);
  } else if (options.format == "github-matrix") {
    ctx.out << format_affected_matrix(set);
  } else if (options.explain) {
    ctx.out << format_affected_explain(ws, set);
  } else {
    ctx.out << format_affected_text(set);
  }
  return 0;
}

}  // namespace ripple
