#include "orchestrator/git/git_vcs.h"

#include <limits.h>
#include <stdlib.h>

#include <map>
#include <memory>

#include "orchestrator/git/file_listing.h"
#include "orchestrator/git/libgit2_handles.h"
#include "orchestrator/git/shallow_merge_base.h"
#include "orchestrator/git/tree_diff.h"
#include "orchestrator/git/worktree_scan.h"
#include "orchestrator/git/worktree_status.h"

namespace ripple::git {
namespace {

std::string real_path(const std::string& path) {
  char buf[PATH_MAX];
  if (realpath(path.c_str(), buf) == nullptr) {
    return path;
  }
  return buf;
}

// libgit2 must be initialised once per process before any other call.
void ensure_initialised() {
  static const int once = git_libgit2_init();
  (void)once;
}

// Whether the user's or the system's git config says `safe.directory = *`, which git takes as
// "every directory is safe" and libgit2 1.5 does not know. As git reads it: only the system,
// XDG and global files count (never a repository's own config), in order, and an empty value
// clears what came before.
bool every_directory_safe() {
  git_config* raw = nullptr;
  if (git_config_open_default(&raw) != 0) {
    return false;
  }
  std::unique_ptr<git_config, decltype(&git_config_free)> config(raw, git_config_free);
  git_config_iterator* it = nullptr;
  if (git_config_multivar_iterator_new(&it, config.get(), "safe.directory", nullptr) != 0) {
    return false;
  }
  bool all = false;
  git_config_entry* entry = nullptr;
  while (git_config_next(&entry, it) == 0) {
    if (entry->level >= GIT_CONFIG_LEVEL_LOCAL) {  // a repository's own config, or the app's
      continue;
    }
    const std::string value = entry->value != nullptr ? entry->value : "";
    if (value.empty()) {
      all = false;
    } else if (value == "*") {
      all = true;
    }
  }
  git_config_iterator_free(it);
  return all;
}

}  // namespace

struct GitVcs::Repo {
  RepoPtr repo;

  Result<CommitPtr> commit(const std::string& ref) const {
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, repo.get(), ref.c_str()) != 0) {
      return environment_error("'" + ref +
                               "' does not name a commit in this repository: " + last_error());
    }
    ObjectPtr obj(raw);
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT) != 0) {
      return environment_error("'" + ref + "' does not point at a commit: " + last_error());
    }
    return CommitPtr(reinterpret_cast<git_commit*>(peeled));
  }

  Result<TreePtr> tree(const git_commit* c) const {
    git_tree* raw = nullptr;
    if (git_commit_tree(&raw, c) != 0) {
      return environment_error("cannot read the tree of commit " + hex(*git_commit_id(c)) + ": " +
                               last_error());
    }
    return TreePtr(raw);
  }
};

GitVcs::GitVcs(std::unique_ptr<Repo> repo, std::string prefix)
    : repo_(std::move(repo)), prefix_(std::move(prefix)) {}

GitVcs::~GitVcs() = default;

Result<std::unique_ptr<GitVcs>> GitVcs::open(const std::string& workspace_root) {
  ensure_initialised();
  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, workspace_root.c_str(), 0, nullptr);
  std::string why = rc != 0 ? last_error() : std::string();
  if (rc == GIT_EOWNER && every_directory_safe()) {
    // As git does with `safe.directory = *`: for this process, every repository is trusted.
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    rc = git_repository_open_ext(&raw, workspace_root.c_str(), 0, nullptr);
    why = rc != 0 ? last_error() : std::string();
  }
  if (rc == GIT_ENOTFOUND && !inside_work_tree(workspace_root)) {
    return environment_error(workspace_root +
                             " is not inside a git repository; `affected` compares commits, so "
                             "run it in a git work tree (git init, git clone)");
  }
  if (rc != 0) {
    return environment_error("cannot open the git repository holding " + workspace_root + ": " +
                             why +
                             " (a checkout owned by another user needs git config --global "
                             "--add safe.directory <dir>)");
  }
  RepoPtr repo(raw);
  const char* workdir = git_repository_workdir(repo.get());
  if (workdir == nullptr) {
    return environment_error("the repository at " + std::string(git_repository_path(repo.get())) +
                             " is bare; run ripple in a work tree");
  }
  std::string top = real_path(workdir);
  std::string root = real_path(workspace_root);
  std::string prefix;
  if (root.size() > top.size()) {
    prefix = root.substr(top.size() + (top.back() == '/' ? 0 : 1));
  }
  auto r = std::make_unique<Repo>();
  r->repo = std::move(repo);
  return std::unique_ptr<GitVcs>(new GitVcs(std::move(r), std::move(prefix)));
}

