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
  Result<graph::ChangeSet> changes(const ChangeQuery& query) const override;
  Result<std::optional<std::string>> read_at(const std::string& commit,
                                             const RepoPath& path) const override;
  Result<FileTable> files(cache::StatCache* cache, const ContentHasher& hasher) const override;
  Result<FileTable> recorded_files() const override;

  // Remembers directory listings of the work tree in the snapshot file `path` across runs, so
  // that directories unchanged since are not listed again (worktree_scan.h). Off by default.
  void use_listing_cache(std::string path) { listings_path_ = std::move(path); }

  // Asks watchman which files changed since the last scan instead of lstat'ing every tracked
  // file (worktree_monitor.h). Off by default.
  void use_fsmonitor(FsMonitorOptions options) { fsmonitor_ = std::move(options); }

  // Makes each changes() that scans the work tree also list every file with its id, as
  // files(cache, hasher) would, from that same scan; take_listed_files() then hands the table
  // over. For a command that needs both (`run --affected`): the work tree is walked once.
  // `cache` (may be null) and `hasher` must outlive those changes() calls.
  void list_files_in_scans(cache::StatCache* cache, const ContentHasher& hasher) {
    listing_request_ = ListingRequest{cache, &hasher};
  }
  // The listing made by the last such scan, or the error that listing met (the changes were then
  // found without it); nothing when no changes() scanned the work tree (a --head query, or no
  // work tree asked for). Hands it over and stops listing: the request's cache and hasher are
  // no longer used.
  std::optional<Result<FileTable>> take_listed_files() {
    auto out = std::move(listed_);
    listed_.reset();
    listing_request_.reset();
    return out;
  }

  // The workspace root relative to the repository's work tree ("" when they are the same).
  const std::string& prefix() const { return prefix_; }

 private:
  struct Repo;
  GitVcs(std::unique_ptr<Repo> repo, std::string prefix);
  std::unique_ptr<Repo> repo_;
  std::string prefix_;
  std::string listings_path_;
  std::optional<FsMonitorOptions> fsmonitor_;
  struct ListingRequest {
    cache::StatCache* cache;
    const ContentHasher* hasher;
  };
  std::optional<ListingRequest> listing_request_;
  // Filled by changes(), which is const to its callers: the listing is a by-product of its scan.
  mutable std::optional<Result<FileTable>> listed_;
};

}  // namespace ripple::git
