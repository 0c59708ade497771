#pragma once

// `ripple cache stats | verify | prune --max-size SIZE | clear | doctor`: the local cache in
// `cache.dir` of ripple.yaml (default .ripple/cache, relative to the workspace root).

#include <chrono>
#include <string>

#include "orchestrator/context.h"

namespace ripple {

struct CacheOptions {
  std::string action;    // stats | verify | prune | clear | doctor
  std::string max_size;  // prune: "500M", "2G", "1048576"
  std::chrono::seconds lock_timeout{300};
};

int run_cache_command(const CommandContext& ctx, const CacheOptions& options);

// "500M" → 524288000; K, M, G, T (powers of 1024), optional trailing "B" or "iB". Empty on
// anything else.
std::optional<std::uint64_t> parse_size(const std::string& text);

}  // namespace ripple
