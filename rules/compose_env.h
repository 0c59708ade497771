#pragma once

// Compose's variables (docs/inference.md): the project's `.env` file and the interpolation of
// `${VAR}` forms in the values it reads. Pure.

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "graph/support/error.h"

namespace ripple::rules {

// A `.env` file: NAME=value lines, `export ` allowed, '#' comments, values unquoted, in single
// quotes (taken as they are) or double quotes (\n, \" and \\ escapes).
std::map<std::string, std::string> parse_dotenv(std::string_view text);

// Compose's interpolation of `value`: `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
// `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?message}`, `${VAR?message}`, `$VAR`, and `$$` for a '$'.
// `used` collects the names met. With `env` null, only the names are collected. An error message
// (for the caller to place) for a form Compose does not know, or `${VAR:?message}` with VAR unset
// (or empty).
Result<std::string> interpolate(std::string_view value,
                                const std::map<std::string, std::string>* env,
                                std::set<std::string>& used);

}  // namespace ripple::rules
