#pragma once

// `ripple run TASK... [--affected | --all | --only S,..] [-j N|N%] [--continue] [--cache local|off]
// [--summary F] [--dry-run[=json]] [--log-order stream|grouped|auto] [--explain-misses]`: plans the
// tasks with their keys, then runs them in dependency order, answering from the local cache when it
// has a task's key. A header line says what was selected and why; a footer counts what happened
// and repeats each failure with its log's tail. Exit 0 when every task ran or was cached (or
// nothing was affected), 1 when one failed, 130 on Ctrl-C.

#include <string>
#include <string_view>
#include <vector>

#include "orchestrator/change_detection.h"
#include "orchestrator/context.h"

namespace ripple {

struct RunOptions {
  std::vector<std::string> tasks;
  std::string selection;  // "affected" | "all" | "only"; empty: affected in CI, all elsewhere
  std::vector<std::string> only;
  AffectedOptions detection;
  std::string dry_run;  // "" (run), "text" or "json"
  int jobs = 0;         // 0: the number of cores (parse_jobs)
  bool keep_going = false;
  std::string cache = "local";  // local | off
  std::string summary_file;
  int lock_timeout_seconds = 300;
  std::string log_order = "auto";  // stream | grouped | auto (grouped in CI or off a terminal)
  bool explain_misses = false;
  std::string command_line;  // as given, for the summary
};

// `-j` as given: "N" (N >= 1), "0" (the number of cores) or "P%" (that share of the cores, at
// least 1). An input error otherwise.
Result<int> parse_jobs(std::string_view text, unsigned cores);

int run_run_command(const CommandContext& ctx, const RunOptions& options);

}  // namespace ripple
