#pragma once

// Computes content ids of work-tree files, behind an interface so tests can count (and fault)
// the reads. Implementations are safe to call from several threads at once.

#include <string>

#include "graph/support/error.h"

namespace ripple {

class ContentHasher {
 public:
  virtual ~ContentHasher() = default;
  // The id of the file at absolute `path`, of its bytes, or of the link text for a symlink
  // (never followed): git's blob id (40 hex) in a git workspace, xxh3-128 (32 hex) outside. Large
  // files are streamed. An environment error naming the file when it vanished or cannot be read.
  virtual Result<std::string> content_id(const std::string& path, bool symlink) const = 0;
};

}  // namespace ripple
