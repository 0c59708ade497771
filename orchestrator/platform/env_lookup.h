#pragma once

// How code below main reads environment variables: a function main binds to the process
// environment and tests bind to a map. Empty when the variable is unset.

#include <functional>
#include <optional>
#include <string>

namespace ripple {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

}  // namespace ripple
