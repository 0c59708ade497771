#pragma once

// Helpers shared by the run's report files (run/trace_format.h, run/junit_format.h,
// run/step_summary.h): a task's log made safe to embed in XML or Markdown and cut to a size, and
// how a task's time and cache source are shown. Pure.

#include <cstddef>
#include <string>
#include <string_view>

#include "graph/task_graph.h"
#include "orchestrator/run/run_summary.h"
#include "orchestrator/run/scheduler.h"

namespace ripple {

// `log` as clean UTF-8 text: terminal escape sequences (colours, cursor moves) removed, carriage
// returns dropped, every other control character but tab and newline and every byte that is not
// valid UTF-8 replaced by U+FFFD. What XML 1.0 and a Markdown code block can both carry.
std::string clean_log_text(std::string_view log);

// The end of `text` in at most `max_bytes` bytes: from the first whole line that fits (or, when
// no line does, from a UTF-8 character boundary). `text` itself when it fits.
std::string_view tail_within(std::string_view text, std::size_t max_bytes);

// "1.5 KiB", "30.0 MiB": a size for a note about truncation.
std::string format_bytes(std::size_t bytes);

// How long a task is shown to have taken: its run, or for a cached one its restore (seconds).
double reported_seconds(const TaskOutcome& outcome);

// Where task `id`'s result came from: "local" or "remote" (a cache hit), "miss" (looked up, then
// run), "off" (not cached: --cache off, or `cache: false`), "" (no command).
const char* cache_source(const RunRecord& run, graph::TaskId id);

}  // namespace ripple
