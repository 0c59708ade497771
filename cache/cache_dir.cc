#include "cache/cache_dir.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <vector>

#include "cache/cache_lock.h"
#include "cache/local_db.h"

namespace fs = boost::filesystem;

namespace ripple::cache {
namespace {

bool all_digits(const std::string& s, std::size_t from, std::size_t to) {
  if (from >= to) {
    return false;
  }
  for (std::size_t i = from; i < to; ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i])) == 0) {
      return false;
    }
  }
  return true;
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::string mib(std::uint64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20); }

// RocksDB's lock on `dir`, held while the object lives.
bool is_rocksdb_file(const std::string& name) {
  if (name == "CURRENT" || name == "IDENTITY" || name == "LOCK" || name == "LOG") {
    return true;
  }
  if (starts_with(name, "LOG.old.")) {
    return all_digits(name, 8, name.size());
  }
  for (const char* prefix : {"MANIFEST-", "OPTIONS-"}) {
    if (starts_with(name, prefix)) {
      std::size_t end = name.size();
      if (name.size() > 6 && name.compare(name.size() - 6, 6, ".dbtmp") == 0) {
        end -= 6;
      }
      return all_digits(name, std::strlen(prefix), end);
    }
  }
  const std::size_t dot = name.find('.');
  if (dot == std::string::npos || !all_digits(name, 0, dot)) {
    return false;
  }
  const std::string ext = name.substr(dot);
  return ext == ".sst" || ext == ".log" || ext == ".blob" || ext == ".ldb" || ext == ".dbtmp";
}

std::string utc_stamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace

std::optional<std::uint64_t> free_bytes(const std::string& dir) {
  // A directory not made yet will be on its nearest existing parent's filesystem.
  fs::path at(dir);
  struct statvfs st;
  while (statvfs(at.c_str(), &st) != 0) {
    if (errno != ENOENT || !at.has_parent_path() || at.parent_path() == at) {
      return std::nullopt;
    }
    at = at.parent_path();
  }
  return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

Status check_room(const std::string& dir, std::uint64_t bytes) {
  const std::optional<std::uint64_t> free = free_bytes(dir);
  if (!free || *free >= bytes + kDiskHeadroom) {
    return {};
  }
  return environment_error("the local cache at " + dir + " is on a disk with " + mib(*free) +
                           " MiB free, not enough to store " + mib(bytes) + " MiB more and keep " +
                           mib(kDiskHeadroom) +
                           " MiB free (free some space, run `ripple cache prune`, or point "
                           "cache.dir at a bigger disk)");
}

bool is_cache_file(const std::string& name) {
  return is_rocksdb_file(name) || name == "blobs" || starts_with(name, "damaged-");
}

Result<std::size_t> clear_cache_dir(const std::string& dir, std::chrono::milliseconds lock_timeout,
                                    const Notify& on_wait) {
  boost::system::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return std::size_t{0};
  }
  // Listed twice: first to leave a directory without any cache file alone (no LOCK made in
  // it), then under the lock, which another ripple may have held while the first listing ran.
  std::vector<fs::path> doomed;
  std::size_t others = 0;
  auto list = [&]() -> Status {
    doomed.clear();
    others = 0;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name == "LOCK" || name == CacheLock::kFileName) {
        continue;  // held: removing it would let another ripple lock a new one meanwhile
      }
      if (is_cache_file(name)) {
        doomed.push_back(it->path());
      } else {
        ++others;
      }
    }
    if (ec) {
      return environment_error("cannot list the local cache at " + dir + ": " + ec.message());
    }
    return {};
  };
  if (auto st = list(); !st || doomed.empty()) {
    return st ? Result<std::size_t>(others) : tl::unexpected(st.error());
  }
  auto lock = CacheLock::take(dir, lock_timeout, on_wait);
  if (!lock) {
    return tl::unexpected(lock.error());
  }
  if (auto st = list(); !st) {
    return tl::unexpected(st.error());
  }
  // CURRENT first: from then on an opener sees no cache, never half of one.
  std::stable_partition(doomed.begin(), doomed.end(),
                        [](const fs::path& p) { return p.filename() == "CURRENT"; });
  for (const fs::path& p : doomed) {
    fs::remove_all(p, ec);
    if (ec) {
      return environment_error("cannot remove " + p.string() + ": " + ec.message());
    }
  }
  return others;
}

Result<std::string> set_aside(const std::string& dir, std::chrono::milliseconds lock_timeout) {
  auto lock = CacheLock::take(dir, lock_timeout, {});
  if (!lock) {
    return tl::unexpected(lock.error());
  }
  const std::string stamp = dir + "/damaged-" + utc_stamp();
  std::string aside = stamp;
  for (int n = 2; mkdir(aside.c_str(), 0777) != 0; ++n) {
    if (errno != EEXIST || n > 100) {
      return environment_error("cannot create " + aside + ": " + std::strerror(errno));
    }
    aside = stamp + "-" + std::to_string(n);
  }
  boost::system::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name != "LOCK" && is_rocksdb_file(name)) {
      names.push_back(name);
    }
  }
  if (ec) {
    return environment_error("cannot list the local cache at " + dir + ": " + ec.message());
  }
  std::stable_partition(names.begin(), names.end(),
                        [](const std::string& n) { return n == "CURRENT"; });
  for (const std::string& name : names) {
    if (std::rename((dir + "/" + name).c_str(), (aside + "/" + name).c_str()) != 0) {
      return environment_error("cannot move " + dir + "/" + name + " into " + aside + ": " +
                               std::strerror(errno));
    }
  }
  return aside;
}

std::string damage_warning(const std::string& dir, const std::string& what,
                           const Result<std::string>& aside) {
  const std::string head = "the local cache at " + dir + " is damaged (" + what + ")";
  return aside ? head + "; set it aside in " + *aside +
                     " (`ripple cache clear` removes it) and going on with a fresh cache"
               : head + " and cannot be set aside (" + aside.error().message +
                     "); this run goes on without the local cache (`ripple cache clear` "
                     "removes it)";
}

DamageLatch::DamageLatch(std::string dir, std::chrono::milliseconds lock_timeout, Notify on_warning)
    : dir_(std::move(dir)), lock_timeout_(lock_timeout), on_warning_(std::move(on_warning)) {}

bool DamageLatch::report(const std::string& what) {
  std::lock_guard lock(mutex_);
  if (set_aside_) {
    return *set_aside_;
  }
  auto aside = set_aside(dir_, lock_timeout_);
  set_aside_ = aside.has_value();
  if (on_warning_) {
    on_warning_(damage_warning(dir_, what, aside));
  }
  return *set_aside_;
}

bool DamageLatch::reported() {
  std::lock_guard lock(mutex_);
  return set_aside_.has_value();
}

}  // namespace ripple::cache
