#include "cache/cache_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstring>
#include <thread>

#include "cache/local_db.h"

namespace ripple::cache {

Result<std::unique_ptr<CacheLock>> CacheLock::take(
    const std::string& dir, std::chrono::milliseconds timeout,
    const std::function<void(const std::string&)>& on_wait, bool* busy) {
  if (busy != nullptr) {
    *busy = false;
  }
  boost::system::error_code ec;
  boost::filesystem::create_directories(dir, ec);
  const std::string path = dir + "/" + kFileName;
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return environment_error("cannot open the local cache's lock " + path + ": " +
                             std::strerror(errno));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool told = false;
  while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if (err == EINTR) {
      continue;
    }
    if (err != EWOULDBLOCK) {
      close(fd);
      return environment_error("cannot lock the local cache at " + dir + ": " + std::strerror(err));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      close(fd);
      if (busy != nullptr) {
        *busy = true;
      }
      return environment_error("cannot lock the local cache at " + dir +
                               ": another ripple is using it (wait for it, raise "
                               "--lock-timeout, or use another cache.dir)");
    }
    if (!told && on_wait) {
      on_wait("waiting for another ripple to release the local cache at " + dir);
      told = true;
    }
    std::this_thread::sleep_for(kLockRetryInterval);
  }
  return std::unique_ptr<CacheLock>(new CacheLock(fd));
}

CacheLock::~CacheLock() { close(fd_); }  // closing the last descriptor releases the flock

}  // namespace ripple::cache
