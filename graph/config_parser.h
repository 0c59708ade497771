#pragma once

// Parses configuration text into the model of config.h. Pure: the caller reads the files.
//
// Every failure is an input error whose message starts with "file:line:column:" and says how to
// fix it: YAML syntax, unknown keys (with a suggestion), wrong value types, duplicate keys,
// unsupported versions and out-of-range values.

#include <string_view>

#include "graph/config.h"
#include "graph/support/error.h"

namespace ripple::graph {

// `file` is the name used in messages (typically the workspace-relative path).
Result<RootConfig> parse_root_config(std::string_view text, std::string_view file);
Result<ServiceConfig> parse_service_config(std::string_view text, std::string_view file);

}  // namespace ripple::graph
