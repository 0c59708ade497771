#include "orchestrator/git/index_snapshot.h"

namespace ripple::git {
namespace {

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

std::optional<IndexFile> read_own(git_repository* repo) {
  git_buf path = GIT_BUF_INIT;
  std::optional<IndexFile> file;
  if (git_repository_item_path(&path, repo, GIT_REPOSITORY_ITEM_INDEX) == 0) {
    file = read_index_file(path.ptr);
  }
  git_buf_dispose(&path);
  return file;
}

Status read_with_libgit2(git_repository* repo, IndexSnapshot& snap) {
  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo) != 0) {
    return environment_error("cannot read the git index: " + last_error());
  }
  snap.index.reset(raw_index);
  if (struct stat st; stat(git_index_path(raw_index), &st) == 0) {
    snap.index_mtime = st.st_mtim;
  }
  // The entries are encoded into records of the file's own layout, so that one IndexEntry serves
  // both readers.
  const std::size_t n = git_index_entrycount(raw_index);
  constexpr std::size_t kStride = kIndexRecordSize + 2;
  snap.records.assign(n * kStride, 0);
  snap.entries.resize(n);
  auto put32 = [](unsigned char* p, std::uint32_t v) {
    p[0] = static_cast<unsigned char>(v >> 24);
    p[1] = static_cast<unsigned char>(v >> 16);
    p[2] = static_cast<unsigned char>(v >> 8);
    p[3] = static_cast<unsigned char>(v);
  };
  auto put16 = [](unsigned char* p, std::uint32_t v) {
    p[0] = static_cast<unsigned char>(v >> 8);
    p[1] = static_cast<unsigned char>(v);
  };
  for (std::size_t i = 0; i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(raw_index, i);
    unsigned char* r = snap.records.data() + i * kStride;
    put32(r, static_cast<std::uint32_t>(e->ctime.seconds));
    put32(r + 4, e->ctime.nanoseconds);
    put32(r + 8, static_cast<std::uint32_t>(e->mtime.seconds));
    put32(r + 12, e->mtime.nanoseconds);
    put32(r + 20, e->ino);
    put32(r + 24, e->mode);
    put32(r + 36, e->file_size);
    std::memcpy(r + 40, e->id.id, GIT_OID_RAWSZ);
    std::uint16_t extended =
        e->flags_extended & (GIT_INDEX_ENTRY_INTENT_TO_ADD | GIT_INDEX_ENTRY_SKIP_WORKTREE);
    std::uint16_t flags = e->flags & GIT_INDEX_ENTRY_STAGEMASK;
    put16(r + 60, extended != 0 ? flags | kIndexExtendedFlag : flags);
    put16(r + 62, extended);
    snap.entries[i] = IndexEntry{e->path, r};
  }
  return {};
}

}  // namespace

Result<IndexSnapshot> load_index(git_repository* repo, const std::string& prefix,
                                 IndexReader reader) {
  IndexSnapshot snap;
  const std::string workdir = git_repository_workdir(repo);  // ends with '/'
  snap.root = prefix.empty() ? workdir : workdir + prefix + "/";
  snap.prefix_slash = prefix.empty() ? "" : prefix + "/";
  snap.filemode = filemode_enabled(repo);
  std::optional<IndexFile> file;
  if (reader == IndexReader::automatic) {
    file = read_own(repo);
  }
  if (file) {
    snap.storage = std::move(file->storage);
    snap.entries = std::move(file->entries);
    snap.index_mtime = file->mtime;
    for (CachedTree& t : file->trees) {
      if (prefix.empty()) {
        snap.trees.push_back(std::move(t));
      } else if (t.path == prefix || t.path.starts_with(snap.prefix_slash)) {
        t.path.erase(0, std::min(t.path.size(), snap.prefix_slash.size()));
        snap.trees.push_back(std::move(t));
      }
    }
  } else if (auto st = read_with_libgit2(repo, snap); !st) {
    return tl::unexpected(st.error());
  }

  // Keep stage-0 entries below the prefix, in place.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < snap.entries.size(); ++i) {
    IndexEntry e = snap.entries[i];
    if (!e.path.starts_with(snap.prefix_slash)) {
      continue;
    }
    e.path.remove_prefix(snap.prefix_slash.size());
    if (e.stage() != 0) {
      if (snap.conflicted.empty() || snap.conflicted.back() != e.path) {
        snap.conflicted.emplace_back(e.path);
      }
      continue;
    }
    if ((e.flags_extended() & GIT_INDEX_ENTRY_INTENT_TO_ADD) != 0) {
      snap.intent_to_add.emplace_back(e.path);
      continue;
    }
    snap.entries[kept++] = e;
  }
  snap.entries.resize(kept);
  return snap;
}

}  // namespace ripple::git
