#include "orchestrator/git/worktree_status.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <unordered_set>
#include <vector>

#include <tbb/parallel_for.h>

namespace ripple::git::detail {
namespace {

struct Entry {
  std::string path;  // relative to the prefix
  const git_index_entry* raw;
};

constexpr std::uint32_t kTreeMode = 0040000;

// ---- index vs HEAD -------------------------------------------------------------------------

struct MemEntry {
  std::string name;
  std::uint32_t mode;
  git_oid id;
  int subtree = -1;          // index into MemForest::trees when this entry is a directory
  std::size_t first = 0;     // for a directory: its range of index entries
  std::size_t last = 0;
};

struct MemTree {
  git_oid id;
  std::vector<MemEntry> entries;
};

// The trees `git write-tree` would write for the index, hashed but never stored.
class MemForest {
 public:
  explicit MemForest(const std::vector<Entry>& entries) : entries_(entries) {}

  int build(std::size_t first, std::size_t last, std::size_t depth_offset) {
    MemTree tree;
    std::size_t i = first;
    while (i < last) {
      const std::string& path = entries_[i].path;
      std::size_t slash = path.find('/', depth_offset);
      if (slash == std::string::npos) {
        const git_index_entry* raw = entries_[i].raw;
        tree.entries.push_back(MemEntry{path.substr(depth_offset), raw->mode, raw->id, -1, i, i});
        ++i;
        continue;
      }
      std::string name = path.substr(depth_offset, slash - depth_offset);
      std::size_t j = i;
      while (j < last && entries_[j].path.compare(depth_offset, name.size() + 1, name + "/") == 0) {
        ++j;
      }
      int sub = build(i, j, slash + 1);
      tree.entries.push_back(MemEntry{name, kTreeMode, trees_[sub].id, sub, i, j});
      i = j;
    }
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

  const MemTree& tree(int i) const { return trees_[i]; }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  const std::vector<Entry>& entries_;
  std::vector<MemTree> trees_;
};

// Git's tree order: a directory's name compares as if it ended in '/'.
int compare_names(const std::string& a, bool a_tree, const char* b, bool b_tree) {
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

Status compare_with_head(git_repository* repo, const MemForest& forest, int mem,
                         const git_tree* head, const std::string& base, ChangeMap& out) {
  const MemTree& t = forest.tree(mem);
  if (head != nullptr && git_oid_equal(&t.id, git_tree_id(head))) {
    return {};
  }
  auto added_below = [&](const MemEntry& e) {
    for (std::size_t k = e.first; k < (e.subtree >= 0 ? e.last : e.first + 1); ++k) {
      out[forest.entries()[k].path] = graph::ChangeKind::added;
    }
  };
  std::size_t nh = head != nullptr ? git_tree_entrycount(head) : 0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < t.entries.size() || j < nh) {
    const MemEntry* m = i < t.entries.size() ? &t.entries[i] : nullptr;
    const git_tree_entry* h = j < nh ? git_tree_entry_byindex(head, j) : nullptr;
    bool h_tree = h != nullptr && git_tree_entry_type(h) == GIT_OBJECT_TREE;
    int c = m == nullptr   ? 1
            : h == nullptr ? -1
                           : compare_names(m->name, m->subtree >= 0, git_tree_entry_name(h),
                                           h_tree);
    if (c < 0) {
      added_below(*m);
      ++i;
      continue;
    }
    std::string path = join(base, git_tree_entry_name(h));
    if (c > 0) {
      if (h_tree) {
        git_tree* raw = nullptr;
        if (git_tree_lookup(&raw, repo, git_tree_entry_id(h)) != 0) {
          return environment_error("cannot read tree " + path + ": " + last_error());
        }
        TreePtr sub(raw);
        if (auto st = record_all(repo, sub.get(), path, graph::ChangeKind::deleted, out); !st) {
          return st;
        }
      } else if (git_tree_entry_type(h) == GIT_OBJECT_BLOB) {
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

// ---- work tree vs index --------------------------------------------------------------------

bool same_time(const git_index_time& t, const struct timespec& s) {
  if (static_cast<std::int64_t>(t.seconds) != static_cast<std::int64_t>(s.tv_sec)) {
    return false;
  }
  return t.nanoseconds == 0 || t.nanoseconds == static_cast<std::uint32_t>(s.tv_nsec);
}

enum class FileState { clean, modified, deleted, check_with_filters };

FileState check_file(const std::string& full, const git_index_entry* e, bool filemode,
                     const struct timespec& index_mtime) {
  struct stat st;
  if (lstat(full.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) {
    return FileState::deleted;
  }
  std::uint32_t mode = 0;
  if (S_ISLNK(st.st_mode)) {
    mode = GIT_FILEMODE_LINK;
  } else if (S_ISREG(st.st_mode)) {
    bool exec = filemode ? (st.st_mode & S_IXUSR) != 0 : e->mode == GIT_FILEMODE_BLOB_EXECUTABLE;
    mode = exec ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
  } else {
    return FileState::modified;
  }
  if (mode != e->mode) {
    return FileState::modified;
  }
  bool racy = e->mtime.seconds > index_mtime.tv_sec ||
              (e->mtime.seconds == index_mtime.tv_sec &&
               e->mtime.nanoseconds >= static_cast<std::uint32_t>(index_mtime.tv_nsec));
  if (!racy && e->file_size == static_cast<std::uint32_t>(st.st_size) &&
      e->ino == static_cast<std::uint32_t>(st.st_ino) && same_time(e->mtime, st.st_mtim) &&
      same_time(e->ctime, st.st_ctim)) {
    return FileState::clean;
  }
  // Stat data differs (or cannot be trusted): compare content ids.
  git_oid id;
  if (S_ISLNK(st.st_mode)) {
    std::vector<char> target(static_cast<std::size_t>(st.st_size) + 1);
    ssize_t n = readlink(full.c_str(), target.data(), target.size());
    if (n < 0) {
      return FileState::deleted;
    }
    git_odb_hash(&id, target.data(), static_cast<std::size_t>(n), GIT_OBJECT_BLOB);
  } else if (git_odb_hashfile(&id, full.c_str(), GIT_OBJECT_BLOB) != 0) {
    return FileState::modified;
  }
  if (git_oid_equal(&id, &e->id)) {
    return FileState::clean;
  }
  // The raw bytes differ from the index; with checkout filters (autocrlf, .gitattributes) they
  // may still be the same content, which only the repository-aware hash can tell.
  return S_ISLNK(st.st_mode) ? FileState::modified : FileState::check_with_filters;
}

bool filemode_enabled(git_repository* repo) {
  git_config* cfg = nullptr;
  int value = 1;
  if (git_repository_config_snapshot(&cfg, repo) == 0) {
    if (git_config_get_bool(&value, cfg, "core.filemode") != 0) {
      value = 1;
    }
    git_config_free(cfg);
  }
  return value != 0;
}

// ---- untracked -----------------------------------------------------------------------------

struct Listing {
  std::vector<std::string> dirs;             // tracked directories to enter
  std::vector<std::string> untracked_dirs;   // to check against ignore rules, then enter
  std::vector<std::string> untracked_files;  // to check against ignore rules
};

void list_dir(const std::string& abs, const std::string& rel, bool all_untracked,
              const std::unordered_set<std::string>& tracked_dirs,
              const std::unordered_set<std::string_view>& tracked_files, Listing& out) {
  DIR* d = opendir(abs.c_str());
  if (d == nullptr) {
    return;
  }
  while (struct dirent* ent = readdir(d)) {
    const char* name = ent->d_name;
    if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0 ||
        std::strcmp(name, ".git") == 0) {
      continue;
    }
    std::string path = join(rel, name);
    unsigned char type = ent->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st;
      if (lstat((abs + "/" + name).c_str(), &st) != 0) {
        continue;
      }
      type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
    }
    if (type == DT_DIR) {
      if (!all_untracked && tracked_dirs.count(path) > 0) {
        out.dirs.push_back(std::move(path));
      } else {
        out.untracked_dirs.push_back(std::move(path));
      }
    } else if (all_untracked || tracked_files.count(path) == 0) {
      out.untracked_files.push_back(std::move(path));
    }
  }
  closedir(d);
}

}  // namespace

Status worktree_changes(git_repository* repo, const git_tree* head, const std::string& prefix,
                        ChangeMap& out) {
  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo) != 0) {
    return environment_error("cannot read the git index: " + last_error());
  }
  IndexPtr index(raw_index);
  const std::string workdir = git_repository_workdir(repo);  // ends with '/'
  const std::string root = prefix.empty() ? workdir : workdir + prefix + "/";
  const std::string prefix_slash = prefix.empty() ? "" : prefix + "/";

  struct timespec index_mtime{};
  if (struct stat st; stat(git_index_path(index.get()), &st) == 0) {
    index_mtime = st.st_mtim;
  }

  std::vector<Entry> entries;  // stage 0, below the prefix, in index (= path) order
  for (std::size_t i = 0, n = git_index_entrycount(index.get()); i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(index.get(), i);
    std::string_view path = e->path;
    if (!prefix.empty() && path.compare(0, prefix_slash.size(), prefix_slash) != 0) {
      continue;
    }
    path.remove_prefix(prefix_slash.size());
    if (GIT_INDEX_ENTRY_STAGE(e) != 0) {
      out[std::string(path)] = graph::ChangeKind::modified;  // an unresolved conflict
      continue;
    }
    if ((e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD) != 0) {
      out[std::string(path)] = graph::ChangeKind::added;
      continue;
    }
    entries.push_back(Entry{std::string(path), e});
  }

  // Index vs HEAD.
  MemForest forest(entries);
  int top = forest.build(0, entries.size(), 0);
  auto head_sub = subtree(repo, head, prefix);
  if (!head_sub) {
    return tl::unexpected(head_sub.error());
  }
  if (auto st = compare_with_head(repo, forest, top, head_sub->get(), "", out); !st) {
    return st;
  }

  // Work tree vs index, in parallel; only the index's own paths are touched.
  const bool filemode = filemode_enabled(repo);
  std::vector<FileState> states(entries.size(), FileState::clean);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, entries.size(), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::string full;
                      for (std::size_t i = range.begin(); i != range.end(); ++i) {
                        const git_index_entry* e = entries[i].raw;
                        if (e->mode == GIT_FILEMODE_COMMIT ||
                            (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0) {
                          continue;  // submodules and sparse entries are not in the work tree
                        }
                        full.assign(root).append(entries[i].path);
                        states[i] = check_file(full, e, filemode, index_mtime);
                      }
                    });
  for (std::size_t i = 0; i < entries.size(); ++i) {
    FileState s = states[i];
    if (s == FileState::check_with_filters) {
      git_oid id;
      std::string repo_path = prefix_slash + entries[i].path;
      s = git_repository_hashfile(&id, repo, (root + entries[i].path).c_str(), GIT_OBJECT_BLOB,
                                  repo_path.c_str()) == 0 &&
                  git_oid_equal(&id, &entries[i].raw->id)
              ? FileState::clean
              : FileState::modified;
    }
    if (s == FileState::deleted) {
      out[entries[i].path] = graph::ChangeKind::deleted;
    } else if (s == FileState::modified) {
      auto it = out.find(entries[i].path);
      if (it == out.end()) {
        out[entries[i].path] = graph::ChangeKind::modified;
      }  // staged as added stays added
    }
  }

