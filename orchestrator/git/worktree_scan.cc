#include "orchestrator/git/worktree_scan.h"

#include <dirent.h>
#include <tbb/parallel_for.h>

#include <cstring>
#include <unordered_set>

namespace ripple::git::detail {
namespace {

bool same_time(const git_index_time& t, const struct timespec& s) {
  if (static_cast<std::int64_t>(t.seconds) != static_cast<std::int64_t>(s.tv_sec)) {
    return false;
  }
  return t.nanoseconds == 0 || t.nanoseconds == static_cast<std::uint32_t>(s.tv_nsec);
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

std::uint32_t git_mode(const struct stat& st, bool filemode, std::uint32_t index_mode) {
  if (S_ISLNK(st.st_mode)) {
    return GIT_FILEMODE_LINK;
  }
  if (!S_ISREG(st.st_mode)) {
    return 0;
  }
  bool exec = filemode ? (st.st_mode & S_IXUSR) != 0 : index_mode == GIT_FILEMODE_BLOB_EXECUTABLE;
  return exec ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
}

struct Listing {
  std::vector<std::string> dirs;
  std::vector<std::string> untracked_dirs;
  std::vector<std::string> untracked_files;
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
        std::strcmp(name, ".git") == 0 || (rel.empty() && std::strcmp(name, ".ripple") == 0)) {
      continue;  // ripple's own state at the workspace root is never an input
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
      if (!all_untracked && tracked_files.count(path) > 0) {
        continue;  // a submodule: its own repository, compared by commit id elsewhere
      }
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

bool stat_file(const std::string& full, cache::FileStat& out, struct stat& st) {
  if (lstat(full.c_str(), &st) != 0) {
    return false;
  }
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  out.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  out.inode = static_cast<std::uint64_t>(st.st_ino);
  out.mode = static_cast<std::uint32_t>(st.st_mode);
  return true;
}

Result<IndexSnapshot> load_index(git_repository* repo, const std::string& prefix) {
  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo) != 0) {
    return environment_error("cannot read the git index: " + last_error());
  }
  IndexSnapshot snap;
  snap.index.reset(raw_index);
  const std::string workdir = git_repository_workdir(repo);  // ends with '/'
  snap.root = prefix.empty() ? workdir : workdir + prefix + "/";
  snap.prefix_slash = prefix.empty() ? "" : prefix + "/";
  snap.filemode = filemode_enabled(repo);
  if (struct stat st; stat(git_index_path(snap.index.get()), &st) == 0) {
    snap.index_mtime = st.st_mtim;
  }
  for (std::size_t i = 0, n = git_index_entrycount(snap.index.get()); i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(snap.index.get(), i);
    std::string_view path = e->path;
    if (path.compare(0, snap.prefix_slash.size(), snap.prefix_slash) != 0) {
      continue;
    }
    path.remove_prefix(snap.prefix_slash.size());
    if (GIT_INDEX_ENTRY_STAGE(e) != 0) {
      if (snap.conflicted.empty() || snap.conflicted.back() != path) {
        snap.conflicted.emplace_back(path);
      }
      continue;
    }
    if ((e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD) != 0) {
      snap.intent_to_add.emplace_back(path);
      continue;
    }
    snap.entries.push_back(Entry{std::string(path), e});
  }
  return snap;
}

Result<std::vector<TrackedState>> check_tracked(git_repository* repo, const IndexSnapshot& snap,
                                                cache::StatCache* cache,
                                                const ContentHasher& hasher) {
  std::vector<TrackedState> states(snap.entries.size());
  std::vector<Error> errors(snap.entries.size());
  std::vector<bool> failed(snap.entries.size(), false);
  const struct timespec& index_mtime = snap.index_mtime;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, snap.entries.size(), 256),
      [&](const tbb::blocked_range<std::size_t>& range) {
        std::string full;
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          const git_index_entry* e = snap.entries[i].raw;
          TrackedState& out = states[i];
          out.mode = e->mode;
          if (e->mode == GIT_FILEMODE_COMMIT ||
              (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0) {
            continue;  // submodules and sparse entries are not in the work tree
          }
          full.assign(snap.root).append(snap.entries[i].path);
          struct stat st;
          cache::FileStat fst;
          if (!stat_file(full, fst, st) || S_ISDIR(st.st_mode)) {
            out.state = FileState::deleted;
            continue;
          }
          out.mode = git_mode(st, snap.filemode, e->mode);
          bool racy = e->mtime.seconds > index_mtime.tv_sec ||
                      (e->mtime.seconds == index_mtime.tv_sec &&
                       e->mtime.nanoseconds >= static_cast<std::uint32_t>(index_mtime.tv_nsec));
          if (out.mode == e->mode && !racy &&
              e->file_size == static_cast<std::uint32_t>(st.st_size) &&
              e->ino == static_cast<std::uint32_t>(st.st_ino) && same_time(e->mtime, st.st_mtim) &&
              same_time(e->ctime, st.st_ctim)) {
            continue;  // clean: the index's id stands
          }
          if (out.mode == 0) {
            out.state = FileState::modified;  // neither a file nor a link any more
            continue;
          }
          std::optional<std::string> id;
          if (cache != nullptr) {
            id = cache->lookup(snap.entries[i].path, fst);
          }
          if (id) {
            out.source = FileSource::stat_cache;
          } else {
            std::int64_t read_at = cache::now_ns();
            auto hashed = hasher.content_id(full, S_ISLNK(st.st_mode));
            if (!hashed) {
              errors[i] = hashed.error();
              failed[i] = true;
              continue;
            }
            id = std::move(*hashed);
            out.source = FileSource::read;
            if (cache != nullptr) {
              cache->remember(snap.entries[i].path, fst, read_at, *id);
            }
          }
          out.id = *id;
          bool same = out.mode == e->mode && *id == hex(e->id);
          out.state = same ? FileState::clean : FileState::modified;
        }
      });
  for (std::size_t i = 0; i < failed.size(); ++i) {
    if (failed[i]) {
      return tl::unexpected(errors[i]);
    }
  }
  // A submodule is modified when its checked-out commit is not the one the index records.
  for (std::size_t i = 0; i < states.size(); ++i) {
    const git_index_entry* e = snap.entries[i].raw;
    if (e->mode != GIT_FILEMODE_COMMIT || states[i].state == FileState::deleted) {
      continue;
    }
    git_submodule* sm = nullptr;
    std::string repo_path = snap.prefix_slash + snap.entries[i].path;
    if (git_submodule_lookup(&sm, repo, repo_path.c_str()) == 0) {
      const git_oid* wd = git_submodule_wd_id(sm);
      if (wd != nullptr && !git_oid_equal(wd, &e->id)) {
        states[i].state = FileState::modified;
        states[i].id = hex(*wd);
      }
      git_submodule_free(sm);
    }
  }
  // Bytes that differ from the index may still be the same content once checkout filters
  // (autocrlf, .gitattributes) apply; only libgit2's repository-aware hash can tell.
  for (std::size_t i = 0; i < states.size(); ++i) {
    TrackedState& s = states[i];
    if (s.state != FileState::modified || s.mode != GIT_FILEMODE_BLOB || s.id.empty()) {
      continue;
    }
    git_oid id;
    std::string repo_path = snap.prefix_slash + snap.entries[i].path;
    if (git_repository_hashfile(&id, repo, (snap.root + snap.entries[i].path).c_str(),
                                GIT_OBJECT_BLOB, repo_path.c_str()) == 0 &&
        git_oid_equal(&id, &snap.entries[i].raw->id) && s.mode == snap.entries[i].raw->mode) {
      s.state = FileState::clean;
      s.id = hex(id);
    }
  }
  return states;
}

