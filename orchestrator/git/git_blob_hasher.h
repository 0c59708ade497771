#pragma once

// ContentHasher computing git blob ids exactly as `git hash-object` does (no checkout filters),
// streaming the file. Thread-safe.

#include "orchestrator/inputs/content_hasher.h"

namespace ripple::git {

class GitBlobHasher final : public ContentHasher {
 public:
  GitBlobHasher();
  Result<std::string> content_id(const std::string& path, bool symlink) const override;
};

}  // namespace ripple::git
