#include "orchestrator/commands/affected_command.h"

#include <ostream>

#include "orchestrator/affected_format.h"
#include "orchestrator/affected_scan.h"
#include "orchestrator/command_setup.h"
#include "orchestrator/keep_until_exit.h"

namespace ripple {

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
