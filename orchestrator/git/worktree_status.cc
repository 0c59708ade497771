#include "orchestrator/git/worktree_status.h"

#include <cstring>
#include <deque>
#include <unordered_map>
#include <vector>

#include "orchestrator/git/git_blob_hasher.h"
#include "orchestrator/git/worktree_scan.h"

namespace ripple::git {
namespace {

constexpr std::uint32_t kTreeMode = 0040000;

struct MemEntry {
  std::string_view name;
  std::uint32_t mode;
  git_oid id;
  int subtree = -1;       // index into IndexTrees's trees when this entry is a directory
  std::size_t first = 0;  // its range of index entries
  std::size_t last = 0;
};

struct MemTree {
  git_oid id;
  std::vector<MemEntry> entries;
  bool expanded = true;  // false: the id came from the cache tree, entries not listed yet
  std::size_t first = 0;
  std::size_t last = 0;
  std::size_t offset = 0;
};

// The trees `git write-tree` would write for the index, hashed but never stored. A directory
// the index's cache tree still vouches for takes its id from there, and its entries are listed
// only if the comparison with HEAD has to look inside it.
class IndexTrees {
 public:
  IndexTrees(const std::vector<IndexEntry>& entries, const std::vector<CachedTree>& cached)
      : entries_(entries) {
    for (const CachedTree& t : cached) {
      cached_.emplace(t.path, &t);
    }
  }

  int build(std::size_t first, std::size_t last, std::size_t offset) {
    std::string_view dir =
        offset == 0 ? std::string_view() : entries_[first].path.substr(0, offset - 1);
    if (auto it = cached_.find(dir);
        it != cached_.end() && it->second->entry_count >= 0 &&
        static_cast<std::size_t>(it->second->entry_count) == last - first) {
      trees_.push_back(MemTree{it->second->id, {}, false, first, last, offset});
      return static_cast<int>(trees_.size() - 1);
    }
    MemTree tree;
    list(first, last, offset, tree);
    std::string bytes;
    for (const MemEntry& e : tree.entries) {
      char mode[16];
      std::snprintf(mode, sizeof mode, "%o", e.mode);
      bytes += mode;
      bytes += ' ';
      bytes += e.name;
      bytes += '\0';
      bytes.append(reinterpret_cast<const char*>(e.id.id), GIT_OID_RAWSZ);
    }
    git_odb_hash(&tree.id, bytes.data(), bytes.size(), GIT_OBJECT_TREE);
    trees_.push_back(std::move(tree));
    return static_cast<int>(trees_.size() - 1);
  }

  // The tree with its entries listed.
  const MemTree& expanded(int i) {
    if (!trees_[i].expanded) {
      list(trees_[i].first, trees_[i].last, trees_[i].offset, trees_[i]);
      trees_[i].expanded = true;
    }
    return trees_[i];
  }

  const MemTree& tree(int i) const { return trees_[i]; }
  const std::vector<IndexEntry>& entries() const { return entries_; }

 private:
  void list(std::size_t first, std::size_t last, std::size_t offset, MemTree& tree) {
    std::vector<MemEntry> out;
    std::size_t i = first;
    while (i < last) {
      std::string_view path = entries_[i].path;
      std::size_t slash = path.find('/', offset);
      if (slash == std::string::npos) {
        const IndexEntry& e = entries_[i];
        out.push_back(MemEntry{path.substr(offset), e.mode(), e.id(), -1, i, i + 1});
        ++i;
        continue;
      }
      std::string_view dir = path.substr(0, slash + 1);
      std::size_t j = i + 1;
      while (j < last && entries_[j].path.starts_with(dir)) {
        ++j;
      }
      int sub = build(i, j, slash + 1);
      out.push_back(
          MemEntry{path.substr(offset, slash - offset), kTreeMode, trees_[sub].id, sub, i, j});
      i = j;
    }
    tree.entries = std::move(out);  // `tree` may live in trees_, which build() grew
  }