  // Untracked files: walk level by level, listing directories in parallel; ignore rules are
  // consulted (serially: libgit2 handles are not shared across threads) only for names the
  // index does not know.
  std::unordered_set<std::string_view> tracked_files;
  std::unordered_set<std::string> tracked_dirs;
  tracked_files.reserve(entries.size());
  for (const Entry& e : entries) {
    tracked_files.insert(e.path);
    for (std::size_t slash = e.path.rfind('/'); slash != std::string::npos && slash > 0;
         slash = e.path.rfind('/', slash - 1)) {
      if (!tracked_dirs.insert(e.path.substr(0, slash)).second) {
        break;  // its ancestors are in already
      }
    }
  }
  struct Dir {
    std::string rel;
    bool all_untracked;
  };
  std::vector<Dir> level{{"", false}};
  while (!level.empty()) {
    std::vector<Listing> listings(level.size());
    tbb::parallel_for(std::size_t{0}, level.size(), [&](std::size_t i) {
      list_dir(root + level[i].rel, level[i].rel, level[i].all_untracked, tracked_dirs,
               tracked_files, listings[i]);
    });
    std::vector<Dir> next;
    for (std::size_t i = 0; i < level.size(); ++i) {
      for (auto& d : listings[i].dirs) {
        next.push_back({std::move(d), false});
      }
      for (auto& d : listings[i].untracked_dirs) {
        int ignored = 0;
        git_ignore_path_is_ignored(&ignored, repo, (prefix_slash + d + "/").c_str());
        if (ignored == 0) {
          next.push_back({std::move(d), true});
        }
      }
      for (auto& f : listings[i].untracked_files) {
        int ignored = 0;
        git_ignore_path_is_ignored(&ignored, repo, (prefix_slash + f).c_str());
        if (ignored == 0) {
          out[f] = graph::ChangeKind::added;
        }
      }
    }
    level = std::move(next);
  }
  return {};
}

}  // namespace ripple::git::detail
