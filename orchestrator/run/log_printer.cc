#include "orchestrator/run/log_printer.h"

#include <cstdio>
#include <ctime>

namespace ripple {
namespace {

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

std::string status_line(const TaskOutcome& o) {
  std::string line = status_name(o.status);
  if (o.status == TaskOutcome::Status::ran || o.status == TaskOutcome::Status::failed) {
    line += " in " + seconds_text(o.seconds);
  }
  if (o.status == TaskOutcome::Status::cached && o.saved_seconds > 0) {
    line += ", saved " + seconds_text(o.saved_seconds);
  }
  if (!o.note.empty()) {
    line += " (" + o.note + ")";
  }
  return line;
}

}  // namespace

LogPrinter::LogPrinter(Reporter& out, const graph::TaskGraph& tasks, LogOrder order, CiKind ci)
    : out_(out), tasks_(tasks), order_(order), ci_(ci), pending_(tasks.size() * 2) {}

std::string LogPrinter::prefix(graph::TaskId id) const {
  std::string label = tasks_.node(id).label;  // "svc#task"
  std::size_t hash = label.rfind('#');
  if (hash != std::string::npos) {
    label[hash] = ':';
  }
  return label;
}

void LogPrinter::flush_lines(graph::TaskId id, std::string& pending, bool everything) {
  const std::string head = prefix(id) + ": ";
  std::string text;
  std::size_t start = 0;
  for (std::size_t nl = pending.find('\n'); nl != std::string::npos;
       nl = pending.find('\n', start)) {
    text += head;
    text.append(pending, start, nl + 1 - start);
    start = nl + 1;
  }
  if (everything && start < pending.size()) {
    text += head;
    text.append(pending, start);
    text += '\n';
    start = pending.size();
  }
  pending.erase(0, start);
  if (!text.empty()) {
    out_.raw(text);
  }
}

void LogPrinter::output(graph::TaskId id, OutputStream stream, std::string_view chunk) {
  if (order_ != LogOrder::stream) {
    return;
  }
  std::lock_guard lock(mutex_);
  std::string& pending = pending_[id.value * 2 + (stream == OutputStream::err ? 1 : 0)];
  pending.append(chunk);
  flush_lines(id, pending, false);
}

void LogPrinter::finished(graph::TaskId id, const TaskOutcome& outcome) {
  if (outcome.status == TaskOutcome::Status::noop) {
    return;  // nothing ran and nothing was printed: a grouping task has no log to show
  }
  std::lock_guard lock(mutex_);
  if (order_ == LogOrder::stream) {
    flush_lines(id, pending_[id.value * 2], true);
    flush_lines(id, pending_[id.value * 2 + 1], true);
    out_.raw(prefix(id) + ": " + status_line(outcome) + "\n");
    return;
  }
  const std::string head = tasks_.node(id).label + ": " + status_line(outcome);
  // GitLab section names take letters, digits, '_', '.' and '-' only; the task id keeps them
  // unique whatever the label holds.
  const std::string section = "ripple_task_" + std::to_string(id.value);
  const std::string stamp = std::to_string(std::time(nullptr));
  std::string text;
  switch (ci_) {
    case CiKind::github:
      text = "::group::" + head + "\n";
      break;
    case CiKind::gitlab:
      text = "\x1b[0Ksection_start:" + stamp + ":" + section +
             (outcome.status == TaskOutcome::Status::failed ? "" : "[collapsed=true]") +
             "\r\x1b[0K" + head + "\n";
      break;
    default:
      text = "── " + head + "\n";
  }
  text += outcome.log;
  if (!outcome.log.empty() && outcome.log.back() != '\n') {
    text += "\n";
  }
  if (ci_ == CiKind::github) {
    text += "::endgroup::\n";
  } else if (ci_ == CiKind::gitlab) {
    text += "\x1b[0Ksection_end:" + stamp + ":" + section + "\r\x1b[0K\n";
  }
  out_.raw(text);
}

}  // namespace ripple
