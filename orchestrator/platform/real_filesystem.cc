#include "orchestrator/platform/real_filesystem.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cerrno>
#include <climits>
#include <cstring>

#include "cache/file_stat.h"

namespace fs = boost::filesystem;

namespace ripple {

std::optional<std::string> read_if_file(const Filesystem& fs, const std::string& path,
                                        Status& trouble) {
  if (fs.kind(path) != FileKind::file) {
    return std::nullopt;
  }
  auto text = fs.read_file(path);
  if (!text) {
    trouble = tl::unexpected(text.error());
    return std::nullopt;
  }
  return std::move(*text);
}

std::string path_join(const std::string& a, const std::string& b) {
  if (a.empty()) {
    return b;
  }
  if (b.empty()) {
    return a;
  }
  if (a.back() == '/') {
    return a + b;
  }
  return a + "/" + b;
}

FileKind RealFilesystem::kind(const std::string& path) const {
  boost::system::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec) {
    return FileKind::missing;
  }
  switch (status.type()) {
    case fs::regular_file:
      return FileKind::file;
    case fs::directory_file:
      return FileKind::directory;
    case fs::symlink_file:
      return FileKind::symlink;
    case fs::file_not_found:
      return FileKind::missing;
    default:
      return FileKind::other;
  }
}

namespace {

// Opens `path` (relative to `dir_fd`) for reading without updating its access time when the
// kernel allows it (the owner's files): reading a freshly checked-out file would otherwise
// dirty its inode. O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever (it
// changes nothing for a regular file, and callers refuse anything else).
int open_for_reading(const std::string& path, int dir_fd = AT_FDCWD) {
  int fd = ::openat(dir_fd, path.c_str(), O_RDONLY | O_CLOEXEC | O_NOATIME | O_NONBLOCK);
  if (fd < 0 && errno == EPERM) {
    fd = ::openat(dir_fd, path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  }
  return fd;
}

tl::unexpected<Error> not_regular(const std::string& path) {
  return environment_error(path +
                           " is not a regular file (a FIFO, socket or device?); replace it "
                           "with a file");
}

// Reads from `fd` to its end, expecting about `expected` bytes: one read() call when the file
// has that size (a regular file's read returns less than asked only at its end).
Result<std::string> read_to_end(int fd, const std::string& path, std::size_t expected) {
  std::string out(expected + 1, '\0');
  std::size_t have = 0;
  while (true) {
    if (have == out.size()) {
      out.resize(out.size() * 2);
    }
    ssize_t n = ::read(fd, out.data() + have, out.size() - have);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return environment_error("error while reading " + path + ": " + std::strerror(err));
    }
    have += static_cast<std::size_t>(n);
    if (n == 0 || have < out.size()) {
      break;
    }
  }
  ::close(fd);
  out.resize(have);
  return out;
}

}  // namespace

Result<std::string> read_file_of_size(int dir_fd, const std::string& rel,
                                      std::uint64_t expected_size, const std::string& shown) {
  int fd = open_for_reading(rel, dir_fd);
  if (fd < 0) {
    return environment_error("cannot read " + shown + ": " + std::strerror(errno));
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return not_regular(shown);
  }
  return read_to_end(
      fd, shown,
      static_cast<std::size_t>(std::min<std::uint64_t>(expected_size, std::uint64_t{1} << 30)));
}

Result<std::optional<RegularFile>> read_regular_file_at(int dir_fd, const std::string& rel,
                                                        const std::string& shown) {
  int fd = open_for_reading(rel, dir_fd);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return std::optional<RegularFile>();
    }
    return environment_error("cannot read " + shown + ": " + std::strerror(errno));
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return not_regular(shown);
  }
  RegularFile out;
  out.stat = cache::file_stat_of(st);
  out.read_at_ns = cache::now_ns();
  auto text = read_to_end(fd, shown, static_cast<std::size_t>(st.st_size));
  if (!text) {
    return tl::unexpected(text.error());
  }
  out.text = std::move(*text);
  return std::optional<RegularFile>(std::move(out));
}

DirHandle::DirHandle(const std::string& path)
    : fd_(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)) {}

DirHandle::~DirHandle() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

Result<std::string> RealFilesystem::read_file(const std::string& path) const {
  // POSIX calls rather than a stream: thousands of small config files are read per run, and
  // open + fstat + one read + close is the least the kernel can be asked.
  int fd = open_for_reading(path);
  if (fd < 0) {
    return environment_error("cannot read " + path + ": " + std::strerror(errno));
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return not_regular(path);
  }
  std::size_t expected = st.st_size > 0 ? static_cast<std::size_t>(st.st_size) : std::size_t{4096};
  return read_to_end(fd, path, expected);
}

Result<std::vector<DirEntry>> RealFilesystem::list_dir(const std::string& path) const {
  DIR* d = opendir(path.c_str());
  if (d == nullptr) {
    return environment_error("cannot list directory " + path + ": " + std::strerror(errno));
  }
  std::vector<DirEntry> entries;
  while (struct dirent* ent = readdir(d)) {
    std::string name = ent->d_name;
    if (name == "." || name == "..") {
      continue;
    }
    DirEntry entry{std::move(name), FileKind::other};
    unsigned char type = ent->d_type;
    if (type == DT_UNKNOWN) {  // some filesystems do not say: ask
      struct stat st;
      if (fstatat(dirfd(d), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        type = S_ISDIR(st.st_mode)   ? DT_DIR
               : S_ISLNK(st.st_mode) ? DT_LNK
               : S_ISREG(st.st_mode) ? DT_REG
                                     : DT_UNKNOWN;
      }
    }
    entry.kind = type == DT_DIR   ? FileKind::directory
                 : type == DT_REG ? FileKind::file
                 : type == DT_LNK ? FileKind::symlink
                                  : FileKind::other;
    entries.push_back(std::move(entry));
  }
  closedir(d);
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return entries;
}

bool RealFilesystem::is_symlink(const std::string& path) const {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

std::optional<std::string> RealFilesystem::resolve(const std::string& path) const {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) {
    return std::nullopt;
  }
  return std::string(buf);
}

std::string current_directory() { return fs::current_path().string(); }

std::string absolute_path(const std::string& path) {
  // boost's absolute() asks for the current directory even for an absolute path, and that fails
  // when the directory ripple was started in has been deleted.
  fs::path p = (!path.empty() && path.front() == '/' ? fs::path(path) : fs::absolute(path))
                   .lexically_normal();
  std::string s = p.string();
  // Boost keeps a trailing "." or "/" from "dir/." and "dir/"; drop them.
  while (s.size() > 1 && (s.back() == '/' || (s.size() >= 2 && s.ends_with("/.")))) {
    s.pop_back();
  }
  return s;
}

}  // namespace ripple
