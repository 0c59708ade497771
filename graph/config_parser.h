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
// Takes the fast path of config_fast_parser.h when it answers, yaml-cpp otherwise: the result,
// and every error, is the same either way.
Result<ServiceConfig> parse_service_config(std::string_view text, std::string_view file);

// parse_service_config() through yaml-cpp alone, for tests that hold the two paths to one answer.
Result<ServiceConfig> parse_service_config_with_yaml_cpp(std::string_view text,
                                                         std::string_view file);

}  // namespace ripple::graph
