#pragma once

// A parser for the common shape of service.yaml that does not need yaml-cpp: thousands of small
// files like
//
//   name: checkout           # plain scalars, optionally quoted without escapes
//   deps: [payments, proto]  # one-line flow lists, or block lists ("- a" per line)
//   inputs:
//     - "**"
//   env: []
//
// It answers only when it understands the whole text and the text is a valid config: then the
// result is exactly what parse_service_config() gets through yaml-cpp, positions included.
// Anything else — tasks, image, anchors, tags, escapes, multi-line scalars, flow lists over
// several lines, tabs, CR, non-ASCII bytes, document markers, duplicate or unknown keys, null
// items, invalid names — is declined (nothing), so that yaml-cpp reads it and every error message
// stays what it was. Pure.

#include <optional>
#include <string_view>

#include "graph/config.h"

namespace ripple::graph {

std::optional<ServiceConfig> parse_service_config_fast(std::string_view text,
                                                       std::string_view file);

}  // namespace ripple::graph
