#include "orchestrator/platform/real_filesystem.h"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return environment_error("cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    return environment_error("error while reading " + path);
  }
  return out.str();
}

Result<std::vector<DirEntry>> RealFilesystem::list_dir(const std::string& path) const {
  boost::system::error_code ec;
  fs::directory_iterator it(path, ec);
  if (ec) {
    return environment_error("cannot list directory " + path + ": " + ec.message());
  }
  std::vector<DirEntry> entries;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      return environment_error("cannot list directory " + path + ": " + ec.message());
    }
    DirEntry entry;
    entry.name = it->path().filename().string();
    switch (it->symlink_status(ec).type()) {
      case fs::regular_file:
        entry.kind = FileKind::file;
        break;
      case fs::directory_file:
        entry.kind = FileKind::directory;
        break;
      case fs::symlink_file:
        entry.kind = FileKind::symlink;
        break;
      default:
        entry.kind = FileKind::other;
    }
    entries.push_back(std::move(entry));
  }
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
