#include "orchestrator/git/worktree_recheck.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "cache/file_stat.h"

namespace ripple::git {
namespace {

// The index entry at `path`, or npos.
std::size_t find_entry(const std::vector<IndexEntry>& entries, std::string_view path) {
  auto it = std::lower_bound(entries.begin(), entries.end(), path,
                             [](const IndexEntry& e, std::string_view p) { return e.path < p; });
  return it != entries.end() && it->path == path ? static_cast<std::size_t>(it - entries.begin())
                                                 : std::string::npos;
}

// Whether the index holds a file below directory `dir`.
bool tracked_dir(const std::vector<IndexEntry>& entries, std::string_view dir) {
  std::string slash = std::string(dir).append("/");
  auto it = std::lower_bound(entries.begin(), entries.end(), std::string_view(slash),
                             [](const IndexEntry& e, std::string_view p) { return e.path < p; });
  return it != entries.end() && it->path.starts_with(slash);
}

// Whether the full scan never looks at `path`: git's own directories, ripple's state.
bool never_scanned(std::string_view path) {
  if (path.empty() || path == ".ripple" || path.starts_with(".ripple/")) {
    return true;
  }
  for (std::size_t at = 0; at <= path.size();) {
    std::size_t slash = path.find('/', at);
    std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (path.substr(at, end - at) == ".git") {
      return true;
    }
    at = end + 1;
  }
  return false;
}

// Appends every non-directory below directory `rel` (relative to `root`) to `out`, leaving out
// `.git` and the subdirectories `enter` refuses.
template <typename Enter>
void list_untracked_dir(const std::string& root, const std::string& rel, const Enter& enter,
                        std::vector<std::string>& out) {
  DIR* dir = opendir((root + rel).c_str());
  if (dir == nullptr) {
    return;
  }
  while (const struct dirent* ent = readdir(dir)) {
    std::string_view name = ent->d_name;
    if (name == "." || name == ".." || name == ".git") {
      continue;
    }
    std::string path = rel + "/" + std::string(name);
    struct stat st;
    if (lstat((root + path).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      if (enter(path)) {
        list_untracked_dir(root, path, enter, out);
      }
    } else {
      out.push_back(std::move(path));
    }
  }
  closedir(dir);
}

class UntrackedCheck {
 public:
  UntrackedCheck(git_repository* repo, const IndexSnapshot& snap) : repo_(repo), snap_(snap) {
    for (const std::string& p : snap.conflicted) {
      other_known_.insert(p);
    }
    for (const std::string& p : snap.intent_to_add) {
      other_known_.insert(p);
    }
  }

  // Whether the full scan reports `path` (not in the index; a file, a link or another
  // non-directory) as untracked. The scan enters a directory the index does not know only when
  // the ignore rules let it, level by level, so each such directory above `path` is checked here
  // the same way (and remembered).
  //
  // With `is_dir`, whether the full scan would enter directory `path` (and look at its names).
  bool reported(const std::string& path, bool is_dir = false) {
    if (tracked_dir(snap_.entries, path)) {
      return false;  // a tracked directory replaced by a file: its files count as deleted
    }
    std::size_t slash = path.find('/');
    while (slash != std::string::npos && tracked_dir(snap_.entries, path.substr(0, slash))) {
      slash = path.find('/', slash + 1);
    }
    if (slash == std::string::npos) {
      // Listed in a tracked directory, where conflicted and intent-to-add names are known.
      return other_known_.count(std::string_view(path)) == 0 && !ignored(path, is_dir);
    }
    if (find_entry(snap_.entries, path.substr(0, slash)) != std::string::npos) {
      return false;  // below a tracked file: a submodule, or a file replaced by a directory
    }
    for (; slash != std::string::npos; slash = path.find('/', slash + 1)) {
      if (ignored(path.substr(0, slash + 1))) {
        return false;
      }
    }
    return !ignored(path, is_dir);
  }

 private:
  bool ignored(const std::string& path, bool is_dir) { return ignored(is_dir ? path + "/" : path); }

  bool ignored(const std::string& rel) {
    if (rel.back() == '/') {
      if (auto it = dirs_.find(rel); it != dirs_.end()) {
        return it->second;
      }
    }
    int result = 0;
    git_ignore_path_is_ignored(&result, repo_, (snap_.prefix_slash + rel).c_str());
    if (rel.back() == '/') {
      dirs_.emplace(rel, result != 0);
    }
    return result != 0;
  }

  git_repository* repo_;
  const IndexSnapshot& snap_;
  std::unordered_set<std::string_view> other_known_;
  std::unordered_map<std::string, bool> dirs_;  // "dir/" → ignored
};

}  // namespace

Result<Scan> recheck_worktree(git_repository* repo, const IndexSnapshot& snap,
                              cache::StatCache* cache, const ContentHasher& hasher,
                              std::vector<std::string> candidates) {
  Scan scan;
  scan.tracked.resize(snap.entries.size());
  for (std::size_t i = 0; i < snap.entries.size(); ++i) {
    scan.tracked[i].mode = snap.entries[i].mode();
  }

  UntrackedCheck untracked(repo, snap);
  auto enter = [&](const std::string& dir) { return untracked.reported(dir, true); };
  // Directories stand for what is below them: a tracked one for its index entries (it may be
  // gone, or renamed), an untracked one for the files a full scan would find in it.
  std::vector<std::string> paths;
  for (std::string& c : candidates) {
    if (never_scanned(c)) {
      continue;
    }
    if (tracked_dir(snap.entries, c)) {
      const std::string slash = c + "/";
      auto it =
          std::lower_bound(snap.entries.begin(), snap.entries.end(), std::string_view(slash),
                           [](const IndexEntry& e, std::string_view p) { return e.path < p; });
      for (; it != snap.entries.end() && it->path.starts_with(slash); ++it) {
        paths.emplace_back(it->path);
      }
      continue;
    }
    struct stat st;
    if (lstat((snap.root + c).c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
        find_entry(snap.entries, c) == std::string::npos) {
      if (enter(c)) {
        list_untracked_dir(snap.root, c, enter, paths);
      }
      continue;
    }
    paths.push_back(std::move(c));
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());

  for (const std::string& path : paths) {
    const std::string full = snap.root + path;
    struct stat st;
    const bool exists = lstat(full.c_str(), &st) == 0;
    if (std::size_t i = find_entry(snap.entries, path); i != std::string::npos) {
      const IndexEntry& e = snap.entries[i];
      if (e.mode() == GIT_FILEMODE_COMMIT ||
          (e.flags_extended() & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0) {
        continue;  // as in the full scan
      }
      if (!exists) {
        scan.tracked[i].state = FileState::deleted;
        continue;
      }
      if (auto s =
              check_entry(snap, e, st, cache::file_stat_of(st), cache, hasher, scan.tracked[i]);
          !s) {
        return tl::unexpected(s.error());
      }
      continue;
    }
    if (exists && !S_ISDIR(st.st_mode) && untracked.reported(path)) {
      scan.untracked.push_back(path);
    }
  }
  finish_scan(repo, snap, scan);
  return scan;
}

}  // namespace ripple::git
