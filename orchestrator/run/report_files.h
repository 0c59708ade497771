#pragma once

// Writes the report files a run was asked for, once it has ended: `--profile F` (a Chrome trace,
// run/trace_format.h), `--junit F` (JUnit XML, run/junit_format.h) and, when $GITHUB_STEP_SUMMARY
// names a file, the Markdown step summary appended to it (run/step_summary.h). A file that cannot
// be written is reported as an error naming it and the others are still written; the caller
// turns that into exit 3 when the run otherwise succeeded.

#include <chrono>
#include <span>
#include <string>

#include "orchestrator/context.h"
#include "orchestrator/phase_timer.h"
#include "orchestrator/run/run_summary.h"
#include "orchestrator/run/trace_format.h"

namespace ripple {

struct ReportFiles {
  std::string profile;  // --profile; empty: none
  std::string junit;    // --junit; empty: none
};

// ripple's phases as the trace shows them: from `started` (the run's start on the steady clock)
// on, in µs.
std::vector<TracePhase> trace_phases(std::span<const Phase> phases,
                                     std::chrono::steady_clock::time_point started);

// True when every file asked for was written whole.
bool write_report_files(const CommandContext& ctx, const ReportFiles& files, const RunRecord& run,
                        std::span<const Phase> phases,
                        std::chrono::steady_clock::time_point started);

}  // namespace ripple