std::vector<std::string> untracked_files(git_repository* repo, const IndexSnapshot& snap) {
  std::unordered_set<std::string_view> tracked_files;
  std::unordered_set<std::string> tracked_dirs;
  tracked_files.reserve(snap.entries.size());
  for (const Entry& e : snap.entries) {
    tracked_files.insert(e.path);
    for (std::size_t slash = e.path.rfind('/'); slash != std::string::npos && slash > 0;
         slash = e.path.rfind('/', slash - 1)) {
      if (!tracked_dirs.insert(e.path.substr(0, slash)).second) {
        break;  // its ancestors are in already
      }
    }
  }
  for (const std::string& p : snap.conflicted) {
    tracked_files.insert(p);
  }
  for (const std::string& p : snap.intent_to_add) {
    tracked_files.insert(p);
  }
  struct Dir {
    std::string rel;
    bool all_untracked;
  };
  // Level by level: directories are listed in parallel; ignore rules are consulted serially
  // (libgit2 handles are not shared across threads), and only for names the index does not
  // know, so an ignored directory is never entered.
  std::vector<std::string> out;
  std::vector<Dir> level{{"", false}};
  while (!level.empty()) {
    std::vector<Listing> listings(level.size());
    tbb::parallel_for(std::size_t{0}, level.size(), [&](std::size_t i) {
      list_dir(snap.root + level[i].rel, level[i].rel, level[i].all_untracked, tracked_dirs,
               tracked_files, listings[i]);
    });
    std::vector<Dir> next;
    for (std::size_t i = 0; i < level.size(); ++i) {
      for (auto& d : listings[i].dirs) {
        next.push_back({std::move(d), false});
      }
      for (auto& d : listings[i].untracked_dirs) {
        int ignored = 0;
        git_ignore_path_is_ignored(&ignored, repo, (snap.prefix_slash + d + "/").c_str());
        if (ignored == 0) {
          next.push_back({std::move(d), true});
        }
      }
      for (auto& f : listings[i].untracked_files) {
        int ignored = 0;
        git_ignore_path_is_ignored(&ignored, repo, (snap.prefix_slash + f).c_str());
        if (ignored == 0) {
          out.push_back(std::move(f));
        }
      }
    }
    level = std::move(next);
  }
  return out;
}

}  // namespace ripple::git::detail
