#include "orchestrator/matrix_filter.h"

#include "graph/support/text.h"

namespace ripple {
namespace {

const std::string kFilters = "filters: image, task:T";

bool keeps(const graph::ServiceSpec& spec, const MatrixFilter& filter) {
  switch (filter.kind) {
    case MatrixFilter::Kind::image:
      return spec.image.has_value();
    case MatrixFilter::Kind::task:
      return spec.tasks.count(filter.task) > 0;
  }
  return false;
}

}  // namespace

Result<MatrixFilter> parse_matrix_filter(const std::string& text) {
  const std::size_t colon = text.find(':');
  const std::string word = text.substr(0, colon);
  const bool has_arg = colon != std::string::npos;
  const std::string arg = has_arg ? text.substr(colon + 1) : "";
  if (word == "image") {
    if (has_arg) {
      return input_error("--matrix-filter '" + text + "': image takes no argument; " + kFilters);
    }
    return MatrixFilter{MatrixFilter::Kind::image, ""};
  }
  if (word == "task") {
    if (arg.empty()) {
      return input_error("--matrix-filter '" + text + "': name the task, as in task:build; " +
                         kFilters);
    }
    return MatrixFilter{MatrixFilter::Kind::task, arg};
  }
  const std::vector<std::string> kinds{"image", "task"};
  std::string hint;
  if (auto kind = closest_match(word, kinds)) {
    hint = " (did you mean '" + *kind + (*kind == "task" ? ":" + (arg.empty() ? "T" : arg) : "") +
           "'?)";
  }
  return input_error("--matrix-filter '" + text + "': unknown filter" + hint + "; " + kFilters);
}

Status check_matrix_filters(const graph::Workspace& ws, const std::vector<MatrixFilter>& filters) {
  for (const MatrixFilter& f : filters) {
    if (f.kind != MatrixFilter::Kind::task) {
      continue;
    }
    if (auto defined = graph::check_task_defined(ws, f.task); !defined) {
      return input_error("--matrix-filter task:" + f.task + ": " + defined.error().message);
    }
  }
  return {};
}

std::vector<graph::AffectedService> matrix_services(const graph::Workspace& ws,
                                                    const graph::AffectedSet& set,
                                                    const std::vector<MatrixFilter>& filters) {
  std::vector<graph::AffectedService> out;
  for (const auto& s : set.services) {
    if (s.reason == graph::Reason::removed || !s.id) {
      continue;  // nothing left to build
    }
    const graph::ServiceSpec& spec = ws.service(*s.id);
    bool kept = true;
    for (const MatrixFilter& f : filters) {
      kept = kept && keeps(spec, f);
    }
    if (kept) {
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace ripple
