#include "orchestrator/state_dir.h"

#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace ripple {

std::string ensure_state_dir(const std::string& root) {
  std::string dir = root + "/.ripple/state";
  boost::system::error_code ec;
  if (!boost::filesystem::is_directory(dir, ec)) {
    boost::filesystem::create_directories(dir, ec);
  }
  if (std::string gi = root + "/.ripple/.gitignore"; !boost::filesystem::exists(gi, ec)) {
    std::ofstream(gi) << "# written by ripple: its state and cache are never committed\n*\n";
  }
  return dir;
}

std::optional<std::string> state_dir_problem(const std::string& root) {
  const std::string dir = root + "/.ripple";
  if (access(dir.c_str(), W_OK | X_OK) == 0) {
    return std::nullopt;
  }
  const int err = errno;
  if (err == ENOENT && access(root.c_str(), W_OK | X_OK) == 0) {
    return std::nullopt;  // not made yet, and it can be
  }
  return "cannot write " + dir + ": " + std::strerror(err == ENOENT ? EACCES : err) +
         "; this run keeps no state, cache or task logs in the checkout (make it writable, or set "
         "cache.dir in ripple.yaml to a writable directory for the cache)";
}

}  // namespace ripple