bool GitVcs::inside_work_tree(const std::string& path) {
  ensure_initialised();
  git_buf found = GIT_BUF_INIT;
  int rc = git_repository_discover(&found, path.c_str(), 0, nullptr);
  git_buf_dispose(&found);
  return rc == 0;
}

bool GitVcs::ref_exists(const std::string& ref) const {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo_->repo.get(), ref.c_str()) != 0) {
    return false;
  }
  git_object_free(raw);
  return true;
}

Result<ChangeScan> GitVcs::scan_changes(const ChangeQuery& query,
                                        std::optional<FileListing> listing) const {
  git_repository* repo = repo_->repo.get();
  const std::string head_ref = query.head_ref.value_or("HEAD");
  auto head = repo_->commit(head_ref);
  if (!head) {
    if (!query.head_ref && git_repository_head_unborn(repo) == 1) {
      return environment_error("the repository has no commits yet; commit once, then ask again");
    }
    return tl::unexpected(head.error());
  }
  const bool shallow = git_repository_is_shallow(repo) == 1;
  auto base = repo_->commit(query.base_ref);
  if (!base) {
    // A commit id (a push's `before`, a merge request's base) is usually missing from a
    // shallow clone because the history is cut short, not because it is on another branch.
    return environment_error(
        "base '" + query.base_ref + "' not found: no branch, tag or commit of that name" +
        (shallow ? " in this shallow clone" : "") + "; fetch it (git fetch origin <branch>" +
        (shallow ? ", or more history: git fetch --deepen=200, or in GitHub Actions check out "
                   "with fetch-depth: 0"
                 : "") +
        "), pass --base REF, or use --fallback=all to treat every service as affected");
  }
  // libgit2 1.5's merge-base cannot stop at a shallow clone's boundary (shallow_merge_base.h).
  git_oid merge_base;
  bool have_merge_base = false;
  if (shallow) {
    auto found = shallow_merge_base(repo, *git_commit_id(base->get()), *git_commit_id(head->get()));
    if (!found) {
      return tl::unexpected(found.error());
    }
    if (*found) {
      merge_base = **found;
      have_merge_base = true;
    }
  } else {
    have_merge_base = git_merge_base(&merge_base, repo, git_commit_id(base->get()),
                                     git_commit_id(head->get())) == 0;
  }
  if (!have_merge_base) {
    if (shallow) {
      return environment_error(
          "the merge-base of " + head_ref + " and '" + query.base_ref +
          "' is not in this shallow clone; fetch more history (git fetch --deepen=200, or "
          "git fetch --unshallow), or in GitHub Actions check out with fetch-depth: 0");
    }
    return environment_error(head_ref + " and '" + query.base_ref +
                             "' share no history (no merge-base); pick a --base on the same "
                             "history");
  }

  ChangeScan scan;
  graph::ChangeSet& out = scan.changes;
  out.base_ref = query.base_ref;
  out.merge_base = hex(merge_base);
  out.head = hex(*git_commit_id(head->get()));

  // Committed changes: merge-base tree → head tree, below the workspace only, reading just the
  // subtrees whose ids differ. Renames are not paired up: a rename is a deletion of the old path
  // and an addition of the new one, which is what `affected` needs, and no blob is read to
  // find similar files.
  git_commit* mb_raw = nullptr;
  if (git_commit_lookup(&mb_raw, repo, &merge_base) != 0) {
    return environment_error("cannot read merge-base commit " + out.merge_base + ": " +
                             last_error());
  }
  CommitPtr mb(mb_raw);
  auto mb_tree = repo_->tree(mb.get());
  auto head_tree = repo_->tree(head->get());
  if (!mb_tree || !head_tree) {
    return tl::unexpected(!mb_tree ? mb_tree.error() : head_tree.error());
  }
  auto before = subtree(repo, mb_tree->get(), prefix_);
  auto after = subtree(repo, head_tree->get(), prefix_);
  if (!before || !after) {
    return tl::unexpected(!before ? before.error() : after.error());
  }
  ChangeMap committed;
  if (auto st = diff_trees(repo, before->get(), after->get(), "", committed); !st) {
    return tl::unexpected(st.error());
  }

  ChangeMap work;
  if (query.include_worktree && !query.head_ref) {
    std::optional<StatSnapshot> listings;
    if (!listings_path_.empty()) {
      listings.emplace(listings_path_, kListingSnapshotVersion);
    }
    ScanShortcuts aids{listings ? &*listings : nullptr, fsmonitor_ ? &*fsmonitor_ : nullptr};
    if (listing) {
      ChangesAgainstHead too{head_tree->get(), &work};
      scan.files = list_files(repo, prefix_, listing->cache, *listing->hasher, aids, &too);
    }
    // Without a listing, or when it failed (a file that cannot be read or filtered: the input
    // listing's error to report, in scan.files), the changes are found as usual, and any failure
    // the two share is reported from here.
    if (!scan.files || !*scan.files) {
      work.clear();
      if (auto st = worktree_changes(repo, head_tree->get(), prefix_, work, aids, stat_cache_);
          !st) {
        return tl::unexpected(st.error());
      }
    }
    if (listings) {
      // A cache that cannot be saved only costs the next run its listings; the config snapshot
      // beside it already warns when .ripple/ cannot be written.
      (void)listings->save();
    }
    out.includes_worktree = true;
  }

  // Net effect against the merge-base: the work tree's word wins, except that a path deleted
  // by a commit and present again in the work tree was there on both sides.
  ChangeMap merged = std::move(committed);
  for (const auto& [path, kind] : work) {
    auto it = merged.find(path);
    if (it == merged.end()) {
      merged.emplace(path, kind);
    } else if (kind == graph::ChangeKind::added && it->second == graph::ChangeKind::deleted) {
      it->second = graph::ChangeKind::modified;
    } else if (kind == graph::ChangeKind::deleted || it->second != graph::ChangeKind::added) {
      it->second = kind;
    }
  }
  for (const auto& [path, kind] : merged) {
    if (auto p = RepoPath::parse(path)) {
      out.files.push_back(graph::ChangedFile{*p, kind});
    }
  }
  return scan;
}

