#include "orchestrator/platform/real_filesystem.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstring>

namespace fs = boost::filesystem;

namespace ripple {

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

Result<std::string> RealFilesystem::read_file(const std::string& path) const {
  // POSIX calls rather than a stream: thousands of small config files are read per run, and
  // open + fstat + one read + close is the least the kernel can be asked.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return environment_error("cannot read " + path + ": " + std::strerror(errno));
  }
  struct stat st;
  std::string out;
  if (fstat(fd, &st) == 0 && st.st_size > 0) {
    out.reserve(static_cast<std::size_t>(st.st_size));
  }
  char buf[1 << 14];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return environment_error("error while reading " + path + ": " + std::strerror(err));
    }
    if (n == 0) {
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
    if (static_cast<std::size_t>(n) < sizeof buf &&
        out.size() == static_cast<std::size_t>(st.st_size)) {
      break;  // the whole file, as fstat sized it: no need to ask for the end separately
    }
  }
  ::close(fd);
  return out;
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

std::string current_directory() { return fs::current_path().string(); }

std::string absolute_path(const std::string& path) {
  fs::path p = fs::absolute(path).lexically_normal();
  std::string s = p.string();
  // Boost keeps a trailing "." or "/" from "dir/." and "dir/"; drop them.
  while (s.size() > 1 && (s.back() == '/' || (s.size() >= 2 && s.ends_with("/.")))) {
    s.pop_back();
  }
  return s;
}

}  // namespace ripple
