#include "orchestrator/git/file_listing.h"

#include <algorithm>
#include <deque>
#include <iterator>
#include <mutex>
#include <optional>

#include "graph/support/hex.h"
#include "orchestrator/git/worktree_status.h"
#include "orchestrator/inputs/cached_content_id.h"
#include "orchestrator/platform/parallel.h"

namespace ripple::git {
namespace {

// Git's ids are of the content as `git add` would store it, after the clean filters that
// .gitattributes (text, eol, ident, filter drivers) or core.autocrlf apply. The raw hash runs in
// parallel; libgit2 is asked only about a file some attribute file or core.autocrlf may concern
// (filter_probe.h), under a lock, since its attribute machinery is not shared across threads.
class FilteringHasher final : public ContentHasher {
 public:
  FilteringHasher(const ContentHasher& raw, git_repository* repo, const IndexSnapshot& snap)
      : raw_(raw), repo_(repo), workdir_(git_repository_workdir(repo)), probe_(repo, snap) {}

  Result<std::string> content_id(const std::string& path, bool symlink) const override {
    auto id = raw_.content_id(path, symlink);
    if (!id || symlink || path.compare(0, workdir_.size(), workdir_) != 0) {
      return id;
    }
    std::string rel = path.substr(workdir_.size());
    if (!probe_.may_filter(rel)) {
      return id;
    }
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
  FilterProbe probe_;
  mutable std::mutex mutex_;
};

// What a listing's views point into: the index (its paths and, as hex, its ids) and the
// strings made for the rest.
struct ListingOwner {
  IndexSnapshot snap;
  std::unique_ptr<char[]> ids;    // hex of every entry's id, GIT_OID_HEXSZ each, by entry
  std::deque<std::string> owned;  // normal spellings of odd paths, computed ids, extra paths
  std::string_view keep(std::string s) { return owned.emplace_back(std::move(s)); }
};

std::shared_ptr<ListingOwner> own_index(IndexSnapshot snap) {
  auto owner = std::make_shared<ListingOwner>();
  owner->snap = std::move(snap);
  const std::vector<IndexEntry>& entries = owner->snap.entries;
  owner->ids = std::make_unique<char[]>(entries.size() * GIT_OID_HEXSZ);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    char* id = owner->ids.get() + i * GIT_OID_HEXSZ;
    const git_oid oid = entries[i].id();
    // git_oid_fmt's work, without a call per id: 110,000 ids on a large index.
    hex_into(id, oid.id, GIT_OID_RAWSZ);
  }
  return owner;
}

std::string_view index_id(const ListingOwner& owner, std::size_t i) {
  return std::string_view(owner.ids.get() + i * GIT_OID_HEXSZ, GIT_OID_HEXSZ);
}

// Entry `i`'s path in RepoPath's normal spelling; nothing when it has none. Git itself never
// writes an odd spelling; one is listed under its normal spelling, as a FileRecord would have it
// (sorted_by_path() then puts it in its place).
std::optional<std::string_view> normal_path(ListingOwner& owner, std::size_t i) {
  std::string_view path = owner.snap.entries[i].path;
  if (RepoPath::is_normal(path)) {
    return path;
  }
  auto parsed = RepoPath::parse(path);
  if (!parsed) {
    return std::nullopt;
  }
  return owner.keep(parsed->str());
}

bool by_path(const InputFile& a, const InputFile& b) { return a.path < b.path; }

// Index order is path order, unless an odd spelling was normalised.
void sort_by_path(std::vector<InputFile>& files) {
  if (!std::is_sorted(files.begin(), files.end(), by_path)) {
    std::stable_sort(files.begin(), files.end(), by_path);
  }
}

}  // namespace

Result<FileTable> list_files(git_repository* repo, const std::string& prefix,
                             cache::StatCache* cache, const ContentHasher& raw,
                             const ScanShortcuts& aids, const ChangesAgainstHead* changes) {
  auto snap = load_index(repo, prefix);
  if (!snap) {
    return tl::unexpected(snap.error());
  }
  // Owned before the scan: the views taken below point into it.
  std::shared_ptr<ListingOwner> owner = own_index(std::move(*snap));
  const IndexSnapshot& index = owner->snap;
  if (changes != nullptr) {
    if (auto st = index_changes(repo, changes->head, prefix, index, *changes->out); !st) {
      return tl::unexpected(st.error());
    }
  }
  FilteringHasher hasher(raw, repo, index);
  auto scan = scan_worktree_with(repo, index, cache, hasher, aids);
  if (!scan) {
    return tl::unexpected(scan.error());
  }
  if (changes != nullptr) {
    scan_changes(index, *scan, *changes->out);
  }
  std::vector<InputFile> files;
  files.reserve(index.entries.size());
  for (std::size_t i = 0; i < index.entries.size(); ++i) {
    const TrackedState& s = scan->tracked[i];
    if (s.state == FileState::deleted) {
      continue;
    }
    auto path = normal_path(*owner, i);
    if (!path) {
      continue;
    }
    std::string_view id = s.id ? owner->keep(std::move(*s.id)) : index_id(*owner, i);
    files.push_back(InputFile{*path, id, s.mode, s.source});
  }

  // Untracked files, conflicted and intent-to-add paths: hashed (or remembered) in parallel.
  std::vector<std::string> extra = std::move(scan->untracked);
  extra.insert(extra.end(), index.conflicted.begin(), index.conflicted.end());
  extra.insert(extra.end(), index.intent_to_add.begin(), index.intent_to_add.end());
  std::vector<FileRecord> hashed(extra.size());
  // One byte per path, not std::vector<bool>: its bits share words, so two threads marking
  // neighbours would race and one mark could be lost (ThreadSanitizer found it), dropping an
  // untracked file from the listing.
  std::vector<char> present(extra.size(), 0);
  std::vector<std::optional<Error>> errors(extra.size());
  parallel_for(std::size_t{0}, extra.size(), [&](std::size_t i) {
    std::string full = index.root + extra[i];
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
    auto id = cached_content_id(cache, stat_key(extra[i]), fst, hasher, full, S_ISLNK(st.st_mode));
    if (!id) {
      errors[i] = id.error();
      return;
    }
    r.id = std::move(id->id);
    r.source = id->source;
    present[i] = 1;
  });
  std::vector<InputFile> added;
  for (std::size_t i = 0; i < extra.size(); ++i) {
    if (errors[i]) {
      return tl::unexpected(*errors[i]);
    }
    if (present[i]) {
      FileRecord& r = hashed[i];
      added.push_back(
          InputFile{owner->keep(r.path.str()), owner->keep(std::move(r.id)), r.mode, r.source});
    }
  }
  // The few extra paths are merged in.
  sort_by_path(files);
  if (!added.empty()) {
    std::sort(added.begin(), added.end(), by_path);
    std::vector<InputFile> merged;
    merged.reserve(files.size() + added.size());
    std::merge(files.begin(), files.end(), added.begin(), added.end(), std::back_inserter(merged),
               by_path);
    files = std::move(merged);
  }
  files.erase(std::unique(files.begin(), files.end(),
                          [](const InputFile& a, const InputFile& b) { return a.path == b.path; }),
              files.end());
  return FileTable(std::move(files), std::move(owner));
}

Result<FileTable> list_index_files(git_repository* repo, const std::string& prefix) {
  auto snap = load_index(repo, prefix);
  if (!snap) {
    return tl::unexpected(snap.error());
  }
  std::shared_ptr<ListingOwner> owner = own_index(std::move(*snap));
  std::vector<InputFile> files;
  files.reserve(owner->snap.entries.size());
  for (std::size_t i = 0; i < owner->snap.entries.size(); ++i) {
    if (auto path = normal_path(*owner, i)) {
      files.push_back(
          InputFile{*path, index_id(*owner, i), owner->snap.entries[i].mode(), FileSource::index});
    }
  }
  sort_by_path(files);
  return FileTable(std::move(files), std::move(owner));
}

}  // namespace ripple::git
