#include "orchestrator/git/tree_diff.h"

#include <cstring>

namespace ripple::git {
namespace {

bool is_tree(const git_tree_entry* e) { return git_tree_entry_type(e) == GIT_OBJECT_TREE; }

// Git's tree order: names compared bytewise, a tree's name as if it ended in '/'.
int compare_entries(const git_tree_entry* a, const git_tree_entry* b) {
  const char* na = git_tree_entry_name(a);
  const char* nb = git_tree_entry_name(b);
  std::size_t la = std::strlen(na);
  std::size_t lb = std::strlen(nb);
  std::size_t n = std::min(la, lb);
  int c = std::memcmp(na, nb, n);
  if (c != 0) {
    return c;
  }
  unsigned char ca = la > n ? static_cast<unsigned char>(na[n]) : (is_tree(a) ? '/' : 0);
  unsigned char cb = lb > n ? static_cast<unsigned char>(nb[n]) : (is_tree(b) ? '/' : 0);
  return static_cast<int>(ca) - static_cast<int>(cb);
}

Result<TreePtr> lookup_tree(git_repository* repo, const git_tree_entry* e) {
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, repo, git_tree_entry_id(e)) != 0) {
    return environment_error("cannot read tree " + hex(*git_tree_entry_id(e)) + ": " +
                             last_error());
  }
  return TreePtr(raw);
}

// One side only: everything below it was added or deleted.
Status one_side(git_repository* repo, const git_tree_entry* e, const std::string& path,
                graph::ChangeKind kind, ChangeMap& out) {
  if (is_tree(e)) {
    auto t = lookup_tree(repo, e);
    if (!t) {
      return tl::unexpected(t.error());
    }
    return record_all(repo, t->get(), path, kind, out);
  }
  out[path] = kind;  // a file, a link or a submodule
  return {};
}

}  // namespace

Status diff_trees(git_repository* repo, const git_tree* before, const git_tree* after,
                  const std::string& base, ChangeMap& out) {
  if (before != nullptr && after != nullptr &&
      git_oid_equal(git_tree_id(before), git_tree_id(after))) {
    return {};
  }
  std::size_t nb = before != nullptr ? git_tree_entrycount(before) : 0;
  std::size_t na = after != nullptr ? git_tree_entrycount(after) : 0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < nb || j < na) {
    const git_tree_entry* b = i < nb ? git_tree_entry_byindex(before, i) : nullptr;
    const git_tree_entry* a = j < na ? git_tree_entry_byindex(after, j) : nullptr;
    int c = b == nullptr ? 1 : a == nullptr ? -1 : compare_entries(b, a);
    if (c < 0) {
      if (auto st = one_side(repo, b, join(base, git_tree_entry_name(b)),
                             graph::ChangeKind::deleted, out);
          !st) {
        return st;
      }
      ++i;
      continue;
    }
    if (c > 0) {
      if (auto st =
              one_side(repo, a, join(base, git_tree_entry_name(a)), graph::ChangeKind::added, out);
          !st) {
        return st;
      }
      ++j;
      continue;
    }
    ++i;
    ++j;
    if (git_oid_equal(git_tree_entry_id(b), git_tree_entry_id(a)) &&
        git_tree_entry_filemode(b) == git_tree_entry_filemode(a)) {
      continue;  // identical content: nothing below can differ
    }
    std::string path = join(base, git_tree_entry_name(a));
    if (is_tree(a)) {
      auto tb = lookup_tree(repo, b);
      auto ta = lookup_tree(repo, a);
      if (!tb || !ta) {
        return tl::unexpected(!tb ? tb.error() : ta.error());
      }
      if (auto st = diff_trees(repo, tb->get(), ta->get(), path, out); !st) {
        return st;
      }
    } else {
      out[path] = graph::ChangeKind::modified;
    }
  }
  return {};
}

}  // namespace ripple::git
