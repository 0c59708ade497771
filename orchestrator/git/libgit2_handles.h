#pragma once

// Internal to the git adapter (orchestrator/git/): owning handles for libgit2 objects and small
// helpers. Included only by the adapter's own .cc files; nothing outside this folder sees
// <git2.h>.

#include <git2.h>

#include <map>
#include <memory>
#include <string>

#include "graph/change_set.h"

namespace ripple::git {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using RepoPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using EntryPtr = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry, git_tree_entry_free>>;
using BlobPtr = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;
using IndexPtr = std::unique_ptr<git_index, Deleter<git_index, git_index_free>>;

// Workspace-relative path → what happened to it. Later writers override earlier ones.
using ChangeMap = std::map<std::string, graph::ChangeKind>;

std::string last_error();
std::string hex(const git_oid& oid);

// The path the repository's config gives `key` (core.excludesFile…); "" when unset.
std::string config_path(git_repository* repo, const char* key);
// The string the repository's config gives `key` (core.autocrlf…); "" when unset.
std::string config_string(git_repository* repo, const char* key);
// What a libgit2 finder (git_config_find_global…) finds; "" when nothing.
std::string found(int (*find)(git_buf*));
// `$XDG_CONFIG_HOME/<xdg_relative>`, else `$HOME/.config/<xdg_relative>`; "" without either.
std::string home_file(const char* xdg_relative);

// The subtree at `dir` ("" for `tree` itself); empty when there is no directory there.
Result<TreePtr> subtree(git_repository* repo, const git_tree* tree, const std::string& dir);

// Records every blob under `tree` (recursively) as `kind`, with paths below `base`.
Status record_all(git_repository* repo, const git_tree* tree, const std::string& base,
                  graph::ChangeKind kind, ChangeMap& out);

// "dir/name", or "name" when dir is empty.
inline std::string join(const std::string& dir, const char* name) {
  return dir.empty() ? std::string(name) : dir + "/" + name;
}

}  // namespace ripple::git
