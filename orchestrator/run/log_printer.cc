#include "orchestrator/run/log_printer.h"

#include <cstdio>

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

LogPrinter::LogPrinter(Reporter& out, const graph::TaskGraph& tasks, LogOrder order,
                       bool github_groups)
    : out_(out), tasks_(tasks), order_(order), github_(github_groups), pending_(tasks.size() * 2) {}

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
  std::lock_guard lock(mutex_);
  if (order_ == LogOrder::stream) {
    flush_lines(id, pending_[id.value * 2], true);
    flush_lines(id, pending_[id.value * 2 + 1], true);
    out_.raw(prefix(id) + ": " + status_line(outcome) + "\n");
    return;
  }
  const std::string head = tasks_.node(id).label + ": " + status_line(outcome);
  std::string text = github_ ? "::group::" + head + "\n" : "── " + head + "\n";
  text += outcome.log;
  if (!outcome.log.empty() && outcome.log.back() != '\n') {
    text += "\n";
  }
  if (github_) {
    text += "::endgroup::\n";
  }
  out_.raw(text);
}

}  // namespace ripple
