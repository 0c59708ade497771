#pragma once

// .gitignore-style rules for workspaces outside git (pure: the caller reads the files).
//
// Per line, as git reads them: a CR before the LF is dropped, then trailing spaces unless escaped
// with a backslash (tabs stay); blank lines and '#' comments are skipped; '!' re-includes; a
// trailing '/' matches directories only; a pattern with a '/' before its end is anchored at the
// directory of the file that holds it, one without matches at any depth below it. Later rules win,
// and rules of deeper files come after those of their parents when files are added parents first.

#include <string>
#include <string_view>
#include <vector>

#include "graph/support/repo_path.h"

namespace ripple::graph {

class IgnoreRules {
 public:
  // Adds the rules of an ignore file found in directory `dir`.
  void add(const RepoPath& dir, std::string_view text);
  bool ignored(const RepoPath& path, bool is_dir) const;

 private:
  struct Rule {
    std::string glob;  // workspace-relative
    bool negate = false;
    bool dir_only = false;
  };
  std::vector<Rule> rules_;
};

}  // namespace ripple::graph
