#pragma once

// The Filesystem of the machine, through Boost.Filesystem.

#include "orchestrator/platform/filesystem.h"

namespace ripple {

class RealFilesystem final : public Filesystem {
 public:
  FileKind kind(const std::string& path) const override;
  Result<std::string> read_file(const std::string& path) const override;
  Result<std::vector<DirEntry>> list_dir(const std::string& path) const override;
};

// The process's current directory, absolute.
std::string current_directory();
// `path` made absolute (against the current directory) and lexically normalised.
std::string absolute_path(const std::string& path);

}  // namespace ripple
