#pragma once

// Internal to the git adapter: whether git's clean filters (core.autocrlf, and the text, eol,
// ident and filter attributes of .gitattributes files) can change the bytes git stores for a
// path. When none can, a file's raw blob id is git's id, and libgit2 need not be asked: asking
// makes libgit2 load its own copy of the whole index, to look for .gitattributes files in it
// (25 ms and 25 MB on a 110,000-entry index, for a single modified file).

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "orchestrator/git/index_snapshot.h"

namespace ripple::git {

class FilterProbe {
 public:
  // `snap` is the index as read for the scan; both must outlive the probe. Nothing is looked at
  // before the first question.
  FilterProbe(git_repository* repo, const IndexSnapshot& snap) : repo_(repo), snap_(snap) {}

  // False only when no attribute file can apply to `repo_path` (relative to the repository's
  // work tree) and core.autocrlf is off: no .gitattributes in the index or the work tree in any
  // directory above it, no info/attributes, no global or system attributes file. True whenever
  // that cannot be ruled out (a workspace below the repository's root, whose index entries
  // above it were not read). Thread-safe.
  bool may_filter(std::string_view repo_path) const;

 private:
  void look() const;  // once, at the first question

  git_repository* repo_;
  const IndexSnapshot& snap_;
  mutable std::once_flag looked_;
  mutable bool everywhere_ = true;
  mutable std::string workdir_;                      // ends in '/'
  mutable std::unordered_set<std::string> tracked_;  // directories with an indexed .gitattributes
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, bool> on_disk_;  // directory → has a .gitattributes
};

}  // namespace ripple::git
