#pragma once

// Paths inside a workspace, always relative, '/'-separated and normalised, so that the same file
// has one spelling on every machine. The workspace root itself is the empty path.

#include <string>
#include <string_view>

#include "graph/support/error.h"

namespace ripple {

class RepoPath {
 public:
  RepoPath() = default;

  // Normalises `text` ("a//b/./c/" → "a/b/c", "a/../b" → "b"). Fails with an input error for an
  // absolute path or one that climbs above the root ("../x").
  static Result<RepoPath> parse(std::string_view text);

  // True when parse(text) would return `text` unchanged: no leading or trailing '/', no empty,
  // "." or ".." segment. Paths from git's index always are.
  static bool is_normal(std::string_view text);

  // contains() and relative() over spellings already normal (is_normal), without a RepoPath.
  static bool contains(std::string_view dir, std::string_view other);
  static std::string_view relative(std::string_view dir, std::string_view other);

  const std::string& str() const { return path_; }
  bool is_root() const { return path_.empty(); }

  // The last component ("" for the root).
  std::string_view name() const;
  // The parent directory ("" for a top-level entry and for the root).
  RepoPath parent() const;
  // this/child; `child` must itself be a normalised relative path.
  RepoPath join(std::string_view child) const;
  // True when `other` is this path or lies under it. The root contains everything.
  bool contains(const RepoPath& other) const;
  // `other` relative to this directory; requires contains(other).
  std::string relative(const RepoPath& other) const;

  friend bool operator==(const RepoPath&, const RepoPath&) = default;
  friend auto operator<=>(const RepoPath&, const RepoPath&) = default;

 private:
  explicit RepoPath(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace ripple
