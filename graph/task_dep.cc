#include "graph/task_dep.h"

#include <algorithm>

#include "graph/names.h"

namespace ripple::graph {
namespace {

constexpr const char* kForms =
    "write '^task' (that task in every dependency), 'task' (this service) or "
    "'service#task' (one named service)";

bool is_plain_name(std::string_view s) {
  return !s.empty() && std::none_of(s.begin(), s.end(), [](char c) {
    return c == '^' || c == '#' || c == ' ' || c == '\t' || c == '/';
  });
}

}  // namespace

std::string TaskDep::spelling() const {
  switch (kind) {
    case Kind::upstream:
      return "^" + task;
    case Kind::self:
      return task;
    case Kind::named:
      return service + "#" + task;
  }
  return task;
}

Result<TaskDep> parse_task_dep(const std::string& text, const SourcePos& pos) {
  auto bad = [&](std::string_view why) {
    return input_error(
        at(pos, "malformed task dependency '" + text + "': " + std::string(why) + "; " + kForms));
  };
  TaskDep dep;
  dep.pos = pos;
  if (text.empty()) {
    return bad("it is empty");
  }
  if (text.front() == '^') {
    std::string rest = text.substr(1);
    if (rest.find('#') != std::string::npos) {
      return bad("'^' and '#' cannot be combined");
    }
    if (!is_plain_name(rest)) {
      return bad("'^' must be followed by a task name");
    }
    dep.kind = TaskDep::Kind::upstream;
    dep.task = rest;
    return dep;
  }
  std::size_t hash = text.find('#');
  if (hash == std::string::npos) {
    if (!is_plain_name(text)) {
      return bad("a task name may not contain '^', spaces or '/'");
    }
    dep.kind = TaskDep::Kind::self;
    dep.task = text;
    return dep;
  }
  std::string service = text.substr(0, hash);
  std::string task = text.substr(hash + 1);
  if (service_name_problem(service) || !is_plain_name(task)) {
    return bad("'#' needs a service name before it and a task name after it, once");
  }
  dep.kind = TaskDep::Kind::named;
  dep.service = service;
  dep.task = task;
  return dep;
}

}  // namespace ripple::graph
