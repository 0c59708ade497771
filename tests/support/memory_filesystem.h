#pragma once

// An in-memory Filesystem for logic tests. Directories exist implicitly above every file and can
// be added empty. Every read_file is logged so a test can assert what was *not* read.

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "orchestrator/platform/filesystem.h"

namespace ripple::testing {

class MemoryFilesystem final : public Filesystem {
 public:
  // `path` is absolute ("/repo/ripple.yaml").
  void add_file(const std::string& path, std::string content);
  void add_dir(const std::string& path);

  FileKind kind(const std::string& path) const override;
  Result<std::string> read_file(const std::string& path) const override;
  Result<std::vector<DirEntry>> list_dir(const std::string& path) const override;
  // No symbolic links here: nothing is one, and every path resolves to itself.
  bool is_symlink(const std::string&) const override { return false; }
  std::optional<std::string> resolve(const std::string& path) const override { return path; }

  std::vector<std::string> reads() const;

 private:
  std::map<std::string, std::string> files_;
  std::set<std::string> dirs_{"/"};
  mutable std::mutex mutex_;
  mutable std::vector<std::string> reads_;
};

}  // namespace ripple::testing
