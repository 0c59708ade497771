#pragma once

// Which services a changed path can touch, without scanning every service per path.
//
// A path is owned by the innermost service directory that contains it (ancestor lookup in a hash
// map: cost proportional to the path's depth, not to the number of services). It counts for its
// owner only if the owner's `inputs` include it. It also counts for every service whose `inputs`
// reach outside its own directory (`../proto/**`) and match it. Input lists are evaluated in
// order, gitignore style: the last pattern that matches decides, `!` excludes.
//
// What a task writes is never an input and never a change (one rule for `hash`, `run` and
// `affected`): a path under a service directory that matches one of that service's task
// `outputs` globs is no service's input. Nor is anything under ripple's own `.ripple/` or the
// cache directory (`cache.dir`) when it lies inside the workspace.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/support/ids.h"
#include "graph/support/repo_path.h"
#include "graph/workspace.h"

namespace ripple::graph {

// An input list rewritten relative to the workspace root.
class InputPatterns {
 public:
  InputPatterns() = default;
  // `patterns` are relative to `dir`; "!" marks an exclusion.
  InputPatterns(const RepoPath& dir, const std::vector<std::string>& patterns);

  bool matches(const RepoPath& path) const { return matches(path.str()); }
  // `path` spelled as RepoPath::str() spells it.
  bool matches(std::string_view path) const;
  // True when some positive pattern lies outside `dir`.
  bool reaches_outside() const { return reaches_outside_; }

 private:
  struct Pattern {
    std::string glob;  // root-relative
    bool exclude = false;
    // For "dir/**" with a literal dir (every service's default): that dir, tested as a prefix
    // without asking glob::match to recognise the pattern again for every path.
    std::optional<std::string> subtree;
  };
  std::vector<Pattern> patterns_;
  bool reaches_outside_ = false;
};

class InputMatcher {
 public:
  // Copies what it needs from `ws`.
  explicit InputMatcher(const Workspace& ws);

  // The innermost service whose directory contains `path`, if any.
  std::optional<ServiceId> owner(const RepoPath& path) const { return owner(path.str()); }
  // The same for a normal spelling (RepoPath::is_normal), without building a RepoPath.
  std::optional<ServiceId> owner(std::string_view path) const;
  // The innermost service whose directory contains directory `dir` or is `dir` itself: the
  // owner of every file directly in `dir` ("" for the root).
  std::optional<ServiceId> owner_of_dir(std::string_view dir) const;

  // Every service the path is an input of: its owner (when the owner's inputs include it) and
  // every service that reaches it from outside; none when it is an output of its owner. Sorted
  // by id, no duplicates.
  std::vector<ServiceId> services_for(const RepoPath& path) const;
  // The same into `out` (cleared first), for a normal spelling whose owner() is `own`: for
  // callers going through many paths, which reuse `out` and know the owner of a directory.
  void services_for(std::string_view path, std::optional<ServiceId> own,
                    std::vector<ServiceId>& out) const;

  // Whether the path is a task output of `own`, its owner (see above).
  bool output(std::string_view path, std::optional<ServiceId> own) const;
  bool output(const RepoPath& path) const { return output(path.str(), owner(path)); }

  // The service whose service.yaml this path is, if it is one.
  std::optional<ServiceId> config_of(const RepoPath& path) const;

  // `ignore:` globs, ripple's own .ripple/ directory at the workspace root, and the cache
  // directory when it lies inside the workspace.
  bool ignored(const RepoPath& path) const { return ignored(path.str()); }
  bool global(const RepoPath& path) const { return global(path.str()); }
  bool ignored(std::string_view path) const;
  bool global(std::string_view path) const;

 private:
  // Transparent hashing: lookups by string_view, so walking up a path allocates nothing.
  struct DirHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, ServiceId, DirHash, std::equal_to<>> by_dir_;
  std::vector<InputPatterns> inputs_;     // by ServiceId
  std::vector<ServiceId> reach_outside_;  // services with inputs outside their directory
  std::vector<RepoPath> dirs_;            // by ServiceId
  std::vector<std::vector<std::string>> outputs_;  // by ServiceId: every task's output globs
  std::string cache_prefix_;  // "dir/" of a workspace-relative cache.dir, or empty
  std::vector<std::string> ignore_;
  std::vector<std::string> global_;
};

}  // namespace ripple::graph
