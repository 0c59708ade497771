#pragma once

// Task dependency references as written in `deps:` of a task (DESIGN.md §3):
//   "^build"     the `build` task of every service this one depends on   (Kind::upstream)
//   "build"      this service's own `build` task                         (Kind::self)
//   "proto#gen"  the `gen` task of the service named `proto`             (Kind::named)

#include <string>

#include "graph/support/error.h"

namespace ripple::graph {

struct TaskDep {
  enum class Kind { upstream, self, named };
  Kind kind = Kind::self;
  std::string service;  // only for Kind::named
  std::string task;
  SourcePos pos;

  // The reference as the user wrote it.
  std::string spelling() const;
};

// Fails with an input error at `pos` for malformed references ("^", "a#", "#b", "a#b#c",
// "^a#b", whitespace), saying which form was probably meant.
Result<TaskDep> parse_task_dep(const std::string& text, const SourcePos& pos);

}  // namespace ripple::graph
