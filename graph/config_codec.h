#pragma once

// A compact binary form of a parsed service.yaml, so that a cache can hand back what
// parse_service_config() returned without running the YAML parser again. Pure: bytes in, values
// out.
//
// Positions are kept (line and column) so that later validation points at the same place; their
// file is the config's own `file`, given again to decode(). Change kServiceConfigCodecVersion
// whenever ServiceConfig or this encoding changes: bytes of another version never decode.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "graph/config.h"

namespace ripple::graph {

inline constexpr std::uint32_t kServiceConfigCodecVersion = 4;

// Nothing when the config cannot be represented (a position naming another file).
std::optional<std::string> encode_service_config(const ServiceConfig& config);

// Nothing when `bytes` are not a complete encoding of this version; never a partial config.
// `file` becomes the config's file and every position's file.
std::optional<ServiceConfig> decode_service_config(std::string_view bytes, std::string_view file);

}  // namespace ripple::graph
