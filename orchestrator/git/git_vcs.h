#pragma once

// Vcs over libgit2: the only code that includes <git2.h>. Opens the repository that contains the
// workspace (which may be a subdirectory of the repository) and answers in workspace-relative
// paths. Not thread-safe: one instance per thread.

#include <memory>
#include <optional>
#include <string>

#include "orchestrator/git/fsmonitor_options.h"
#include "orchestrator/inputs/vcs.h"

namespace ripple::git {

class GitVcs final : public Vcs {
 public:
  // An environment error when `workspace_root` (absolute) is not inside a git work tree, or
  // when it is but libgit2 refuses it (a repository owned by another user: safe.directory).
  static Result<std::unique_ptr<GitVcs>> open(const std::string& workspace_root);

  // Whether `path` lies inside a git work tree at all (without opening the repository), so that
  // "not git" can be told apart from "git, but unusable".
  static bool inside_work_tree(const std::string& path);
  ~GitVcs() override;

  bool ref_exists(const std::string& ref) const override;
  Result<ChangeScan> scan_changes(const ChangeQuery& query,
                                  std::optional<FileListing> listing) const override;
  Result<std::optional<std::string>> read_at(const std::string& commit,
                                             const RepoPath& path) const override;
  Result<FileTable> files(cache::StatCache* cache, const ContentHasher& hasher) const override;
  Result<FileTable> recorded_files() const override;

  // Remembers directory listings of the work tree in the snapshot file `path` across runs, so
  // that directories unchanged since are not listed again (worktree_scan.h). Off by default.
  void use_listing_cache(std::string path) { listings_path_ = std::move(path); }

  // Takes the ids of files whose stat data no longer matches the index (a checkout copied or
  // touched since git last refreshed its index) from `cache`, or hashes them and remembers them
  // there, in scans that list no files (a FileListing brings its own cache). `cache` must outlive
  // those scans. Off by default: such files are hashed by every scan.
  void use_stat_cache(cache::StatCache* cache) { stat_cache_ = cache; }

  // Asks watchman which files changed since the last scan instead of lstat'ing every tracked
  // file (worktree_monitor.h). Off by default.
  void use_fsmonitor(FsMonitorOptions options) { fsmonitor_ = std::move(options); }

  // The workspace root relative to the repository's work tree ("" when they are the same).
  const std::string& prefix() const { return prefix_; }

 private:
  struct Repo;
  GitVcs(std::unique_ptr<Repo> repo, std::string prefix);
  std::unique_ptr<Repo> repo_;
  std::string prefix_;
  std::string listings_path_;
  std::optional<FsMonitorOptions> fsmonitor_;
  cache::StatCache* stat_cache_ = nullptr;
};

}  // namespace ripple::git
