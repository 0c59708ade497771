#include "orchestrator/git/worktree_scan.h"

#include <dirent.h>
#include <fcntl.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <cstring>
#include <unordered_map>
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

// A directory of tracked files: listed once, its files stat'ed relative to it.
struct DirJob {
  std::string_view rel;              // relative to the prefix ("" for the prefix itself)
  std::vector<std::size_t> entries;  // index entries directly in it
};

struct DirResult {
  std::vector<std::string> untracked_dirs;
  std::vector<std::string> untracked_files;
};

// Lists `abs` and reports what the index does not know. `known` holds every tracked path
// (files, submodules) and every tracked directory.
void list_untracked(int dfd, std::string_view rel, bool all_untracked,
                    const std::unordered_set<std::string_view>& known, DirResult& out) {
  DIR* d = fdopendir(dfd);
  if (d == nullptr) {
    close(dfd);
    return;
  }
  std::string path;  // reused: most names are known and need no string of their own
  while (struct dirent* ent = readdir(d)) {
    const char* name = ent->d_name;
    if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0 ||
        std::strcmp(name, ".git") == 0 || (rel.empty() && std::strcmp(name, ".ripple") == 0)) {
      continue;  // ripple's own state at the workspace root is never an input
    }
    path.assign(rel);
    if (!rel.empty()) {
      path.push_back('/');
    }
    path.append(name);
    if (!all_untracked && known.count(std::string_view(path)) > 0) {
      continue;
    }
    unsigned char type = ent->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st;
      if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        continue;
      }
      type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
    }
    (type == DT_DIR ? out.untracked_dirs : out.untracked_files).push_back(path);
  }
  closedir(d);  // closes dfd too
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
    snap.entries.push_back(Entry{path, e});
  }
  return snap;
}

namespace {

bool racy(const git_index_entry* e, const struct timespec& index_mtime) {
  return e->mtime.seconds > index_mtime.tv_sec ||
         (e->mtime.seconds == index_mtime.tv_sec &&
          e->mtime.nanoseconds >= static_cast<std::uint32_t>(index_mtime.tv_nsec));
}

// Compares one tracked file (already stat'ed) with its index entry, hashing only when needed.
Status check_entry(const IndexSnapshot& snap, const Entry& entry, const struct stat& st,
                   const cache::FileStat& fst, cache::StatCache* cache, const ContentHasher& hasher,
                   TrackedState& out) {
  const git_index_entry* e = entry.raw;
  if (S_ISDIR(st.st_mode)) {
    out.state = FileState::deleted;
    return {};
  }
  out.mode = git_mode(st, snap.filemode, e->mode);
  if (out.mode == e->mode && !racy(e, snap.index_mtime) &&
      e->file_size == static_cast<std::uint32_t>(st.st_size) &&
      e->ino == static_cast<std::uint32_t>(st.st_ino) && same_time(e->mtime, st.st_mtim) &&
      same_time(e->ctime, st.st_ctim)) {
    return {};  // clean: the index's id stands
  }
  if (out.mode == 0) {
    out.state = FileState::modified;  // neither a file nor a link any more
    return {};
  }
  std::optional<std::string> id;
  if (cache != nullptr) {
    id = cache->lookup(stat_key(entry.path), fst);
  }
  if (id) {
    out.source = FileSource::stat_cache;
  } else {
    std::int64_t read_at = cache::now_ns();
    auto hashed = hasher.content_id(std::string(snap.root).append(entry.path), S_ISLNK(st.st_mode));
    if (!hashed) {
      return tl::unexpected(hashed.error());
    }
    id = std::move(*hashed);
    out.source = FileSource::read;
    if (cache != nullptr) {
      cache->remember(stat_key(entry.path), fst, read_at, *id);
    }
  }
  out.id = *id;
  out.state = out.mode == e->mode && *id == hex(e->id) ? FileState::clean : FileState::modified;
  return {};
}

void fill_stat(const struct stat& st, cache::FileStat& out) {
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  out.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  out.inode = static_cast<std::uint64_t>(st.st_ino);
  out.mode = static_cast<std::uint32_t>(st.st_mode);
}

}  // namespace

