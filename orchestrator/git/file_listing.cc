#include "orchestrator/git/file_listing.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <deque>
#include <mutex>

namespace ripple::git::detail {
namespace {

// Git's ids are of the content as `git add` would store it, after the clean filters that
// .gitattributes (text, eol, ident, filter drivers) or core.autocrlf apply. The raw hash runs in
// parallel; only a file for which some filter applies is hashed again through libgit2, under a
// lock, since libgit2's attribute machinery is not shared across threads.
class FilteringHasher final : public ContentHasher {
 public:
  FilteringHasher(const ContentHasher& raw, git_repository* repo)
      : raw_(raw), repo_(repo), workdir_(git_repository_workdir(repo)) {}

  Result<std::string> content_id(const std::string& path, bool symlink) const override {
    auto id = raw_.content_id(path, symlink);
    if (!id || symlink || path.compare(0, workdir_.size(), workdir_) != 0) {
      return id;
    }
    std::string rel = path.substr(workdir_.size());
    std::lock_guard lock(mutex_);
    git_filter_list* filters = nullptr;
    if (git_filter_list_load(&filters, repo_, nullptr, rel.c_str(), GIT_FILTER_TO_ODB,
                             GIT_FILTER_DEFAULT) != 0 ||
        filters == nullptr) {
      return id;  // no filter applies: the raw bytes are what git stores
    }
    git_filter_list_free(filters);
    git_oid filtered;
    if (git_repository_hashfile(&filtered, repo_, path.c_str(), GIT_OBJECT_BLOB, rel.c_str()) !=
        0) {
      return environment_error("cannot hash " + path + " through its git filters: " + last_error());
    }
    return hex(filtered);
  }

 private:
  const ContentHasher& raw_;
  git_repository* repo_;
  std::string workdir_;
  mutable std::mutex mutex_;
};

}  // namespace

Result<std::vector<FileRecord>> list_files(git_repository* repo, const std::string& prefix,
                                           cache::StatCache* cache, const ContentHasher& raw,
                                           const ScanAids& aids) {
  auto snap = load_index(repo, prefix);
  if (!snap) {
    return tl::unexpected(snap.error());
  }
  FilteringHasher hasher(raw, repo);
  auto scan = scan_worktree_with(repo, *snap, cache, hasher, aids);
  if (!scan) {
    return tl::unexpected(scan.error());
  }
  const std::vector<TrackedState>* states = &scan->tracked;
  std::vector<FileRecord> out;
  out.reserve(snap->entries.size());
  for (std::size_t i = 0; i < snap->entries.size(); ++i) {
    const TrackedState& s = (*states)[i];
    if (s.state == FileState::deleted) {
      continue;
    }
    auto path = RepoPath::parse(snap->entries[i].path);
    if (!path) {
      continue;
    }
    out.push_back(FileRecord{*path, s.mode, s.id ? *s.id : hex(snap->entries[i].id()), s.source});
  }

  // Untracked files, conflicted and intent-to-add paths: hashed (or remembered) in parallel.
  std::vector<std::string> extra = std::move(scan->untracked);
  extra.insert(extra.end(), snap->conflicted.begin(), snap->conflicted.end());
  extra.insert(extra.end(), snap->intent_to_add.begin(), snap->intent_to_add.end());
  std::vector<FileRecord> hashed(extra.size());
  std::vector<bool> present(extra.size(), false);
  std::vector<std::optional<Error>> errors(extra.size());
  tbb::parallel_for(std::size_t{0}, extra.size(), [&](std::size_t i) {
    std::string full = snap->root + extra[i];
    struct stat st;
    cache::FileStat fst;
    if (!stat_file(full, fst, st) || !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
      return;  // gone since it was listed, or not a file: nothing to hash
    }
    FileRecord& r = hashed[i];
    r.path = *RepoPath::parse(extra[i]);
    r.mode = S_ISLNK(st.st_mode)           ? GIT_FILEMODE_LINK
             : (st.st_mode & S_IXUSR) != 0 ? GIT_FILEMODE_BLOB_EXECUTABLE
                                           : GIT_FILEMODE_BLOB;
    std::optional<std::string> id =
        cache != nullptr ? cache->lookup(stat_key(extra[i]), fst) : std::nullopt;
    if (id) {
      r.id = std::move(*id);
      r.source = FileSource::stat_cache;
    } else {
      std::int64_t read_at = cache::now_ns();
      auto h = hasher.content_id(full, S_ISLNK(st.st_mode));
      if (!h) {
        errors[i] = h.error();
        return;
      }
      r.id = std::move(*h);
      r.source = FileSource::read;
      if (cache != nullptr) {
        cache->remember(stat_key(extra[i]), fst, read_at, r.id);
      }
    }
    present[i] = true;
  });
  for (std::size_t i = 0; i < extra.size(); ++i) {
    if (errors[i]) {
      return tl::unexpected(*errors[i]);
    }
    if (present[i]) {
      out.push_back(std::move(hashed[i]));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const FileRecord& a, const FileRecord& b) { return a.path < b.path; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const FileRecord& a, const FileRecord& b) { return a.path == b.path; }),
            out.end());
  return out;
}

// git_oid_fmt's work, without a call per id: 110,000 ids on a large index.
constexpr char kHexDigits[] = "0123456789abcdef";

Result<FileTable> list_index_files(git_repository* repo, const std::string& prefix) {
  auto snap = load_index(repo, prefix);
  if (!snap) {
    return tl::unexpected(snap.error());
  }
  struct Owner {
    IndexSnapshot snap;
    std::unique_ptr<char[]> ids;
    std::deque<std::string> renamed;  // normal spellings of paths git did not store normally
  };
  auto owner = std::make_shared<Owner>();
  owner->snap = std::move(*snap);
  const std::vector<IndexEntry>& entries = owner->snap.entries;
  owner->ids = std::make_unique<char[]>(entries.size() * GIT_OID_HEXSZ);
  std::vector<InputFile> files;
  files.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const IndexEntry& e = entries[i];
    std::string_view path = e.path;
    if (!RepoPath::is_normal(path)) {
      // Git itself never writes such a path; kept in index order with its normal spelling, as
      // a FileRecord would have it.
      auto parsed = RepoPath::parse(path);
      if (!parsed) {
        continue;
      }
      path = owner->renamed.emplace_back(parsed->str());
    }
    char* id = owner->ids.get() + i * GIT_OID_HEXSZ;
    const git_oid oid = e.id();
    for (std::size_t k = 0; k < GIT_OID_RAWSZ; ++k) {
      id[2 * k] = kHexDigits[oid.id[k] >> 4];
      id[2 * k + 1] = kHexDigits[oid.id[k] & 0xf];
    }
    files.push_back(InputFile{path, e.mode(), std::string_view(id, GIT_OID_HEXSZ)});
  }
  return FileTable(std::move(files), std::move(owner));
}

}  // namespace ripple::git::detail
