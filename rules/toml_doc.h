#pragma once

// The one place rules/ meets toml++ (Debian's libtomlplusplus-dev): TOML text to a table, its
// parse errors translated to input errors at file:line:col, and toml++ source regions to
// SourcePos. Included only by rules/*.cc (ripple_rules links toml++ privately).

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

#include "graph/support/error.h"

namespace ripple::rules {

// `text` parsed; an input error naming `file`, the line and column where parsing stopped, and
// the way out (fix it, or leave `rule` out of `discover:`).
Result<toml::table> parse_toml(std::string_view text, const std::string& file,
                               std::string_view rule);

// Where a node or key starts, in `file` (line 1, column 1 when toml++ knows no place).
SourcePos pos_of(const toml::source_region& region, const std::string& file);

// The string value of `node`, or nothing when it is no string.
std::optional<std::string> string_of(const toml::node* node);

}  // namespace ripple::rules
