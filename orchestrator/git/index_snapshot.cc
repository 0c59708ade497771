#include "orchestrator/git/index_snapshot.h"

namespace ripple::git::detail {
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
  std::size_t n = git_index_entrycount(raw_index);
  snap.entries.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(raw_index, i);
    IndexEntry& out = snap.entries[i];
    out.path = e->path;
    out.id = e->id;
    out.mode = e->mode;
    out.file_size = e->file_size;
    out.ino = e->ino;
    out.mtime = e->mtime;
    out.ctime = e->ctime;
    out.flags = e->flags;
    out.flags_extended = e->flags_extended;
  }
  return {};
}

}  // namespace

Result<IndexSnapshot> load_index(git_repository* repo, const std::string& prefix) {
  IndexSnapshot snap;
  const std::string workdir = git_repository_workdir(repo);  // ends with '/'
  snap.root = prefix.empty() ? workdir : workdir + prefix + "/";
  snap.prefix_slash = prefix.empty() ? "" : prefix + "/";
  snap.filemode = filemode_enabled(repo);
  if (auto file = read_own(repo)) {
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
    if (((e.flags >> GIT_INDEX_ENTRY_STAGESHIFT) & 3) != 0) {
      if (snap.conflicted.empty() || snap.conflicted.back() != e.path) {
        snap.conflicted.emplace_back(e.path);
      }
      continue;
    }
    if ((e.flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD) != 0) {
      snap.intent_to_add.emplace_back(e.path);
      continue;
    }
    snap.entries[kept++] = e;
  }
  snap.entries.resize(kept);
  return snap;
}

}  // namespace ripple::git::detail
