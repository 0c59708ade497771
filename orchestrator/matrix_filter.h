#pragma once

// Which affected services go into a CI job matrix (`affected --format github-matrix` and
// `github-output`, with `--matrix-filter`): never a removed service (nothing to build), and only
// the services every filter keeps:
//   image    the service has an `image:` (a deployable image)
//   task:T   the service defines task T, its own or from a ripple.yaml template
// Filters are parsed at the command line (parse_matrix_filter); task names are checked against
// the workspace once it is loaded (check_matrix_filters).

#include <string>
#include <vector>

#include "graph/affected.h"
#include "graph/support/error.h"
#include "graph/workspace.h"

namespace ripple {

struct MatrixFilter {
  enum class Kind { image, task };
  Kind kind = Kind::image;
  std::string task;  // Kind::task only
};

// "image" or "task:T". Input errors, with a suggestion where one is close: an unknown filter,
// `task` without a name, `image` with an argument.
Result<MatrixFilter> parse_matrix_filter(const std::string& text);

// Input error, with a suggestion, when a task filter names a task no service defines.
Status check_matrix_filters(const graph::Workspace& ws, const std::vector<MatrixFilter>& filters);

// The services of `set` that belong in the matrix, in the set's order.
std::vector<graph::AffectedService> matrix_services(const graph::Workspace& ws,
                                                    const graph::AffectedSet& set,
                                                    const std::vector<MatrixFilter>& filters);

}  // namespace ripple
