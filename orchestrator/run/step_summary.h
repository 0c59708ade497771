#pragma once

// On GitHub Actions: the run as Markdown for the job's summary page, which ripple appends to the
// file $GITHUB_STEP_SUMMARY names. The command, the selection line of the run's header (what was
// selected and why), the footer's counts, then a table of the tasks with a command (status, time,
// cache), failures first, then each failure's log tail in a <details> block:
//
//   ### ripple run build test --affected
//   HEAD vs origin/main (GITHUB_BASE_REF, merge-base 1a2b3c4d5e): 2 changed files; 3 of 40 ...
//
//   **Tasks: 6 (4 cached, 1 ran, 1 failed) · Time: 9.1 s · Saved: 1m 02s**
//
//   | Status | Task | Time | Cache |
//   | --- | --- | --- | --- |
//   | ❌ failed | web#test | 8.2 s | miss |
//   ...
//   <details><summary>web#test: exit code 1</summary> ... ```text log tail``` ... </details>
//
// Kept within `max_bytes` (GitHub's limit is 1 MiB per step): log tails are shortened first, then
// rows are left off the end of the table, each saying so. Pure.

#include <cstddef>
#include <string>

#include "orchestrator/run/run_summary.h"

namespace ripple {

// GitHub's limit on what one step adds to the job summary.
inline constexpr std::size_t kStepSummaryMaxBytes = 1024u * 1024;
// Lines of a failed task's log in its <details> block.
inline constexpr std::size_t kStepSummaryLogLines = 50;

std::string format_step_summary(const RunRecord& run, std::size_t max_bytes = kStepSummaryMaxBytes);

}  // namespace ripple