Result<Scan> scan_worktree(git_repository* repo, const IndexSnapshot& snap, cache::StatCache* cache,
                           const ContentHasher& hasher) {
  Scan scan;
  scan.tracked.resize(snap.entries.size());
  for (std::size_t i = 0; i < snap.entries.size(); ++i) {
    scan.tracked[i].mode = snap.entries[i].raw->mode;
  }

  // Every tracked directory becomes a job, even one holding only subdirectories, so that each
  // is listed once for untracked names.
  // Every key is a view into an index path: directories are prefixes of their files' paths.
  std::unordered_set<std::string_view> known;
  known.reserve(snap.entries.size() * 2);
  std::vector<DirJob> jobs{{"", {}}};
  std::unordered_map<std::string_view, std::size_t> job_of{{"", 0}};
  for (std::size_t i = 0; i < snap.entries.size(); ++i) {
    std::string_view path = snap.entries[i].path;
    known.insert(path);
    std::size_t slash = path.rfind('/');
    std::string_view dir = slash == std::string_view::npos ? "" : path.substr(0, slash);
    auto [it, added] = job_of.emplace(dir, jobs.size());
    const std::size_t job = it->second;  // `it` dies with the next insertion
    if (added) {
      jobs.push_back({dir, {}});
      // Ancestors that hold no file directly still need listing.
      for (std::size_t s = dir.rfind('/'); s != std::string::npos; s = dir.rfind('/', s - 1)) {
        std::string_view up = dir.substr(0, s);
        if (!job_of.emplace(up, jobs.size()).second) {
          break;
        }
        jobs.push_back({up, {}});
        if (s == 0) {
          break;
        }
      }
    }
    jobs[job].entries.push_back(i);
  }
  for (const auto& [dir, job] : job_of) {
    if (!dir.empty()) {
      known.insert(dir);
    }
  }
  for (const std::string& p : snap.conflicted) {
    known.insert(p);
  }
  for (const std::string& p : snap.intent_to_add) {
    known.insert(p);
  }

  std::vector<DirResult> results(jobs.size());
  std::vector<std::optional<Error>> errors(jobs.size());
  tbb::parallel_for(std::size_t{0}, jobs.size(), [&](std::size_t j) {
    const DirJob& job = jobs[j];
    std::string abs = std::string(snap.root).append(job.rel);
    int dfd = open(abs.empty() ? "." : abs.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
      for (std::size_t i : job.entries) {
        scan.tracked[i].state = FileState::deleted;  // the whole directory is gone
      }
      return;
    }
    for (std::size_t i : job.entries) {
      const Entry& entry = snap.entries[i];
      const git_index_entry* e = entry.raw;
      if (e->mode == GIT_FILEMODE_COMMIT ||
          (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0) {
        continue;  // submodules are compared below; sparse entries are not in the work tree
      }
      std::string base(entry.path.substr(job.rel.empty() ? 0 : job.rel.size() + 1));
      struct stat st;
      if (fstatat(dfd, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        scan.tracked[i].state = FileState::deleted;
        continue;
      }
      cache::FileStat fst;
      fill_stat(st, fst);
      if (auto s = check_entry(snap, entry, st, fst, cache, hasher, scan.tracked[i]); !s) {
        errors[j] = s.error();
        break;
      }
    }
    list_untracked(dfd, job.rel, false, known, results[j]);
  });
  for (auto& e : errors) {
    if (e) {
      return tl::unexpected(*e);
    }
  }

  // A submodule is modified when its checked-out commit is not the one the index records.
  for (std::size_t i = 0; i < scan.tracked.size(); ++i) {
    const git_index_entry* e = snap.entries[i].raw;
    if (e->mode != GIT_FILEMODE_COMMIT) {
      continue;
    }
    git_submodule* sm = nullptr;
    std::string repo_path = std::string(snap.prefix_slash).append(snap.entries[i].path);
    if (git_submodule_lookup(&sm, repo, repo_path.c_str()) == 0) {
      const git_oid* wd = git_submodule_wd_id(sm);
      if (wd != nullptr && !git_oid_equal(wd, &e->id)) {
        scan.tracked[i].state = FileState::modified;
        scan.tracked[i].id = hex(*wd);
      }
      git_submodule_free(sm);
    }
  }
  // Bytes that differ from the index may still be the same content once checkout filters
  // (autocrlf, .gitattributes) apply; only libgit2's repository-aware hash can tell.
  for (std::size_t i = 0; i < scan.tracked.size(); ++i) {
    TrackedState& s = scan.tracked[i];
    if (s.state != FileState::modified || s.mode != GIT_FILEMODE_BLOB || s.id.empty()) {
      continue;
    }
    git_oid id;
    std::string repo_path = std::string(snap.prefix_slash).append(snap.entries[i].path);
    std::string full = std::string(snap.root).append(snap.entries[i].path);
    if (git_repository_hashfile(&id, repo, full.c_str(), GIT_OBJECT_BLOB, repo_path.c_str()) == 0 &&
        git_oid_equal(&id, &snap.entries[i].raw->id) && s.mode == snap.entries[i].raw->mode) {
      s.state = FileState::clean;
      s.id = hex(id);
    }
  }

  // Untracked names: ignore rules decide (serially: libgit2 handles are not shared across
  // threads); a directory that is not ignored is walked whole, level by level.
  std::vector<std::string> dirs;
  auto consider = [&](DirResult& r) {
    for (auto& d : r.untracked_dirs) {
      int ignored = 0;
      git_ignore_path_is_ignored(&ignored, repo, (snap.prefix_slash + d + "/").c_str());
      if (ignored == 0) {
        dirs.push_back(std::move(d));
      }
    }
    for (auto& f : r.untracked_files) {
      int ignored = 0;
      git_ignore_path_is_ignored(&ignored, repo, (snap.prefix_slash + f).c_str());
      if (ignored == 0) {
        scan.untracked.push_back(std::move(f));
      }
    }
  };
  for (auto& r : results) {
    consider(r);
  }
  while (!dirs.empty()) {
    std::vector<DirResult> level(dirs.size());
    tbb::parallel_for(std::size_t{0}, dirs.size(), [&](std::size_t i) {
      int dfd = open((snap.root + dirs[i]).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);  // NOLINT
      if (dfd >= 0) {
        list_untracked(dfd, dirs[i], true, known, level[i]);
      }
    });
    dirs.clear();
    for (auto& r : level) {
      consider(r);
    }
  }
  return scan;
}

}  // namespace ripple::git::detail
