#include "orchestrator/git/worktree_scan.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <unordered_set>

#include "cache/file_stat.h"
#include "orchestrator/git/filter_probe.h"
#include "orchestrator/git/submodule_state.h"
#include "orchestrator/inputs/cached_content_id.h"
#include "orchestrator/platform/parallel.h"

namespace ripple::git {
namespace {

bool same_time(const git_index_time& t, const struct timespec& s) {
  if (static_cast<std::int64_t>(t.seconds) != static_cast<std::int64_t>(s.tv_sec)) {
    return false;
  }
  return t.nanoseconds == 0 || t.nanoseconds == static_cast<std::uint32_t>(s.tv_nsec);
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

// A directory holding tracked files or directories: listed once, its files stat'ed relative to
// it. Built from the sorted index, so no path needs hashing or copying.
struct DirJob {
  std::string_view rel;                // relative to the prefix ("" for the prefix itself)
  std::vector<std::uint32_t> files;    // index entries directly in it, in name order
  std::vector<std::string_view> dirs;  // names of its tracked subdirectories, sorted
};

// Appends the job for the directory holding entries [first, last), whose names start at
// `offset`, and then the jobs of its subdirectories. A directory's entries are contiguous in the
// index, since they share a prefix.
void add_jobs(const std::vector<IndexEntry>& entries, std::size_t first, std::size_t last,
              std::size_t offset, std::vector<DirJob>& jobs) {
  const std::size_t me = jobs.size();
  jobs.push_back(
      DirJob{offset == 0 ? std::string_view() : entries[first].path.substr(0, offset - 1), {}, {}});
  std::size_t i = first;
  while (i < last) {
    std::string_view path = entries[i].path;
    std::size_t slash = path.find('/', offset);
    if (slash == std::string_view::npos) {
      jobs[me].files.push_back(static_cast<std::uint32_t>(i++));
      continue;
    }
    std::string_view dir = path.substr(0, slash + 1);
    std::size_t j = i + 1;
    while (j < last && entries[j].path.starts_with(dir)) {
      ++j;
    }
    jobs[me].dirs.push_back(path.substr(offset, slash - offset));
    add_jobs(entries, i, j, slash + 1, jobs);
    i = j;
  }
  // Index order puts "b.txt" before the directory "b/"; lookups want plain name order.
  std::sort(jobs[me].dirs.begin(), jobs[me].dirs.end());
}

// Whether `name` is tracked directly in `job`'s directory, as a file or as a directory.
bool tracked_name(const std::vector<IndexEntry>& entries, const DirJob& job,
                  std::string_view name) {
  const std::size_t offset = job.rel.empty() ? 0 : job.rel.size() + 1;
  auto it = std::lower_bound(
      job.files.begin(), job.files.end(), name,
      [&](std::uint32_t i, std::string_view n) { return entries[i].path.substr(offset) < n; });
  if (it != job.files.end() && entries[*it].path.substr(offset) == name) {
    return true;
  }
  return std::binary_search(job.dirs.begin(), job.dirs.end(), name);
}

struct DirResult {
  std::vector<std::string> untracked_dirs;
  std::vector<std::string> untracked_files;
};

// Calls `f(name, type)` for every entry of the directory open at `dfd` but "." and "..", with
// DT_UNKNOWN resolved. getdents64 straight into a buffer: fdopendir would add an fstat and an
// fcntl per directory, which on 10,000 directories is measurable.
template <typename F>
void read_dir(int dfd, F f) {
  alignas(8) char buf[16384];
  while (true) {
    ssize_t n = getdents64(dfd, buf, sizeof buf);
    if (n <= 0) {
      break;
    }
    for (ssize_t at = 0; at < n;) {
      const auto* ent = reinterpret_cast<const struct dirent64*>(buf + at);
      at += ent->d_reclen;
      const char* name = ent->d_name;
      if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) {
        continue;
      }
      unsigned char type = ent->d_type;
      if (type == DT_UNKNOWN) {
        struct stat st;
        if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
          continue;
        }
        type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
      }
      f(std::string_view(name), type);
    }
  }
}

// A remembered listing: per entry its type byte, its name and a NUL. False when malformed.
template <typename F>
bool for_each_listed(std::string_view listing, F f) {
  if (!listing.empty() && listing.back() != '\0') {
    return false;
  }
  while (!listing.empty()) {
    std::size_t nul = listing.find('\0');
    if (nul < 2) {
      return false;
    }
    f(listing.substr(1, nul - 1), static_cast<unsigned char>(listing[0]));
    listing.remove_prefix(nul + 1);
  }
  return true;
}

// Adds `name` (of type `type`, in directory `rel`) to `out` unless `tracked` claims it or it is
// git's or ripple's own.
template <typename Tracked>
void report_untracked(std::string_view rel, std::string_view name, unsigned char type,
                      const Tracked& tracked, DirResult& out) {
  if (name == ".git" || (rel.empty() && name == ".ripple")) {
    return;  // ripple's own state at the workspace root is never an input
  }
  if (tracked(name)) {
    return;
  }
  std::string path(rel);
  if (!rel.empty()) {
    path.push_back('/');
  }
  path.append(name);
  (type == DT_DIR ? out.untracked_dirs : out.untracked_files).push_back(std::move(path));
}

// Copies `rel` into `buf` as a C string ("." for ""); false when it does not fit.
bool c_path(std::string_view rel, char (&buf)[PATH_MAX]) {
  if (rel.size() >= sizeof buf) {
    return false;
  }
  if (rel.empty()) {
    std::memcpy(buf, ".", 2);
    return true;
  }
  std::memcpy(buf, rel.data(), rel.size());
  buf[rel.size()] = '\0';
  return true;
}

// Opens directory `rel` (relative to the open directory `root_fd`; "" is that directory).
int open_dir(int root_fd, std::string_view rel) {
  char name[PATH_MAX];
  return c_path(rel, name) ? openat(root_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
}

}  // namespace

bool stat_file(const std::string& full, cache::FileStat& out, struct stat& st) {
  if (lstat(full.c_str(), &st) != 0) {
    return false;
  }
  out = cache::file_stat_of(st);
  return true;
}

namespace {

bool racy(const IndexEntry& e, const struct timespec& index_mtime) {
  const git_index_time mtime = e.mtime();
  return mtime.seconds > index_mtime.tv_sec ||
         (mtime.seconds == index_mtime.tv_sec &&
          mtime.nanoseconds >= static_cast<std::uint32_t>(index_mtime.tv_nsec));
}

}  // namespace

Status check_entry(const IndexSnapshot& snap, const IndexEntry& entry, const struct stat& st,
                   const cache::FileStat& fst, cache::StatCache* cache, const ContentHasher& hasher,
                   TrackedState& out) {
  if (S_ISDIR(st.st_mode)) {
    out.state = FileState::deleted;
    return {};
  }
  const std::uint32_t mode = entry.mode();
  out.mode = git_mode(st, snap.filemode, mode);
  if (out.mode == mode && !racy(entry, snap.index_mtime) &&
      entry.file_size() == static_cast<std::uint32_t>(st.st_size) &&
      entry.ino() == static_cast<std::uint32_t>(st.st_ino) &&
      same_time(entry.mtime(), st.st_mtim) && same_time(entry.ctime(), st.st_ctim)) {
    return {};  // clean: the index's id stands
  }
  if (out.mode == 0) {
    out.state = FileState::modified;  // neither a file nor a link any more
    return {};
  }
  auto id = cached_content_id(cache, stat_key(entry.path), fst, hasher,
                              std::string(snap.root).append(entry.path), S_ISLNK(st.st_mode));
  if (!id) {
    return tl::unexpected(id.error());
  }
  out.source = id->source;
  out.state =
      out.mode == mode && id->id == hex(entry.id()) ? FileState::clean : FileState::modified;
  out.id = std::make_unique<std::string>(std::move(id->id));
  return {};
}

void finish_scan(git_repository* repo, const IndexSnapshot& snap, Scan& scan) {
  // A submodule is modified, as git status has it, when its checked-out commit is not the one
  // the index records or its own work tree has changes; its id then says which (and moves with
  // those changes), so keys over it move too.
  for (std::size_t i = 0; i < scan.tracked.size(); ++i) {
    const IndexEntry* e = &snap.entries[i];
    if (e->mode() != GIT_FILEMODE_COMMIT) {
      continue;
    }
    std::string repo_path = std::string(snap.prefix_slash).append(snap.entries[i].path);
    if (auto id = submodule_worktree_id(repo, repo_path); id && *id != hex(e->id())) {
      scan.tracked[i].state = FileState::modified;
      scan.tracked[i].id = std::make_unique<std::string>(std::move(*id));
    }
  }
  // Bytes that differ from the index may still be the same content once checkout filters
  // (autocrlf, .gitattributes) apply; only libgit2's repository-aware hash can tell, and only
  // where a filter may apply.
  FilterProbe probe(repo, snap);
  for (std::size_t i = 0; i < scan.tracked.size(); ++i) {
    TrackedState& s = scan.tracked[i];
    if (s.state != FileState::modified || s.mode != GIT_FILEMODE_BLOB || !s.id) {
      continue;
    }
    if (!probe.may_filter(std::string(snap.prefix_slash).append(snap.entries[i].path))) {
      continue;
    }
    git_oid id;
    const git_oid recorded = snap.entries[i].id();
    std::string repo_path = std::string(snap.prefix_slash).append(snap.entries[i].path);
    std::string full = std::string(snap.root).append(snap.entries[i].path);
    if (git_repository_hashfile(&id, repo, full.c_str(), GIT_OBJECT_BLOB, repo_path.c_str()) == 0 &&
        git_oid_equal(&id, &recorded) && s.mode == snap.entries[i].mode()) {
      s.state = FileState::clean;
      s.id = std::make_unique<std::string>(hex(id));
    }
  }
}

Result<Scan> scan_worktree(git_repository* repo, const IndexSnapshot& snap, cache::StatCache* cache,
                           const ContentHasher& hasher, StatSnapshot* listings) {
  Scan scan;
  scan.tracked.resize(snap.entries.size());
  for (std::size_t i = 0; i < snap.entries.size(); ++i) {
    scan.tracked[i].mode = snap.entries[i].mode();
  }

  // Every tracked directory becomes a job, even one holding only subdirectories, so that each
  // is listed once for untracked names.
  std::vector<DirJob> jobs;
  jobs.reserve(snap.entries.size() / 4 + 1);
  add_jobs(snap.entries, 0, snap.entries.size(), 0, jobs);
  // Conflicted and intent-to-add paths are not among the entries, yet are not untracked.
  std::unordered_set<std::string_view> other_known;
  for (const std::string& p : snap.conflicted) {
    other_known.insert(p);
  }
  for (const std::string& p : snap.intent_to_add) {
    other_known.insert(p);
  }

  // Paths are resolved relative to the prefix's directory, so the kernel walks only their own.
  int root_fd = open(snap.root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) {
    return environment_error("cannot open " + snap.root + ": " + std::strerror(errno));
  }
  struct CloseRoot {
    int fd;
    ~CloseRoot() { close(fd); }
  } close_root{root_fd};

  std::vector<DirResult> results(jobs.size());
  std::vector<std::optional<Error>> errors(jobs.size());
  // Listings are remembered as read before any directory was, so that a change landing during
  // the scan is never hidden by the racy-window rule.
  const std::int64_t listed_at = cache::now_ns();
  parallel_for(std::size_t{0}, jobs.size(), [&](std::size_t j) {
    const DirJob& job = jobs[j];
    // A directory with a remembered listing is stat'ed by path, and its files too (from the
    // prefix's directory): on a hit it is never opened. Any other is opened first, so that its
    // files are stat'ed relative to it (one path component each) and it can be listed.
    int dfd = -1;
    struct stat dir_st;
    bool listed_before = listings != nullptr && listings->contains(job.rel);
    char dir_name[PATH_MAX];
    bool present = c_path(job.rel, dir_name);
    if (present && listed_before) {
      present = fstatat(root_fd, dir_name, &dir_st, 0) == 0 && S_ISDIR(dir_st.st_mode);
    } else if (present) {
      dfd = openat(root_fd, dir_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      present = dfd >= 0 && (listings == nullptr || fstat(dfd, &dir_st) == 0);
    }
    if (!present) {
      if (dfd >= 0) {
        close(dfd);
      }
      for (std::size_t i : job.files) {
        scan.tracked[i].state = FileState::deleted;  // the whole directory is gone
      }
      return;
    }
    const int files_fd = dfd >= 0 ? dfd : root_fd;
    const std::size_t offset = dfd >= 0 && !job.rel.empty() ? job.rel.size() + 1 : 0;
    for (std::size_t i : job.files) {
      const IndexEntry& e = snap.entries[i];
      if (e.mode() == GIT_FILEMODE_COMMIT ||
          (e.flags_extended() & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0) {
        continue;  // submodules are compared below; sparse entries are not in the work tree
      }
      struct stat st;
      // The path is NUL-terminated in memory (index_file.h), so no copy is made.
      if (fstatat(files_fd, e.path.data() + offset, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        scan.tracked[i].state = FileState::deleted;
        continue;
      }
      cache::FileStat fst;
      fst = cache::file_stat_of(st);
      if (auto s = check_entry(snap, e, st, fst, cache, hasher, scan.tracked[i]); !s) {
        errors[j] = s.error();
        break;
      }
    }
    std::string full;  // reused for the rare lookup among conflicted and intent-to-add paths
    auto tracked = [&](std::string_view name) {
      if (tracked_name(snap.entries, job, name)) {
        return true;
      }
      if (other_known.empty()) {
        return false;
      }
      full.assign(job.rel);
      if (!job.rel.empty()) {
        full.push_back('/');
      }
      full.append(name);
      return other_known.count(std::string_view(full)) > 0;
    };
    auto report = [&](std::string_view name, unsigned char type) {
      report_untracked(job.rel, name, type, tracked, results[j]);
    };
    // A directory whose stat data is what it was when last listed has the same names.
    cache::FileStat dir_stat;
    if (listings != nullptr) {
      dir_stat = cache::file_stat_of(dir_st);
      if (auto listed = listings->lookup(job.rel, dir_stat);
          listed && for_each_listed(*listed, report)) {
        return;
      }
    }
    if (dfd < 0 && (dfd = openat(root_fd, dir_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
      return;
    }
    // A directory changed within the racy window is not worth remembering (cache::settled).
    const bool keep = listings != nullptr && cache::settled(dir_stat, listed_at);
    std::string listing;
    read_dir(dfd, [&](std::string_view name, unsigned char type) {
      report(name, type);
      if (keep) {
        listing.push_back(static_cast<char>(type));
        listing.append(name);
        listing.push_back('\0');
      }
    });
    close(dfd);
    if (keep) {
      listings->remember(job.rel, dir_stat, listed_at, std::move(listing));
    }
  });
  for (auto& e : errors) {
    if (e) {
      return tl::unexpected(*e);
    }
  }

  finish_scan(repo, snap, scan);

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
    parallel_for(std::size_t{0}, dirs.size(), [&](std::size_t i) {
      int dfd = open_dir(root_fd, dirs[i]);
      if (dfd >= 0) {
        read_dir(dfd, [&](std::string_view name, unsigned char type) {
          report_untracked(
              dirs[i], name, type, [](std::string_view) { return false; }, level[i]);
        });
        close(dfd);
      }
    });
    dirs.clear();
    for (auto& r : level) {
      consider(r);
    }
  }
  return scan;
}

}  // namespace ripple::git
