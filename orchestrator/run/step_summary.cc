#include "orchestrator/run/step_summary.h"

#include <algorithm>
#include <vector>

#include "orchestrator/run/report_text.h"

namespace ripple {
namespace {

// Text for HTML (a <summary>) or a Markdown table cell: no markup, no line break, no column break.
std::string inline_text(std::string_view text) {
  std::string out;
  for (char c : clean_log_text(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '|':
        out += "&#124;";
        break;
      case '\n':
      case '\t':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* status_cell(TaskOutcome::Status s) {
  switch (s) {
    case TaskOutcome::Status::failed:
      return "❌ failed";
    case TaskOutcome::Status::ran:
      return "✅ ran";
    case TaskOutcome::Status::cached:
      return "⚡ cached";
    case TaskOutcome::Status::skipped:
      return "⏭️ skipped";
    case TaskOutcome::Status::noop:
      break;
  }
  return "no-op";
}

// A fenced code block that `text` cannot close: its fence is longer than any run of backticks
// in it.
std::string code_block(const std::string& text) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  std::string out = fence + "text\n" + text;
  if (!text.empty() && text.back() != '\n') {
    out += '\n';
  }
  return out + fence + "\n";
}

struct Failure {
  std::string title;  // "web#test: exit code 1"
  std::string log;    // its tail, clean
  std::string path;   // where the whole log is
};

std::string details(const Failure& f, const std::string& log) {
  return "<details><summary>" + inline_text(f.title) + "</summary>\n\n" + code_block(log) +
         "\n</details>\n\n";
}

}  // namespace

std::string format_step_summary(const RunRecord& run, std::size_t max_bytes) {
  const RunTotals totals = count_outcomes(run.outcomes);
  std::string head =
      "### " + inline_text(run.command.empty() ? "ripple run" : run.command) + "\n\n" +
      inline_text(format_selection(run.selection)) + "\n\n**" +
      inline_text(format_footer(totals, static_cast<double>(run.end_ms - run.start_ms) / 1000)) +
      "**\n\n";

  // Failures first, then the rest in dependency order.
  std::vector<graph::TaskId> order;
  for (bool failed_pass : {true, false}) {
    for (graph::TaskId id : run.tasks.topo_order()) {
      if (id.value >= run.outcomes.size()) {
        continue;
      }
      const TaskOutcome::Status s = run.outcomes[id.value].status;
      if (s != TaskOutcome::Status::noop && (s == TaskOutcome::Status::failed) == failed_pass) {
        order.push_back(id);
      }
    }
  }
  std::vector<std::string> rows;
  std::vector<Failure> failures;
  for (graph::TaskId id : order) {
    const TaskOutcome& o = run.outcomes[id.value];
    const graph::TaskNode& n = run.tasks.node(id);
    const bool ended = o.status != TaskOutcome::Status::skipped;
    rows.push_back("| " + std::string(status_cell(o.status)) + " | " + inline_text(n.label) +
                   " | " + (ended ? format_duration(reported_seconds(o)) : "") + " | " +
                   (ended ? cache_source(run, id) : "") + " |\n");
    if (o.status == TaskOutcome::Status::failed) {
      std::string why = o.exit_code != 0 ? "exit code " + std::to_string(o.exit_code) : o.note;
      failures.push_back(Failure{n.label + ": " + (why.empty() ? "failed" : why),
                                 clean_log_text(log_tail(o.log, kStepSummaryLogLines)),
                                 task_log_path(run.ws.service(n.service).name, n.name)});
    }
  }
  if (rows.empty()) {
    return head + "No task to run.\n\n";
  }
  const std::string table_head = "| Status | Task | Time | Cache |\n| --- | --- | --- | --- |\n";

  std::string logs;
  for (const Failure& f : failures) {
    logs += details(f, f.log);
  }
  std::size_t rows_size = 0;
  for (const std::string& r : rows) {
    rows_size += r.size();
  }
  if (head.size() + table_head.size() + rows_size + 1 + logs.size() <= max_bytes) {
    std::string out = head + table_head;
    for (const std::string& r : rows) {
      out += r;
    }
    return out + "\n" + logs;
  }

  // Too long: the logs may take half of what the head leaves, shared equally; the rows the rest.
  const std::size_t left = max_bytes > head.size() + table_head.size() + 512
                               ? max_bytes - head.size() - table_head.size() - 512
                               : 0;
  const std::size_t logs_room = std::min(logs.size(), left / 2);
  logs.clear();
  if (!failures.empty()) {
    const std::size_t share = logs_room / failures.size();
    std::size_t shown = 0;
    for (const Failure& f : failures) {
      const std::string note = "[log tail cut to keep the summary under " +
                               format_bytes(max_bytes) + "; the whole log is in " + f.path + "]\n";
      const std::size_t frame = details(f, note).size();
      if (share < frame + 64) {
        break;  // no room for even a few lines: the table still says it failed
      }
      std::string_view tail = tail_within(f.log, share - frame);
      logs += details(f, tail.size() < f.log.size() ? note + std::string(tail) : f.log);
      ++shown;
    }
    if (shown < failures.size()) {
      logs += "_" + std::to_string(failures.size() - shown) +
              " failed tasks' logs are left out to keep the summary under " +
              format_bytes(max_bytes) + "; see .ripple/logs/ or the run's log._\n\n";
    }
  }
  std::string out = head + table_head;
  std::size_t room = left > logs.size() ? left - logs.size() : 0;
  std::size_t shown = 0;
  for (const std::string& r : rows) {
    if (r.size() > room) {
      break;
    }
    out += r;
    room -= r.size();
    ++shown;
  }
  if (shown < rows.size()) {
    out += "\n_" + std::to_string(rows.size() - shown) +
           " more tasks are left out to keep the summary under " + format_bytes(max_bytes) +
           "; `ripple run --summary F` lists every task._\n";
  }
  return out + "\n" + logs;
}

}  // namespace ripple
