#pragma once

// What `ripple run TASK... [--affected | --all | --only S,..] [-j N|N%] [--continue]
// [--cache local|off] [--summary F] [--profile F] [--junit F] [--dry-run[=json]]
// [--log-order stream|grouped|auto] [--explain-misses] [--push]` does (commands/run_command.h),
// and `ripple images --push` through it: plans the tasks with their keys, then runs them in
// dependency order, answering from the local cache when it has a task's key. A header line says
// what was selected and why; a footer counts what happened and repeats each failure with its
// log's tail; the report files asked for are written at the end (run/report_files.h). Exit 0 when
// every task ran or was cached (or nothing was affected), 1 when one failed, 130 on Ctrl-C; 3 when
// a report file cannot be written and the run otherwise succeeded.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchestrator/change_detection.h"
#include "orchestrator/context.h"
#include "orchestrator/run/image_executor.h"
#include "orchestrator/run/log_printer.h"
#include "orchestrator/run/report_files.h"
#include "orchestrator/run/run_report.h"
#include "orchestrator/run/run_stores.h"

namespace ripple {

enum class DryRun { off, text, json };  // --dry-run[=text|json]

struct RunOptions {
  std::vector<std::string> tasks;
  std::optional<SelectionMode> selection;  // nothing: affected in CI, all elsewhere
  std::vector<std::string> only;           // SelectionMode::only: the services named
  AffectedOptions detection;
  DryRun dry_run = DryRun::off;
  int jobs = 0;  // 0: the number of cores (parse_jobs)
  bool keep_going = false;
  CacheUse cache = CacheUse::configured;  // --cache
  std::optional<bool> remote_write;       // --remote-write / --remote-read-only
  std::string summary_file;
  ReportFiles reports;  // --profile, --junit (run/report_files.h)
  int lock_timeout_seconds = 300;
  std::optional<LogOrder> log_order;  // nothing (auto): grouped in CI or off a terminal
  bool explain_misses = false;
  std::string command_line;  // as given, for the summary
  // --push: image tasks whose tag the registry holds are not run; the others build and push
  // (run/image_executor.h). A registry that cannot be asked is exit 3 before anything runs.
  bool push = false;
  // With push, when set: every image the run pushed or found in the registry, by service name.
  std::map<std::string, PushedImage>* pushed = nullptr;
  // With push: the registry's answers the caller has already, by image reference (not asked
  // again).
  std::map<std::string, RegistryAnswer> registry_answers = {};
};

// `-j` as given: "N" (N >= 1), "0" (the number of cores) or "P%" (that share of the cores, at
// least 1). An input error otherwise.
Result<int> parse_jobs(std::string_view text, unsigned cores);

int run_tasks(const CommandContext& ctx, const RunOptions& options);

}  // namespace ripple
