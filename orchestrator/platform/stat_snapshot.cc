#include "orchestrator/platform/stat_snapshot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cache/digest.h"
#include "cache/file_stat.h"
#include "cache/raw_bytes.h"
#include "orchestrator/platform/atomic_file.h"

namespace ripple {
namespace {

constexpr char kMagic[8] = {'R', 'P', 'L', 'S', 'N', 'A', 'P', '\n'};
constexpr std::uint32_t kFormat = 1;
constexpr std::size_t kHeaderSize = sizeof kMagic + 4 + 4 + 4;
constexpr std::size_t kTrailerSize = 16;

using cache::append_raw;
using cache::read_raw;

bool get_bytes(std::string_view& in, std::string_view& out) {
  std::uint32_t n = 0;
  if (!read_raw(in, n) || in.size() < n) {
    return false;
  }
  out = in.substr(0, n);
  in.remove_prefix(n);
  return true;
}

bool read_whole(const std::string& path, std::string& out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (ok) {
    out.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (ok && done < out.size()) {
      ssize_t n = read(fd, out.data() + done, out.size() - done);
      ok = n > 0 || (n < 0 && errno == EINTR);
      done += n > 0 ? static_cast<std::size_t>(n) : 0;
    }
  }
  close(fd);
  return ok;
}

void encode_entry(std::string& out, std::string_view key, const cache::FileStat& s,
                  std::int64_t read_at, std::string_view value) {
  append_raw(out, static_cast<std::uint32_t>(key.size()));
  out.append(key);
  append_raw(out, s.size);
  append_raw(out, s.mtime_ns);
  append_raw(out, s.ctime_ns);
  append_raw(out, s.inode);
  append_raw(out, s.mode);
  append_raw(out, read_at);
  append_raw(out, static_cast<std::uint32_t>(value.size()));
  out.append(value);
}

}  // namespace

std::optional<cache::FileStat> stat_path_at(int dir_fd, const std::string& rel) {
  struct stat st;
  if (::fstatat(dir_fd, rel.c_str(), &st, 0) != 0) {
    return std::nullopt;
  }
  return cache::file_stat_of(st);
}

StatSnapshot::StatSnapshot(std::string path, std::uint32_t payload_version)
    : path_(std::move(path)), payload_version_(payload_version) {
  if (!read_whole(path_, buffer_) || buffer_.size() < kHeaderSize + kTrailerSize ||
      std::memcmp(buffer_.data(), kMagic, sizeof kMagic) != 0) {
    buffer_.clear();
    return;
  }
  std::string_view body(buffer_.data(), buffer_.size() - kTrailerSize);
  cache::Digest128 sum = cache::xxh3_128(body);
  if (std::memcmp(sum.bytes.data(), buffer_.data() + body.size(), kTrailerSize) != 0) {
    buffer_.clear();
    return;
  }
  std::string_view in = body.substr(sizeof kMagic);
  std::uint32_t format = 0;
  std::uint32_t payload = 0;
  std::uint32_t count = 0;
  if (!read_raw(in, format) || format != kFormat || !read_raw(in, payload) ||
      payload != payload_version_ || !read_raw(in, count) || count > in.size()) {
    buffer_.clear();
    return;
  }
  entries_.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::string_view key;
    Entry e;
    if (!get_bytes(in, key) || !read_raw(in, e.stat.size) || !read_raw(in, e.stat.mtime_ns) ||
        !read_raw(in, e.stat.ctime_ns) || !read_raw(in, e.stat.inode) ||
        !read_raw(in, e.stat.mode) || !read_raw(in, e.read_at) || !get_bytes(in, e.value)) {
      entries_.clear();
      buffer_.clear();
      return;
    }
    e.index = entries_.size();
    entries_.insert_or_assign(key, e);
  }
  if (!in.empty()) {
    entries_.clear();
    buffer_.clear();
    return;
  }
  used_ = std::make_unique<std::atomic<bool>[]>(count);  // value-initialised: false
}

std::optional<std::string_view> StatSnapshot::lookup(std::string_view key,
                                                     const cache::FileStat& stat) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  const Entry& e = it->second;
  if (!(e.stat == stat) || !cache::settled(stat, e.read_at)) {
    return std::nullopt;
  }
  used_[e.index].store(true, std::memory_order_relaxed);
  return e.value;
}

void StatSnapshot::remember(std::string_view key, const cache::FileStat& stat,
                            std::int64_t read_at_ns, std::string value) {
  if (!cache::settled(stat, read_at_ns)) {
    return;
  }
  std::lock_guard lock(mutex_);
  fresh_.push_back(Fresh{std::string(key), stat, read_at_ns, std::move(value)});
}

Status StatSnapshot::save() const {
  std::lock_guard lock(mutex_);
  std::size_t kept = 0;
  for (const auto& [key, e] : entries_) {
    kept += used_[e.index].load(std::memory_order_relaxed) ? 1 : 0;
  }
  if (fresh_.empty() && kept == entries_.size() && !buffer_.empty()) {
    return {};  // the file already says exactly this
  }
  std::string out(kMagic, sizeof kMagic);
  append_raw(out, kFormat);
  append_raw(out, payload_version_);
  append_raw(out, static_cast<std::uint32_t>(kept + fresh_.size()));
  for (const auto& [key, e] : entries_) {
    if (used_[e.index].load(std::memory_order_relaxed)) {
      encode_entry(out, key, e.stat, e.read_at, e.value);
    }
  }
  for (const Fresh& f : fresh_) {
    encode_entry(out, f.key, f.stat, f.read_at, f.value);
  }
  cache::Digest128 sum = cache::xxh3_128(out);
  out.append(reinterpret_cast<const char*>(sum.bytes.data()), sum.bytes.size());

  return write_file_atomically(path_, out);
}

}  // namespace ripple
