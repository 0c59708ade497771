#include "orchestrator/platform/beneath.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "graph/support/hex.h"

namespace ripple {
namespace {

// Closes a descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) {
      close(fd_);
    }
    fd_ = fd;
  }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

tl::unexpected<Error> failure(const std::string& what, int err) {
  return environment_error(what + ": " + std::strerror(err));
}

// ".ripple-" and 8 hex digits: a random start drawn once per process, then a counter, so that a
// name cannot be planted ahead (O_EXCL refuses it anyway) without a getrandom() per file.
std::string temporary_name() {
  static std::atomic<std::uint32_t> next = [] {
    std::uint32_t seed = 0;
    if (getrandom(&seed, sizeof seed, 0) != static_cast<ssize_t>(sizeof seed)) {
      seed = static_cast<std::uint32_t>(getpid()) * 2654435761u;
    }
    return seed;
  }();
  const std::uint32_t n = next.fetch_add(0x9E3779B9u);  // odd step: every value before a repeat
  const unsigned char big_endian[4] = {
      static_cast<unsigned char>(n >> 24), static_cast<unsigned char>(n >> 16),
      static_cast<unsigned char>(n >> 8), static_cast<unsigned char>(n)};
  return ".ripple-" + to_hex(big_endian, sizeof big_endian);
}

}  // namespace

Status write_all(int fd, std::string_view bytes, const std::string& what) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return failure("cannot write " + what, errno);
    }
    if (n == 0) {
      return failure("cannot write " + what, ENOSPC);
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

namespace {

// Writes what `source` hands out to `fd`, to its end; its error in place of the end is the error.
Status write_source(int fd, const ByteSource& source, const std::string& what) {
  while (true) {
    auto chunk = source();
    if (!chunk) {
      return tl::unexpected(chunk.error());
    }
    if (chunk->empty()) {
      return {};
    }
    if (auto st = write_all(fd, *chunk, what); !st) {
      return st;
    }
  }
}

}  // namespace

Status write_file_beneath(const std::string& base, std::string_view rel, std::string_view bytes,
                          unsigned mode, Replace replace) {
  bool given = false;
  return write_file_beneath(
      base, rel,
      [&]() -> Result<std::string_view> {
        return std::exchange(given, true) ? std::string_view() : bytes;
      },
      mode, replace);
}

namespace {

// `rel` split into its components, each checked to be plain (not "", "." or "..").
Result<std::vector<std::string>> plain_parts(const std::string& base, std::string_view rel) {
  std::vector<std::string> parts;
  for (std::size_t start = 0; start <= rel.size();) {
    std::size_t slash = rel.find('/', start);
    if (slash == std::string_view::npos) {
      slash = rel.size();
    }
    parts.emplace_back(rel.substr(start, slash - start));
    start = slash + 1;
  }
  for (const std::string& p : parts) {
    if (p.empty() || p == "." || p == "..") {
      return environment_error("cannot write '" + std::string(rel) + "' under " + base +
                               ": not a plain relative path");
    }
  }
  return parts;
}

// Opens `base`, then each directory of `parts` but the last without following a link, creating
// the missing ones: the directory the last component goes in. `where` names the path written.
Result<int> open_parent_beneath(const std::string& base, const std::vector<std::string>& parts,
                                const std::string& where) {
  Fd dir(open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) {
    return failure("cannot open " + base, errno);
  }
  std::string walked = base;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    const char* name = parts[i].c_str();
    walked += "/" + parts[i];
    int next = openat(dir.get(), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0 && errno == ENOENT) {
      if (mkdirat(dir.get(), name, 0777) != 0 && errno != EEXIST) {
        return failure("cannot create " + walked, errno);
      }
      next = openat(dir.get(), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (next < 0) {
      return errno == ELOOP || errno == ENOTDIR
                 ? environment_error("will not write " + where + ": " + walked +
                                     " is a symlink or not a directory")
                 : failure("cannot open " + walked, errno);
    }
    dir.reset(next);
  }
  return dir.release();
}

}  // namespace

Status symlink_beneath(const std::string& base, std::string_view rel, const std::string& target) {
  auto parts = plain_parts(base, rel);
  if (!parts) {
    return tl::unexpected(parts.error());
  }
  const std::string where = base + "/" + std::string(rel);
  auto opened = open_parent_beneath(base, *parts, where);
  if (!opened) {
    return tl::unexpected(opened.error());
  }
  Fd dir(*opened);
  if (symlinkat(target.c_str(), dir.get(), parts->back().c_str()) != 0) {
    return failure("cannot create the symlink " + where, errno);
  }
  return {};
}

Status write_file_beneath(const std::string& base, std::string_view rel, const ByteSource& source,
                          unsigned mode, Replace replace) {
  auto split = plain_parts(base, rel);
  if (!split) {
    return tl::unexpected(split.error());
  }
  const std::vector<std::string>& parts = *split;
  const std::string where = base + "/" + std::string(rel);
  auto opened = open_parent_beneath(base, parts, where);
  if (!opened) {
    return tl::unexpected(opened.error());
  }
  Fd dir(*opened);
  const std::string& leaf = parts.back();
  if (replace == Replace::in_place) {
    Fd file(openat(dir.get(), leaf.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                   static_cast<mode_t>(mode & 07777)));
    if (file.get() < 0) {
      return errno == ELOOP ? environment_error("will not write " + where + ": it is a symlink")
                            : failure("cannot write " + where, errno);
    }
    Status written = write_source(file.get(), source, where);
    if (written && close(file.release()) != 0) {
      written = failure("cannot write " + where, errno);
    }
    return written;
  }
  std::string tmp;
  Fd file;
  for (int attempt = 0; attempt < 8 && file.get() < 0; ++attempt) {
    tmp = temporary_name();
    file.reset(openat(dir.get(), tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      static_cast<mode_t>(mode & 07777)));
    if (file.get() < 0 && errno != EEXIST) {
      return failure("cannot create a temporary file beside " + where, errno);
    }
  }
  if (file.get() < 0) {
    return failure("cannot create a temporary file beside " + where, EEXIST);
  }
  Status written = write_source(file.get(), source, where);
  if (written && close(file.release()) != 0) {
    written = failure("cannot write " + where, errno);  // NFS and quotas report at close
  }
  if (written && renameat(dir.get(), tmp.c_str(), dir.get(), leaf.c_str()) != 0) {
    written = failure("cannot replace " + where, errno);
  }
  if (!written) {
    file.reset();
    unlinkat(dir.get(), tmp.c_str(), 0);
  }
  return written;
}

}  // namespace ripple
