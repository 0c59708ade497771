#include "tests/support/memory_filesystem.h"

namespace ripple::testing {

void MemoryFilesystem::add_file(const std::string& path, std::string content) {
  files_[path] = std::move(content);
  for (std::size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0;
       slash = path.rfind('/', slash - 1)) {
    dirs_.insert(path.substr(0, slash));
  }
}

void MemoryFilesystem::add_dir(const std::string& path) { add_file(path + "/.keep-dir", ""); }

FileKind MemoryFilesystem::kind(const std::string& path) const {
  if (files_.count(path) > 0) {
    return FileKind::file;
  }
  if (dirs_.count(path) > 0) {
    return FileKind::directory;
  }
  return FileKind::missing;
}

Result<std::string> MemoryFilesystem::read_file(const std::string& path) const {
  std::lock_guard lock(mutex_);
  reads_.push_back(path);
  auto it = files_.find(path);
  if (it == files_.end()) {
    return environment_error("cannot read " + path + ": No such file or directory");
  }
  return it->second;
}

Result<std::vector<DirEntry>> MemoryFilesystem::list_dir(const std::string& path) const {
  if (dirs_.count(path) == 0) {
    return environment_error("cannot list directory " + path);
  }
  std::string prefix = path == "/" ? "/" : path + "/";
  std::set<std::string> names;
  std::vector<DirEntry> out;
  auto collect = [&](const std::string& p, FileKind k) {
    if (p.size() <= prefix.size() || p.compare(0, prefix.size(), prefix) != 0) {
      return;
    }
    std::string rest = p.substr(prefix.size());
    if (rest.find('/') != std::string::npos || rest == ".keep-dir") {
      return;
    }
    if (names.insert(rest).second) {
      out.push_back(DirEntry{rest, k});
    }
  };
  for (const auto& d : dirs_) {
    collect(d, FileKind::directory);
  }
  for (const auto& [f, content] : files_) {
    collect(f, FileKind::file);
  }
  std::sort(out.begin(), out.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

std::vector<std::string> MemoryFilesystem::reads() const {
  std::lock_guard lock(mutex_);
  return reads_;
}

}  // namespace ripple::testing
