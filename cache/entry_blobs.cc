#include "cache/entry_blobs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ripple::cache {
namespace {

// Closes a descriptor when it goes out of scope.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) {
      close(fd);
    }
  }
};

}  // namespace

Result<std::optional<BlobDigest>> EntryBlobs::add_file(const std::string& path) {
  if (spill_->stopped()) {
    return std::optional<BlobDigest>();
  }
  const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  FdCloser closer{fd};
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    return environment_error("cannot read output " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return environment_error("cannot store output " + path + ": not a regular file");
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size <= kInlineBlobMax && inline_bytes_ + size <= kEntryInlineMax) {
    std::string bytes;
    bytes.resize(size);
    std::size_t done = 0;
    while (true) {
      if (done == bytes.size()) {
        bytes.resize(done + 4096);  // the file grew since fstat: read on to its end
      }
      ssize_t n = read(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        return environment_error("cannot read output " + path + ": " + std::strerror(errno));
      }
      if (n == 0) {
        break;
      }
      done += static_cast<std::size_t>(n);
    }
    bytes.resize(done);
    return add(std::move(bytes));
  }
  return spill_->written(spill_->blob_files().write_from(fd, size, path));
}

Result<std::optional<BlobDigest>> EntryBlobs::add(std::string bytes) {
  if (spill_->stopped()) {
    return std::optional<BlobDigest>();
  }
  if (bytes.size() <= kInlineBlobMax && inline_bytes_ + bytes.size() <= kEntryInlineMax) {
    BlobDigest digest = digest_of(bytes);
    inline_bytes_ += bytes.size();
    inline_.push_back(std::move(bytes));
    return std::optional<BlobDigest>(std::move(digest));
  }
  return spill_->written(spill_->blob_files().write(bytes));
}

Result<std::optional<BlobDigest>> EntryBlobs::add_reader(BlobReader reader,
                                                         const BlobDigest& digest) {
  if (spill_->stopped()) {
    return std::optional<BlobDigest>();
  }
  auto written = spill_->written(spill_->blob_files().write_chunks(
      static_cast<std::uint64_t>(digest.size), [&reader] { return reader.next(); }));
  if (written && written->has_value() && !(**written == digest)) {
    // A reader checks its digest at its end; one that names another digest is a bug upstream.
    return environment_error("blob " + digest.hash + " read back as " + (*written)->hash);
  }
  return written;
}

Result<std::optional<BlobDigest>> EntryBlobs::add_pushed(
    const BlobDigest& digest, const std::function<Status(const PieceWriter&)>& produce) {
  if (spill_->stopped()) {
    return std::optional<BlobDigest>();
  }
  auto writer = spill_->blob_files().begin(static_cast<std::uint64_t>(digest.size));
  if (!writer) {
    return spill_->written(tl::unexpected(writer.error()));
  }
  Status disk;
  auto st = produce([&](std::string_view piece) -> Status {
    disk = writer->append(piece);
    return disk;
  });
  if (!disk) {
    return spill_->written(tl::unexpected(BlobFiles::WriteError{false, disk.error()}));
  }
  if (!st) {
    return tl::unexpected(st.error());  // the writer goes, and its temporary with it
  }
  auto written = spill_->written(writer->finish());
  if (written && written->has_value() && !(**written == digest)) {
    spill_->blob_files().remove((*written)->hash);
    return input_error("blob " + digest.hash + " arrived as " + (*written)->hash + " (" +
                       std::to_string((*written)->size) + " bytes): its bytes do not match");
  }
  return written;
}

Status EntryBlobs::spill_in_memory() {
  for (const std::string& blob : inline_) {
    auto stored = spill_->written(spill_->blob_files().write(blob));
    if (!stored) {
      return tl::unexpected(stored.error());
    }
    if (!stored->has_value()) {
      return {};
    }
  }
  inline_.clear();
  inline_bytes_ = 0;
  return {};
}

}  // namespace ripple::cache
