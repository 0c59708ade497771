#pragma once

// Whole small files: replacing one so that readers see the old bytes or the new ones, never a
// mix, and a crash leaves the old file in place; and reading one whole (state files, ignore
// files; not for outputs, which are streamed).

#include <optional>
#include <string>
#include <string_view>

#include "graph/support/error.h"

namespace ripple {

// Writes `bytes` to a temporary file beside `path` (its directory is created when missing) and
// renames it over `path`. An environment error naming the file when that fails; the temporary
// file is removed then.
Status write_file_atomically(const std::string& path, std::string_view bytes);

// The bytes of the file at `path`, or nothing when it cannot be opened or read.
std::optional<std::string> read_whole_file(const std::string& path);

}  // namespace ripple
