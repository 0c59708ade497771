#pragma once

// Replacing a file whole: readers see the old bytes or the new ones, never a mix, and a crash
// leaves the old file in place.

#include <string>
#include <string_view>

#include "graph/support/error.h"

namespace ripple {

// Writes `bytes` to a temporary file beside `path` (its directory is created when missing) and
// renames it over `path`. An environment error naming the file when that fails; the temporary
// file is removed then.
Status write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace ripple
