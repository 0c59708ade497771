#include "orchestrator/run/report_files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "orchestrator/run/junit_format.h"
#include "orchestrator/run/step_summary.h"
#include "orchestrator/run/trace_format.h"

namespace ripple {
namespace {

bool write_file(const CommandContext& ctx, const std::string& path, const std::string& text,
                const std::string& what, bool append) {
  std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    ctx.reporter.error("cannot write " + what + " to " + path + ": " + std::strerror(errno) +
                       "; check that its directory exists and has room");
    return false;
  }
  return true;
}

// What the step summary file already holds: GitHub's limit is on the step's whole summary.
std::size_t existing_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  return in ? static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg())) : 0;
}

}  // namespace

std::vector<TracePhase> trace_phases(std::span<const Phase> phases,
                                     std::chrono::steady_clock::time_point started) {
  auto us = [&](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t - started).count();
  };
  std::vector<TracePhase> out;
  for (const Phase& p : phases) {
    out.push_back(TracePhase{p.name, std::max<std::int64_t>(0, us(p.start)),
                             std::max<std::int64_t>(0, us(p.end))});
  }
  return out;
}

bool write_report_files(const CommandContext& ctx, const ReportFiles& files, const RunRecord& run,
                        std::span<const Phase> phases,
                        std::chrono::steady_clock::time_point started) {
  bool ok = true;
  if (!files.profile.empty()) {
    ok = write_file(ctx, files.profile, format_trace(run, trace_phases(phases, started)),
                    "the profile", false) &&
         ok;
  }
  if (!files.junit.empty()) {
    ok = write_file(ctx, files.junit, format_junit(run), "the JUnit report", false) && ok;
  }
  const std::string step_summary = ctx.env ? ctx.env("GITHUB_STEP_SUMMARY").value_or("") : "";
  if (!step_summary.empty()) {
    const std::size_t used = existing_size(step_summary);
    const std::size_t room = used < kStepSummaryMaxBytes ? kStepSummaryMaxBytes - used : 0;
    if (room < 4096) {
      ctx.reporter.warning("$GITHUB_STEP_SUMMARY (" + step_summary + ") already holds " +
                           std::to_string(used) +
                           " bytes, near GitHub's 1 MiB limit; ripple adds nothing to it");
    } else {
      ok = write_file(ctx, step_summary, format_step_summary(run, room),
                      "the step summary ($GITHUB_STEP_SUMMARY)", true) &&
           ok;
    }
  }
  return ok;
}

}  // namespace ripple
