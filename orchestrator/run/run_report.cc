#include "orchestrator/run/run_report.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "orchestrator/affected_format.h"

namespace ripple {

RunTotals count_outcomes(std::span<const TaskOutcome> outcomes) {
  RunTotals t;
  for (const TaskOutcome& o : outcomes) {
    switch (o.status) {
      case TaskOutcome::Status::ran:
        ++t.ran;
        break;
      case TaskOutcome::Status::cached:
        ++t.cached;
        t.remote_hits += o.remote_hit ? 1 : 0;
        t.saved_seconds += o.saved_seconds;
        break;
      case TaskOutcome::Status::failed:
        ++t.failed;
        break;
      case TaskOutcome::Status::skipped:
        ++t.skipped;
        break;
      case TaskOutcome::Status::noop:
        continue;
    }
    ++t.tasks;
  }
  return t;
}

std::string format_duration(double seconds) {
  char buf[48];
  if (seconds < 10) {
    std::snprintf(buf, sizeof buf, "%.2f s", seconds);
  } else if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  } else if (seconds < 3600) {
    long s = std::lround(seconds);
    std::snprintf(buf, sizeof buf, "%ldm %02lds", s / 60, s % 60);
  } else {
    long m = std::lround(seconds / 60);
    std::snprintf(buf, sizeof buf, "%ldh %02ldm", m / 60, m % 60);
  }
  return buf;
}

namespace {

// Plural-aware "3 services" / "1 service".
std::string count_of(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string reason_breakdown(const graph::AffectedSet& set) {
  // In the order of graph::Reason, strongest first.
  std::map<graph::Reason, std::size_t> counts;
  for (const auto& s : set.services) {
    if (s.id) {
      ++counts[s.reason];
    }
  }
  std::string out;
  for (const auto& [reason, n] : counts) {
    std::string what;
    switch (reason) {
      case graph::Reason::dependency:
        what = n == 1 ? "dependent" : "dependents";
        break;
      case graph::Reason::no_base:
        what = "no base";
        break;
      default:
        what = graph::reason_name(reason);
    }
    out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  }
  return out;
}

}  // namespace

std::string format_selection(const RunSelection& sel) {
  switch (sel.mode) {
    case SelectionMode::all:
      return "all " + count_of(sel.total, "service", "services") + " (--all)";
    case SelectionMode::only:
      return std::to_string(sel.services.size()) + " of " +
             count_of(sel.total, "service", "services") + " (--only)";
    case SelectionMode::affected:
      break;
  }
  std::string out;
  if (sel.affected != nullptr && sel.affected->changes && sel.affected->base) {
    out = format_change_source(*sel.affected->changes, sel.head, sel.affected->base->source) + "; ";
  } else {
    out = "no base (--fallback=all); ";
  }
  out += std::to_string(sel.services.size()) + " of " + count_of(sel.total, "service", "services");
  if (sel.affected != nullptr && sel.services.size() > 0) {
    out += ": " + reason_breakdown(sel.affected->set);
  }
  return out;
}

std::string format_header(const RunSelection& selection, std::size_t planned,
                          std::optional<std::size_t> expected_hits) {
  std::string out = format_selection(selection) + "; " + count_of(planned, "task", "tasks");
  if (expected_hits) {
    out += ", " + std::to_string(*expected_hits) + " expected from the cache";
  } else {
    out += ", cache off";
  }
  return out;
}

std::string format_footer(const RunTotals& t, double wall_seconds) {
  std::string counts =
      std::to_string(t.cached) + " cached" +
      (t.remote_hits > 0 ? " (" + std::to_string(t.remote_hits) + " remote)" : "") + ", " +
      std::to_string(t.ran) + " ran, " + std::to_string(t.failed) + " failed";
  if (t.skipped > 0) {
    counts += ", " + std::to_string(t.skipped) + " skipped";
  }
  std::string out = "Tasks: " + std::to_string(t.tasks) + " (" + counts +
                    ") \u00b7 Time: " + format_duration(wall_seconds);
  if (t.saved_seconds > 0) {
    out += " \u00b7 Saved: " + format_duration(t.saved_seconds);
  }
  return out;
}

namespace {

std::string format_bytes(std::uint64_t bytes) {
  char text[32];
  if (bytes < 1024) {
    return std::to_string(bytes) + " B";
  }
  if (bytes < (1u << 20)) {
    std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(bytes) / 1024);
  } else {
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  }
  return text;
}

}  // namespace

std::string format_remote_counts(const std::string& shown_url, const cache::RemoteCounts& c) {
  auto n = [](std::uint64_t k, const char* one, const char* many) {
    return std::to_string(k) + " " + (k == 1 ? one : many);
  };
  std::string out = "Remote cache " + shown_url + ": " + n(c.hits, "hit", "hits") + ", " +
                    n(c.misses, "miss", "misses") + ", " + std::to_string(c.uploads) +
                    " uploaded \u00b7 " + format_bytes(c.bytes_down) + " down, " +
                    format_bytes(c.bytes_up) + " up";
  if (!c.errors.empty()) {
    out += " \u00b7 errors:";
    for (const auto& [what, count] : c.errors) {
      out += " " + what + " \u00d7" + std::to_string(count);
    }
  }
  if (c.disabled) {
    out += " (off since its first failure)";
  }
  return out;
}

std::string log_tail(std::string_view log, std::size_t lines) {
  if (log.empty() || lines == 0) {
    return {};
  }
  std::size_t end = log.size();
  if (log.back() == '\n') {
    --end;  // the last line's newline does not start another line
  }
  std::size_t start = end;
  for (std::size_t seen = 0; start > 0; --start) {
    if (log[start - 1] == '\n' && ++seen == lines) {
      break;
    }
  }
  std::string out(log.substr(start, end - start));
  out += '\n';
  return out;
}

std::string format_failure(const std::string& label, const TaskOutcome& outcome,
                           const std::string& log_path, std::size_t lines) {
  std::string out = label + " failed (" + (outcome.note.empty() ? "failed" : outcome.note) + ")";
  std::string tail = log_tail(outcome.log, lines);
  if (tail.empty()) {
    return out + "; it printed nothing (" + log_path + ")\n";
  }
  std::size_t shown = 0;
  for (char c : tail) {
    shown += c == '\n' ? 1 : 0;
  }
  out += "; " + (shown < lines ? std::string() : "last " + std::to_string(shown) + " lines of ") +
         log_path + ":\n";
  std::size_t start = 0;
  while (start < tail.size()) {
    std::size_t nl = tail.find('\n', start);
    out += "  ";
    out.append(tail, start, nl + 1 - start);
    start = nl + 1;
  }
  return out;
}

namespace {

std::string escape_workflow(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string github_error(std::string_view title, std::string_view message) {
  return "::error title=" + escape_workflow(title, true) + "::" + escape_workflow(message, false) +
         "\n";
}

}  // namespace ripple
