#include "cache/blob_files.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "cache/cache_dir.h"
#include "graph/support/hex.h"

namespace fs = boost::filesystem;

namespace ripple::cache {
namespace {

constexpr char kTempPrefix[] = ".tmp-";

Error system_error(const std::string& what, int err) {
  return Error{ErrorKind::environment, what + ": " + std::strerror(err)};
}

bool valid_hash(const std::string& hash) {
  if (hash.size() != 64) {
    return false;
  }
  for (char c : hash) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string temp_name() {
  unsigned char bytes[8] = {};
  if (getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    const auto pid = static_cast<unsigned>(getpid());
    std::memcpy(bytes, &pid, sizeof pid);
  }
  return kTempPrefix + to_hex(bytes, sizeof bytes);
}

Status write_fully(int fd, std::string_view bytes, const std::string& what) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return tl::unexpected(system_error("cannot write " + what, n < 0 ? errno : ENOSPC));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

// A temporary blob file being written; removed unless kept.
class Temporary {
 public:
  Temporary(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~Temporary() {
    if (fd_ >= 0) {
      close(fd_);
    }
    if (!kept_) {
      unlink(path_.c_str());
    }
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  Status close_file() {
    const int fd = fd_;
    fd_ = -1;
    if (close(fd) != 0) {
      return tl::unexpected(
          system_error("cannot write " + path_, errno));  // NFS and quotas report at close
    }
    return {};
  }
  Status rename_to(const std::string& target) {
    if (std::rename(path_.c_str(), target.c_str()) != 0) {
      return tl::unexpected(system_error("cannot rename " + path_ + " to " + target, errno));
    }
    kept_ = true;
    return {};
  }

 private:
  std::string path_;
  int fd_;
  bool kept_ = false;
};

}  // namespace

struct BlobReader::State {
  std::string bytes;  // of_bytes: handed out once
  bool done = false;
  std::string path;  // of_file
  BlobDigest want;
  int fd = -1;
  bool remove_damaged = false;
  std::unique_ptr<BlobHasher> hasher;
  std::string buffer;

  ~State() {
    if (fd >= 0) {
      close(fd);
    }
  }
};

BlobReader::BlobReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
BlobReader::~BlobReader() = default;
BlobReader::BlobReader(BlobReader&&) noexcept = default;
BlobReader& BlobReader::operator=(BlobReader&&) noexcept = default;

BlobReader BlobReader::of_bytes(std::string bytes) {
  auto state = std::make_unique<State>();
  state->bytes = std::move(bytes);
  return BlobReader(std::move(state));
}

BlobReader BlobReader::of_file(std::string path, BlobDigest digest, bool remove_damaged) {
  auto state = std::make_unique<State>();
  state->path = std::move(path);
  state->want = std::move(digest);
  state->remove_damaged = remove_damaged;
  return BlobReader(std::move(state));
}

Result<std::string_view> BlobReader::next() {
  State& s = *state_;
  if (s.path.empty()) {
    if (s.done) {
      return std::string_view();
    }
    s.done = true;
    return std::string_view(s.bytes);
  }
  if (s.done) {
    return std::string_view();
  }
  if (!s.hasher) {
    s.fd = ::open(s.path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (s.fd < 0) {
      return tl::unexpected(system_error("cannot read blob " + s.path, errno));
    }
    s.hasher = std::make_unique<BlobHasher>();
    s.buffer.resize(kChunkBytes);
  }
  while (true) {
    ssize_t n = read(s.fd, s.buffer.data(), s.buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return tl::unexpected(system_error("cannot read blob " + s.path, errno));
    }
    if (n > 0) {
      std::string_view chunk(s.buffer.data(), static_cast<std::size_t>(n));
      s.hasher->update(chunk);
      return chunk;
    }
    break;
  }
  s.done = true;
  if (!(s.hasher->finish() == s.want)) {
    if (s.remove_damaged) {
      unlink(s.path.c_str());  // so that the next store writes it again
    }
    return environment_error("blob " + s.path + " is damaged (its bytes do not match its name)");
  }
  return std::string_view();
}

BlobFiles::BlobFiles(std::string cache_dir)
    : dir_(cache_dir + "/blobs"), cache_dir_(std::move(cache_dir)) {}

std::string BlobFiles::path_of(const std::string& hash) const {
  return valid_hash(hash) ? dir_ + "/" + hash.substr(0, 2) + "/" + hash : std::string();
}

struct BlobFiles::Writer::State {
  State(std::string path, int fd) : temp(std::move(path), fd) {}
  Temporary temp;
  BlobHasher hasher;
};

BlobFiles::Writer::Writer(const BlobFiles& files, std::unique_ptr<State> state)
    : files_(&files), state_(std::move(state)) {}
BlobFiles::Writer::~Writer() = default;
BlobFiles::Writer::Writer(Writer&&) noexcept = default;

Status BlobFiles::Writer::append(std::string_view bytes) {
  state_->hasher.update(bytes);
  return write_fully(state_->temp.fd(), bytes, state_->temp.path());
}

BlobFiles::Written BlobFiles::Writer::finish() {
  auto disk = [](const Error& e) { return tl::unexpected(WriteError{false, e}); };
  if (auto st = state_->temp.close_file(); !st) {
    return disk(st.error());
  }
  BlobDigest digest = state_->hasher.finish();
  const std::string target = files_->path_of(digest.hash);
  const std::string shard = target.substr(0, target.rfind('/'));
  if (mkdir(shard.c_str(), 0777) != 0 && errno != EEXIST) {
    return disk(system_error("cannot create " + shard, errno));
  }
  if (auto st = state_->temp.rename_to(target); !st) {
    return disk(st.error());
  }
  return digest;
}

tl::expected<BlobFiles::Writer, BlobFiles::WriteError> BlobFiles::begin(
    std::uint64_t expected_size) const {
  auto disk = [](const Error& e) { return tl::unexpected(WriteError{false, e}); };
  if (auto st = check_room(cache_dir_, expected_size); !st) {
    return disk(st.error());
  }
  if (mkdir(dir_.c_str(), 0777) != 0 && errno != EEXIST) {
    return disk(system_error("cannot create " + dir_, errno));
  }
  const std::string temp_path = dir_ + "/" + temp_name();
  const int out =
      ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (out < 0) {
    return disk(system_error("cannot create " + temp_path, errno));
  }
  return Writer(*this, std::make_unique<Writer::State>(temp_path, out));
}

BlobFiles::Written BlobFiles::write_chunks(std::uint64_t expected_size,
                                           const ChunkSource& next) const {
  auto writer = begin(expected_size);
  if (!writer) {
    return tl::unexpected(writer.error());
  }
  while (true) {
    auto chunk = next();
    if (!chunk) {
      return tl::unexpected(WriteError{true, chunk.error()});
    }
    if (chunk->empty()) {
      break;
    }
    if (auto st = writer->append(*chunk); !st) {
      return tl::unexpected(WriteError{false, st.error()});
    }
  }
  return writer->finish();
}

BlobFiles::Written BlobFiles::write_from(int fd, std::uint64_t expected_size,
                                         const std::string& source) const {
  std::string buffer(kChunkBytes, '\0');
  return write_chunks(expected_size, [&]() -> Result<std::string_view> {
    while (true) {
      ssize_t n = read(fd, buffer.data(), buffer.size());
      if (n >= 0) {
        return std::string_view(buffer.data(), static_cast<std::size_t>(n));
      }
      if (errno != EINTR) {
        return tl::unexpected(system_error("cannot read " + source, errno));
      }
    }
  });
}

BlobFiles::Written BlobFiles::write(std::string_view bytes) const {
  bool given = false;
  return write_chunks(bytes.size(), [&]() -> Result<std::string_view> {
    return std::exchange(given, true) ? std::string_view() : bytes;
  });
}

bool BlobFiles::has(const BlobDigest& digest) const {
  const std::string path = path_of(digest.hash);
  struct stat st;
  return !path.empty() && lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         st.st_size == digest.size;
}

std::optional<BlobReader> BlobFiles::open(const BlobDigest& digest, bool remove_damaged) const {
  if (!has(digest)) {
    return std::nullopt;
  }
  return BlobReader::of_file(path_of(digest.hash), digest, remove_damaged);
}

void BlobFiles::remove(const std::string& hash) const {
  const std::string path = path_of(hash);
  if (!path.empty()) {
    unlink(path.c_str());
  }
}

Result<std::vector<BlobFiles::Listed>> BlobFiles::list() const {
  std::vector<Listed> out;
  boost::system::error_code ec;
  if (!fs::is_directory(dir_, ec)) {
    return out;
  }
  for (fs::recursive_directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    struct stat st;
    if (it.depth() == 1 && valid_hash(name) && lstat(it->path().c_str(), &st) == 0 &&
        S_ISREG(st.st_mode)) {
      out.push_back(Listed{BlobDigest{name, static_cast<std::int64_t>(st.st_size)},
                           static_cast<std::int64_t>(st.st_mtime)});
    }
  }
  if (ec) {
    return environment_error("cannot list " + dir_ + ": " + ec.message());
  }
  return out;
}

void BlobFiles::remove_stale_temporaries(std::chrono::seconds age) const {
  boost::system::error_code ec;
  const std::time_t before = std::time(nullptr) - age.count();
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    struct stat st;
    if (it->path().filename().string().rfind(kTempPrefix, 0) == 0 &&
        lstat(it->path().c_str(), &st) == 0 && st.st_mtime < before) {
      unlink(it->path().c_str());
    }
  }
}

}  // namespace ripple::cache