Result<FileTable> GitVcs::files(cache::StatCache* cache, const ContentHasher& hasher) const {
  std::optional<StatSnapshot> listings;
  if (!listings_path_.empty()) {
    listings.emplace(listings_path_, kListingSnapshotVersion);
  }
  auto files = list_files(repo_->repo.get(), prefix_, cache, hasher,
                          {listings ? &*listings : nullptr, fsmonitor_ ? &*fsmonitor_ : nullptr});
  if (files && listings) {
    (void)listings->save();  // as in changes()
  }
  return files;
}

Result<FileTable> GitVcs::recorded_files() const {
  return list_index_files(repo_->repo.get(), prefix_);
}

Result<std::optional<std::string>> GitVcs::read_at(const std::string& commit,
                                                   const RepoPath& path) const {
  auto c = repo_->commit(commit);
  if (!c) {
    return tl::unexpected(c.error());
  }
  auto tree = repo_->tree(c->get());
  if (!tree) {
    return tl::unexpected(tree.error());
  }
  std::string full = prefix_.empty() ? path.str() : prefix_ + "/" + path.str();
  git_tree_entry* raw_entry = nullptr;
  if (git_tree_entry_bypath(&raw_entry, tree->get(), full.c_str()) != 0) {
    return std::optional<std::string>();
  }
  EntryPtr entry(raw_entry);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) {
    return std::optional<std::string>();
  }
  git_blob* raw_blob = nullptr;
  if (git_blob_lookup(&raw_blob, repo_->repo.get(), git_tree_entry_id(entry.get())) != 0) {
    return environment_error("cannot read " + full + " at " + commit + ": " + last_error());
  }
  BlobPtr blob(raw_blob);
  const char* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::optional<std::string>(
      std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.get()))));
}

}  // namespace ripple::git
