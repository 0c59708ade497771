#pragma once

// Which files git tracks by a given name, from the index alone (no work-tree walk): how the go
// rule finds every go.mod of a repository without a go.work in the time it takes to map the
// index (a walk of a 15,000-directory tree costs ~150 ms; this ~15 ms).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ripple::git {

// The paths under `dir` (absolute) that the index of the git work tree holding it tracks and
// whose last component is `name`, relative to `dir`, sorted. Nothing when `dir` is not in a git
// work tree or its index is not one read_index_file() reads: the caller walks instead.
std::optional<std::vector<std::string>> tracked_files_named(const std::string& dir,
                                                            std::string_view name);
// The same for several names at once, in one read of the index: the paths whose last component
// is any of `names`.
std::optional<std::vector<std::string>> tracked_files_named(
    const std::string& dir, std::span<const std::string_view> names);

}  // namespace ripple::git
