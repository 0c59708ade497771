#pragma once

// What `ripple run` tells a reader about the run as a whole, as text: the header line before
// the first task, the footer after the last, and each failure again at the end, so a CI reader
// sees at a glance what was selected, what ran and what broke. Pure formatting over values.
//
//   ripple: HEAD vs origin/main (GITHUB_BASE_REF, merge-base 1a2b3c4d5e) + work tree: 5 changed
//           files; 12 of 40 services: 3 changed, 9 dependents; 26 tasks, 24 expected from the cache
//   ...
//   ripple: Tasks: 26 (24 cached, 1 ran, 1 failed) · Time: 41.2 s · Saved: 5m 10s
//   ripple: web#test failed (exit code 1); last 20 lines of .ripple/logs/web/test.log:
//     <log tail>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cache/http_store.h"
#include "graph/affected.h"
#include "graph/workspace.h"
#include "orchestrator/change_detection.h"
#include "orchestrator/run/scheduler.h"

namespace ripple {

// Counts over a run's outcomes. Tasks without a command (status noop) count nowhere.
struct RunTotals {
  std::size_t tasks = 0;  // every task with a command
  std::size_t ran = 0;
  std::size_t cached = 0;
  std::size_t remote_hits = 0;  // of `cached`, those the remote cache answered
  std::size_t failed = 0;
  std::size_t skipped = 0;
  double saved_seconds = 0;  // what the cached tasks took when they ran
};
RunTotals count_outcomes(std::span<const TaskOutcome> outcomes);

// "0.42 s", "41.2 s", "5m 10s", "1h 02m".
std::string format_duration(double seconds);

// How the services of a run were chosen.
enum class SelectionMode { affected, all, only };

struct RunSelection {
  SelectionMode mode = SelectionMode::all;
  std::vector<ServiceId> services;  // selected, in the order they were chosen (no removed ones)
  std::size_t total = 0;            // services in the workspace
  const AffectedReport* affected = nullptr;  // set for SelectionMode::affected
  std::string head = "HEAD";                 // what was compared (--head or HEAD)
};

// "12 of 40 services: 3 changed, 9 dependents" / "all 40 services (--all)" /
// "2 of 40 services (--only)". For affected, preceded by where the change came from.
std::string format_selection(const RunSelection& selection);

// The header: the selection, then "26 tasks, 24 expected from the cache" (`planned` tasks with a
// command; `expected_hits` of them the cache has; nullopt when the cache is off).
std::string format_header(const RunSelection& selection, std::size_t planned,
                          std::optional<std::size_t> expected_hits);

// "Tasks: 26 (24 cached, 1 ran, 1 failed) · Time: 41.2 s · Saved: 5m 10s"; skipped tasks are
// counted when there are any, Saved only when the cache saved anything.
std::string format_footer(const RunTotals& totals, double wall_seconds);
// The remote cache's line under the footer: "Remote cache URL: 3 hits, 1 miss, 1 uploaded ·
// 1.2 MiB down, 10 KiB up", and its errors by status when there were any.
std::string format_remote_counts(const std::string& shown_url, const cache::RemoteCounts& counts);

// The last `lines` lines of `log` (all of it when shorter), ending with a newline when not empty.
std::string log_tail(std::string_view log, std::size_t lines);

// A failed task again, for the end of the run: "web#test failed (exit code 1); last 20 lines of
// .ripple/logs/web/test.log:\n" then the tail, each line indented by two spaces.
std::string format_failure(const std::string& label, const TaskOutcome& outcome,
                           const std::string& log_path, std::size_t lines = 20);

// A GitHub Actions workflow command: "::error title=<title>::<message>\n", with the characters
// GitHub's syntax reserves escaped (%, CR and LF in the message; also : and , in the title).
std::string github_error(std::string_view title, std::string_view message);

}  // namespace ripple
