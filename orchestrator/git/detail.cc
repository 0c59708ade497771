#include "orchestrator/git/detail.h"

namespace ripple::git::detail {

std::string last_error() {
  const git_error* e = git_error_last();
  return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

std::string hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

Result<TreePtr> subtree(git_repository* repo, const git_tree* tree, const std::string& dir) {
  if (dir.empty()) {
    git_tree* copy = nullptr;
    if (git_tree_dup(&copy, const_cast<git_tree*>(tree)) != 0) {
      return environment_error("cannot copy a tree handle: " + last_error());
    }
    return TreePtr(copy);
  }
  git_tree_entry* raw = nullptr;
  if (git_tree_entry_bypath(&raw, tree, dir.c_str()) != 0) {
    return TreePtr();
  }
  EntryPtr entry(raw);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
    return TreePtr();
  }
  git_tree* sub = nullptr;
  if (git_tree_lookup(&sub, repo, git_tree_entry_id(entry.get())) != 0) {
    return environment_error("cannot read tree " + dir + ": " + last_error());
  }
  return TreePtr(sub);
}

Status record_all(git_repository* repo, const git_tree* tree, const std::string& base,
                  graph::ChangeKind kind, ChangeMap& out) {
  for (std::size_t i = 0, n = git_tree_entrycount(tree); i < n; ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(tree, i);
    std::string path = join(base, git_tree_entry_name(e));
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
      git_tree* raw = nullptr;
      if (git_tree_lookup(&raw, repo, git_tree_entry_id(e)) != 0) {
        return environment_error("cannot read tree " + path + ": " + last_error());
      }
      TreePtr sub(raw);
      if (auto st = record_all(repo, sub.get(), path, kind, out); !st) {
        return st;
      }
    } else {
      out[path] = kind;  // a file, a link or a submodule
    }
  }
  return {};
}

}  // namespace ripple::git::detail