  const std::vector<IndexEntry>& entries_;
  std::unordered_map<std::string_view, const CachedTree*> cached_;
  std::deque<MemTree> trees_;  // a deque: references stay valid while it grows
};

// Git's tree order: a directory's name compares as if it ended in '/'.
int compare_names(std::string_view a, bool a_tree, const char* b, bool b_tree) {
  std::size_t lb = std::strlen(b);
  std::size_t n = std::min(a.size(), lb);
  int c = std::memcmp(a.data(), b, n);
  if (c != 0) {
    return c;
  }
  unsigned char ca = a.size() > n ? static_cast<unsigned char>(a[n]) : (a_tree ? '/' : 0);
  unsigned char cb = lb > n ? static_cast<unsigned char>(b[n]) : (b_tree ? '/' : 0);
  return static_cast<int>(ca) - static_cast<int>(cb);
}

// Index (as in-memory trees) against HEAD, top-down: equal tree ids end the descent, so only
// HEAD subtrees on the way to a staged change are read.
Status compare_with_head(git_repository* repo, IndexTrees& forest, int mem, const git_tree* head,
                         const std::string& base, ChangeMap& out) {
  if (head != nullptr && git_oid_equal(&forest.tree(mem).id, git_tree_id(head))) {
    return {};
  }
  const MemTree& t = forest.expanded(mem);
  std::size_t nh = head != nullptr ? git_tree_entrycount(head) : 0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < t.entries.size() || j < nh) {
    const MemEntry* m = i < t.entries.size() ? &t.entries[i] : nullptr;
    const git_tree_entry* h = j < nh ? git_tree_entry_byindex(head, j) : nullptr;
    bool h_tree = h != nullptr && git_tree_entry_type(h) == GIT_OBJECT_TREE;
    int c = m == nullptr ? 1
            : h == nullptr
                ? -1
                : compare_names(m->name, m->subtree >= 0, git_tree_entry_name(h), h_tree);
    if (c < 0) {
      for (std::size_t k = m->first; k < m->last; ++k) {
        out[std::string(forest.entries()[k].path)] = graph::ChangeKind::added;
      }
      ++i;
      continue;
    }
    std::string path = join(base, git_tree_entry_name(h));
    if (c > 0 || (m->subtree >= 0) != h_tree) {
      if (h_tree) {
        git_tree* raw = nullptr;
        if (git_tree_lookup(&raw, repo, git_tree_entry_id(h)) != 0) {
          return environment_error("cannot read tree " + path + ": " + last_error());
        }
        TreePtr sub(raw);
        if (auto st = record_all(repo, sub.get(), path, graph::ChangeKind::deleted, out); !st) {
          return st;
        }
      } else {
        out[path] = graph::ChangeKind::deleted;
      }
      ++j;
      continue;
    }
    ++i;
    ++j;
    if (git_oid_equal(&m->id, git_tree_entry_id(h)) &&
        m->mode == static_cast<std::uint32_t>(git_tree_entry_filemode(h))) {
      continue;
    }
    if (m->subtree >= 0) {
      git_tree* raw = nullptr;
      if (git_tree_lookup(&raw, repo, git_tree_entry_id(h)) != 0) {
        return environment_error("cannot read tree " + path + ": " + last_error());
      }
      TreePtr sub(raw);
      if (auto st = compare_with_head(repo, forest, m->subtree, sub.get(), path, out); !st) {
        return st;
      }
    } else {
      out[path] = graph::ChangeKind::modified;
    }
  }
  return {};
}

}  // namespace

Status index_changes(git_repository* repo, const git_tree* head, const std::string& prefix,
                     const IndexSnapshot& snap, ChangeMap& out) {
  for (const std::string& p : snap.intent_to_add) {
    out[p] = graph::ChangeKind::added;
  }
  IndexTrees forest(snap.entries, snap.trees);
  int top = forest.build(0, snap.entries.size(), 0);
  auto head_sub = subtree(repo, head, prefix);
  if (!head_sub) {
    return tl::unexpected(head_sub.error());
  }
  if (auto st = compare_with_head(repo, forest, top, head_sub->get(), "", out); !st) {
    return st;
  }
  // A conflicted path has no stage-0 entry, so beside HEAD it looks deleted; it is being merged,
  // a modification, as git status says (unmerged).
  for (const std::string& p : snap.conflicted) {
    out[p] = graph::ChangeKind::modified;
  }
  return {};
}

void scan_changes(const IndexSnapshot& snap, const Scan& scan, ChangeMap& out) {
  for (std::size_t i = 0; i < scan.tracked.size(); ++i) {
    FileState state = scan.tracked[i].state;
    if (state == FileState::clean) {
      continue;
    }
    std::string path(snap.entries[i].path);
    if (state == FileState::deleted) {
      out[path] = graph::ChangeKind::deleted;
    } else if (out.count(path) == 0) {
      out[path] = graph::ChangeKind::modified;  // staged as added stays added
    }
  }
  for (const std::string& path : scan.untracked) {
    out[path] = graph::ChangeKind::added;
  }
}

Status worktree_changes(git_repository* repo, const git_tree* head, const std::string& prefix,
                        ChangeMap& out, const ScanShortcuts& aids, cache::StatCache* cache) {
  auto snap = load_index(repo, prefix);
  if (!snap) {
    return tl::unexpected(snap.error());
  }
  if (auto st = index_changes(repo, head, prefix, *snap, out); !st) {
    return st;
  }
  GitBlobHasher hasher;
  auto scan = scan_worktree_with(repo, *snap, cache, hasher, aids);
  if (!scan) {
    return tl::unexpected(scan.error());
  }
  scan_changes(*snap, *scan, out);
  return {};
}

}  // namespace ripple::git
