#include "orchestrator/inputs/tree_walk.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "cache/digest.h"
#include "cache/file_stat.h"
#include "graph/ignore_rules.h"
#include "orchestrator/inputs/cached_content_id.h"
#include "orchestrator/platform/atomic_file.h"
#include "orchestrator/platform/parallel.h"

namespace ripple {
namespace {

struct Found {
  RepoPath path;
  struct stat st;
};

Status walk(const std::string& root, const RepoPath& dir, graph::IgnoreRules& rules,
            std::vector<Found>& out) {
  std::string abs = dir.is_root() ? root : root + "/" + dir.str();
  if (std::string gi = abs + "/.gitignore"; access(gi.c_str(), R_OK) == 0) {
    rules.add(dir, read_whole_file(gi).value_or(""));
  }
  DIR* d = opendir(abs.c_str());
  if (d == nullptr) {
    return environment_error("cannot list directory " + abs + ": " + std::strerror(errno));
  }
  std::vector<std::string> names;
  while (struct dirent* ent = readdir(d)) {
    std::string name = ent->d_name;
    if (name == "." || name == ".." || name == ".git" || (dir.is_root() && name == ".ripple")) {
      continue;
    }
    names.push_back(std::move(name));
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    RepoPath path = dir.join(name);
    struct stat st;
    if (lstat((abs + "/" + name).c_str(), &st) != 0) {
      continue;  // vanished since it was listed
    }
    bool is_dir = S_ISDIR(st.st_mode);
    if (rules.ignored(path, is_dir)) {
      continue;
    }
    if (is_dir) {
      if (auto s = walk(root, path, rules, out); !s) {
        return s;
      }
    } else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
      out.push_back(Found{path, st});
    }
  }
  return {};
}

}  // namespace

Result<std::string> Xxh3FileHasher::content_id(const std::string& path, bool symlink) const {
  if (symlink) {
    char target[4096];
    ssize_t n = readlink(path.c_str(), target, sizeof target);
    if (n < 0) {
      return environment_error("cannot read link " + path + ": " + std::strerror(errno));
    }
    return cache::xxh3_128(std::string_view(target, static_cast<std::size_t>(n))).hex();
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return environment_error("cannot read " + path + ": " + std::strerror(errno) +
                             (errno == ENOENT ? " (it vanished while ripple was hashing)" : ""));
  }
  cache::Xxh3Stream stream;
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return environment_error("cannot read " + path + ": " + std::strerror(err));
    }
    if (n == 0) {
      break;
    }
    stream.update(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return stream.finish().hex();
}

Result<std::vector<FileRecord>> walk_files(const std::string& root, cache::StatCache* cache,
                                           const ContentHasher& hasher) {
  graph::IgnoreRules rules;
  std::vector<Found> found;
  if (auto s = walk(root, RepoPath(), rules, found); !s) {
    return tl::unexpected(s.error());
  }
  std::vector<FileRecord> out(found.size());
  std::vector<std::optional<Error>> errors(found.size());
  parallel_for(std::size_t{0}, found.size(), [&](std::size_t i) {
    const Found& f = found[i];
    FileRecord& r = out[i];
    r.path = f.path;
    bool link = S_ISLNK(f.st.st_mode);
    r.mode = link ? 0120000 : (f.st.st_mode & S_IXUSR) != 0 ? 0100755 : 0100644;
    cache::FileStat fst = cache::file_stat_of(f.st);
    auto id = cached_content_id(cache, "xxh3:" + f.path.str(), fst, hasher,
                                root + "/" + f.path.str(), link);
    if (!id) {
      errors[i] = id.error();
      return;
    }
    r.id = std::move(id->id);
    r.source = id->source;
  });
  for (auto& e : errors) {
    if (e) {
      return tl::unexpected(*e);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const FileRecord& a, const FileRecord& b) { return a.path < b.path; });
  return out;
}

}  // namespace ripple
