#include "orchestrator/git/git_blob_hasher.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "orchestrator/git/libgit2_handles.h"

namespace ripple::git {

GitBlobHasher::GitBlobHasher() { git_libgit2_init(); }

Result<std::string> GitBlobHasher::content_id(const std::string& path, bool symlink) const {
  git_oid id;
  if (symlink) {
    std::vector<char> target(4096);
    ssize_t n = readlink(path.c_str(), target.data(), target.size());
    if (n < 0) {
      return environment_error("cannot read link " + path + ": " + std::strerror(errno));
    }
    git_odb_hash(&id, target.data(), static_cast<std::size_t>(n), GIT_OBJECT_BLOB);
    return hex(id);
  }
  if (access(path.c_str(), R_OK) != 0) {
    return environment_error("cannot read " + path + ": " + std::strerror(errno) +
                             (errno == ENOENT ? " (it vanished while ripple was hashing)" : ""));
  }
  if (git_odb_hashfile(&id, path.c_str(), GIT_OBJECT_BLOB) != 0) {
    return environment_error("cannot read " + path + ": " + last_error());
  }
  return hex(id);
}

}  // namespace ripple::git
