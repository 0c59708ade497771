#include "orchestrator/pruned_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include "orchestrator/manifest_files.h"
#include "orchestrator/platform/beneath.h"

namespace ripple {
namespace {

constexpr std::uint32_t kSymlinkMode = 0120000;
constexpr std::uint32_t kExecutableMode = 0100755;

tl::unexpected<Error> failure(const std::string& what, int err) {
  return environment_error(what + ": " + std::strerror(err));
}

Result<std::string> read_link(const std::string& path) {
  std::string target(256, '\0');
  while (true) {
    ssize_t n = readlink(path.c_str(), target.data(), target.size());
    if (n < 0) {
      return failure("cannot read the symlink " + path, errno);
    }
    if (static_cast<std::size_t>(n) < target.size()) {
      target.resize(static_cast<std::size_t>(n));
      return target;
    }
    target.resize(target.size() * 2);
  }
}

// Whether `path` is a file of `files` (sorted) or a directory holding one.
bool in_set(const std::vector<PrunedFile>& files, const std::string& path) {
  auto it = std::lower_bound(files.begin(), files.end(), path,
                             [](const PrunedFile& f, const std::string& p) { return f.path < p; });
  if (it == files.end()) {
    return false;
  }
  if (it->path == path) {
    return true;
  }
  // Sorted: the first path at or after "dir" that lies under "dir/" starts with it, unless a
  // sibling such as "dir-x" or "dir.y" sorts between; look past those.
  const std::string prefix = path + "/";
  auto under =
      std::lower_bound(it, files.end(), prefix,
                       [](const PrunedFile& f, const std::string& p) { return f.path < p; });
  return under != files.end() && under->path.starts_with(prefix);
}

// The link's target as a checked workspace-relative path, or the input error naming the link.
Result<std::string> checked_target(const std::string& link, const std::string& target,
                                   const std::vector<PrunedFile>& files) {
  auto fix = [&](const std::string& why) {
    return input_error("cannot prune symlink " + link + " -> " + target + ": " + why +
                       "; make it a relative link to a file of the build, or add its target "
                       "to the service's `inputs:`");
  };
  if (target.empty() || target.front() == '/') {
    return fix("an absolute target leaves the pruned tree");
  }
  const std::size_t slash = link.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : link.substr(0, slash);
  auto resolved = RepoPath::parse(dir.empty() ? target : dir + "/" + target);
  if (!resolved) {
    return fix("it points outside the workspace");
  }
  if (resolved->is_root() || !in_set(files, resolved->str())) {
    return fix("its target is not part of the pruned services' files");
  }
  return resolved->str();
}

// Reads `path` without following a link at its end, handing the bytes out in pieces.
class FileReader {
 public:
  explicit FileReader(const std::string& path) : path_(path) {
    fd_ = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    err_ = fd_ < 0 ? errno : 0;
  }
  ~FileReader() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  Result<std::string_view> next() {
    if (fd_ < 0) {
      return err_ == ELOOP ? environment_error("cannot copy " + path_ +
                                               ": it became a symlink since it was listed; "
                                               "run again")
                           : failure("cannot read " + path_, err_);
    }
    while (true) {
      ssize_t n = read(fd_, buffer_, sizeof buffer_);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        return failure("cannot read " + path_, errno);
      }
      return std::string_view(buffer_, static_cast<std::size_t>(n));
    }
  }

 private:
  std::string path_;
  int fd_ = -1;
  int err_ = 0;
  char buffer_[1 << 16];
};

}  // namespace

bool goes_to_json(const PrunedFile& file) {
  return file.mode != kSymlinkMode && is_manifest_file(file.path);
}

Result<PrunedCounts> write_pruned_tree(const std::string& root, const PruneSet& set,
                                       const std::string& out) {
  std::map<std::string, std::string> links;  // path -> target, all checked before any write
  for (const PrunedFile& f : set.files) {
    if (f.mode != kSymlinkMode) {
      continue;
    }
    auto target = read_link(root + "/" + f.path);
    if (!target) {
      return tl::unexpected(target.error());
    }
    if (auto checked = checked_target(f.path, *target, set.files); !checked) {
      return tl::unexpected(checked.error());
    }
    links.emplace(f.path, *target);
  }

  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) {
    return environment_error("cannot create " + out + ": " + ec.message());
  }
  const std::string json = out + "/json";
  const std::string full = out + "/full";
  for (const std::string& dir : {json, full}) {
    if (mkdir(dir.c_str(), 0777) != 0) {
      return failure("cannot create " + dir, errno);
    }
  }
  PrunedCounts counts;
  for (const PrunedFile& f : set.files) {
    if (f.mode == kSymlinkMode) {
      if (auto st = symlink_beneath(full, f.path, links.at(f.path)); !st) {
        return tl::unexpected(st.error());
      }
      ++counts.full;
      continue;
    }
    const unsigned mode = f.mode == kExecutableMode ? 0755 : 0644;
    const std::string source = root + "/" + f.path;
    std::vector<std::string> targets = {full};
    if (goes_to_json(f)) {
      targets.push_back(json);
      ++counts.json;
    }
    for (const std::string& base : targets) {
      FileReader reader(source);
      if (auto st = write_file_beneath(
              base, f.path, [&]() { return reader.next(); }, mode);
          !st) {
        return tl::unexpected(st.error());
      }
    }
    ++counts.full;
  }
  return counts;
}

}  // namespace ripple
