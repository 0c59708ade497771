#include "orchestrator/state_dir.h"

#include <boost/filesystem.hpp>
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

}  // namespace ripple
