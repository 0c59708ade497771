#pragma once

// The narrow view of the filesystem the orchestrator needs, so that logic can be tested against
// an in-memory fake that records what was read. Paths are absolute native paths (std::string).
// Implementations are safe to call from several threads at once.

#include <optional>
#include <string>
#include <vector>

#include "graph/support/error.h"

namespace ripple {

enum class FileKind { missing, file, directory, symlink, other };

struct DirEntry {
  std::string name;  // the entry's own name, no directory
  FileKind kind = FileKind::other;
};

class Filesystem {
 public:
  virtual ~Filesystem() = default;

  // What lives at `path`, following symlinks (a link to a directory is a directory).
  virtual FileKind kind(const std::string& path) const = 0;
  // The whole file; an environment error naming the path when it cannot be read.
  virtual Result<std::string> read_file(const std::string& path) const = 0;
  // The entries of a directory, sorted by name, without "." and "..".
  virtual Result<std::vector<DirEntry>> list_dir(const std::string& path) const = 0;
  // Whether `path` itself is a symbolic link (not followed).
  virtual bool is_symlink(const std::string& path) const = 0;
  // `path` with every symbolic link on it resolved (realpath), or nothing when it cannot be.
  virtual std::optional<std::string> resolve(const std::string& path) const = 0;
};

// Joins two native path parts with one '/'.
std::string path_join(const std::string& a, const std::string& b);

// The text of the file at `path`; nothing when it is not a file, and nothing with `trouble` set
// to the error when it cannot be read.
std::optional<std::string> read_if_file(const Filesystem& fs, const std::string& path,
                                        Status& trouble);

}  // namespace ripple
