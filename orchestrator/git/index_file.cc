#include "orchestrator/git/index_file.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

namespace ripple::git {

struct IndexFile::Storage {
  void* map = MAP_FAILED;
  std::size_t size = 0;
  std::vector<std::string> v4_paths;  // version 4 paths are prefix-compressed on disk
  Storage() = default;
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  ~Storage() {
    if (map != MAP_FAILED) {
      munmap(map, size);
    }
  }
};

namespace {

constexpr std::size_t kHeaderSize = 12;
constexpr std::size_t kHashSize = 20;
constexpr std::uint16_t kNameMask = 0x0fff;

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

std::uint16_t be16(const unsigned char* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

// Git's "offset" varint of index v4: big-endian groups of 7 bits, each continuation adding one.
bool read_varint(const unsigned char*& p, const unsigned char* end, std::size_t& out) {
  if (p >= end) {
    return false;
  }
  unsigned char c = *p++;
  std::size_t value = c & 127;
  while ((c & 128) != 0) {
    if (p >= end || value > (SIZE_MAX >> 8)) {
      return false;
    }
    c = *p++;
    value = ((value + 1) << 7) | (c & 127);
  }
  out = value;
  return true;
}

bool checksum_matches(const unsigned char* data, std::size_t size, const unsigned char* expected) {
  static const unsigned char kZero[kHashSize] = {};
  if (std::memcmp(expected, kZero, kHashSize) == 0) {
    return true;  // index.skipHash: git wrote no checksum
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  return EVP_Digest(data, size, digest, &len, EVP_sha1(), nullptr) == 1 && len == kHashSize &&
         std::memcmp(digest, expected, kHashSize) == 0;
}

// Parses an ASCII decimal (possibly negative) up to `stop`.
bool read_number(const unsigned char*& p, const unsigned char* end, char stop, std::int64_t& out) {
  bool negative = p < end && *p == '-';
  if (negative) {
    ++p;
  }
  const unsigned char* start = p;
  std::int64_t value = 0;
  while (p < end && *p >= '0' && *p <= '9' && value < (std::int64_t{1} << 40)) {
    value = value * 10 + (*p - '0');
    ++p;
  }
  if (p == start || p >= end || *p != stop) {
    return false;
  }
  ++p;
  out = negative ? -value : value;
  return true;
}

// One cache-tree node and, recursively, its subtrees.
bool read_tree_node(const unsigned char*& p, const unsigned char* end, const std::string& parent,
                    int depth, std::vector<CachedTree>& out) {
  const void* nul = std::memchr(p, 0, static_cast<std::size_t>(end - p));
  if (nul == nullptr || depth > 4096) {
    return false;
  }
  std::string_view name(reinterpret_cast<const char*>(p),
                        static_cast<const unsigned char*>(nul) - p);
  p = static_cast<const unsigned char*>(nul) + 1;
  std::string path = parent.empty() ? std::string(name) : parent + "/" + std::string(name);
  std::int64_t count = 0;
  std::int64_t subtrees = 0;
  if (!read_number(p, end, ' ', count) || !read_number(p, end, '\n', subtrees) || subtrees < 0) {
    return false;
  }
  if (count >= 0) {
    if (end - p < static_cast<std::ptrdiff_t>(kHashSize)) {
      return false;
    }
    CachedTree node;
    node.path = path;
    node.entry_count = static_cast<std::int32_t>(count);
    std::memcpy(node.id.id, p, kHashSize);
    p += kHashSize;
    out.push_back(std::move(node));
  }
  for (std::int64_t i = 0; i < subtrees; ++i) {
    if (!read_tree_node(p, end, path, depth + 1, out)) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<IndexFile> read_index_file(const std::string& path, bool verify_checksum) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::nullopt;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(kHeaderSize + kHashSize)) {
    close(fd);
    return std::nullopt;
  }
  auto storage = std::make_shared<IndexFile::Storage>();
  storage->size = static_cast<std::size_t>(st.st_size);
  storage->map = mmap(nullptr, storage->size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  close(fd);
  if (storage->map == MAP_FAILED) {
    return std::nullopt;
  }
  const auto* base = static_cast<const unsigned char*>(storage->map);
  const unsigned char* end = base + storage->size - kHashSize;
  if (std::memcmp(base, "DIRC", 4) != 0 ||
      (verify_checksum && !checksum_matches(base, storage->size - kHashSize, end))) {
    return std::nullopt;
  }
  const std::uint32_t version = be32(base + 4);
  const std::uint32_t count = be32(base + 8);
  if (version < 2 || version > 4 || count > storage->size / kIndexRecordSize) {
    return std::nullopt;
  }

  IndexFile out;
  out.mtime = st.st_mtim;
  out.entries.resize(count);
  if (version == 4) {
    storage->v4_paths.resize(count);
  }
  const unsigned char* p = base + kHeaderSize;
  std::string_view previous;
  for (std::uint32_t i = 0; i < count; ++i) {
    const unsigned char* start = p;
    if (end - p < static_cast<std::ptrdiff_t>(kIndexRecordSize)) {
      return std::nullopt;
    }
    IndexEntry& e = out.entries[i];
    e.record = p;
    const std::uint16_t flags = be16(p + 60);
    p += kIndexRecordSize;
    if ((flags & kIndexExtendedFlag) != 0) {
      if (version < 3 || end - p < 2) {
        return std::nullopt;
      }
      p += 2;
    }
    if (version == 4) {
      std::size_t strip = 0;
      if (!read_varint(p, end, strip) || strip > previous.size()) {
        return std::nullopt;
      }
      const void* nul = std::memchr(p, 0, static_cast<std::size_t>(end - p));
      if (nul == nullptr) {
        return std::nullopt;
      }
      std::string& full = storage->v4_paths[i];
      std::size_t suffix = static_cast<const unsigned char*>(nul) - p;
      full.reserve(previous.size() - strip + suffix);
      full.assign(previous.substr(0, previous.size() - strip));
      full.append(reinterpret_cast<const char*>(p), suffix);
      p = static_cast<const unsigned char*>(nul) + 1;
      e.path = full;
      previous = e.path;
      continue;
    }
    std::size_t len = flags & kNameMask;
    if (len == kNameMask) {
      const void* nul = std::memchr(p, 0, static_cast<std::size_t>(end - p));
      if (nul == nullptr) {
        return std::nullopt;
      }
      len = static_cast<const unsigned char*>(nul) - p;
    }
    if (static_cast<std::size_t>(end - p) < len + 1 || p[len] != 0) {
      return std::nullopt;
    }
    e.path = std::string_view(reinterpret_cast<const char*>(p), len);
    // Versions 2 and 3 pad each entry with 1-8 NULs to a multiple of 8 bytes.
    std::size_t entry_size = ((static_cast<std::size_t>(p - start) + len + 8) / 8) * 8;
    p = start + entry_size;
    if (p > end) {
      return std::nullopt;
    }
  }

  // Extensions: an upper-case first letter marks an optional one, which may be skipped; any other
  // (split index, sparse index, ...) changes what the entries mean, so libgit2 must read the file.
  while (p < end) {
    if (end - p < 8) {
      return std::nullopt;
    }
    const unsigned char* sig = p;
    std::uint32_t size = be32(p + 4);
    p += 8;
    if (static_cast<std::size_t>(end - p) < size) {
      return std::nullopt;
    }
    if (std::memcmp(sig, "TREE", 4) == 0) {
      const unsigned char* q = p;
      const unsigned char* tree_end = p + size;
      if (size > 0 && !read_tree_node(q, tree_end, "", 0, out.trees)) {
        out.trees.clear();  // unreadable cache tree: trees are computed instead
      }
    } else if (sig[0] < 'A' || sig[0] > 'Z') {
      return std::nullopt;
    }
    p += size;
  }
  out.storage = std::move(storage);
  return out;
}

}  // namespace ripple::git
