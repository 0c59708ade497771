#pragma once

// `ripple hash --diff KEY_A KEY_B`: which fields of two task keys' manifests differ (command,
// env by name, input files, dependencies, outputs, platform), read from the notes the local
// cache keeps beside each entry it stored. A key may be abbreviated to a unique prefix of at
// least 8 hex characters. Exit 0 with the differences on stdout; 2 when a key is unknown or
// ambiguous.

#include <string>

#include "orchestrator/context.h"

namespace ripple {

int run_key_diff_command(const CommandContext& ctx, const std::string& key_a,
                         const std::string& key_b);

}  // namespace ripple
