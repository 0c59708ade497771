#pragma once

// Content digests for inputs: xxh3-128, the fast non-cryptographic hash of DESIGN.md §4.
// This module is the only code that includes <xxhash.h>, and the one home of SHA-256.
//
// DigestBuilder frames every field with a tag and a length so that no two different field lists
// can produce the same byte stream ("ab"+"c" differs from "a"+"bc"); callers add fields in a
// sorted, deterministic order and start with a format version.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace ripple::cache {

struct Digest128 {
  std::array<std::uint8_t, 16> bytes{};

  // 32 lowercase hex characters, most significant byte first.
  std::string hex() const;

  friend bool operator==(const Digest128&, const Digest128&) = default;
  friend auto operator<=>(const Digest128&, const Digest128&) = default;
};

// SHA-256 of `bytes` as 64 lowercase hex characters (OpenSSL): task keys and blob digests.
std::string sha256_hex(std::string_view bytes);

// One-shot xxh3-128 of a buffer.
Digest128 xxh3_128(std::string_view bytes);

// Streaming xxh3-128 of raw bytes (a file's content fed in chunks). Not thread-safe.
class Xxh3Stream {
 public:
  Xxh3Stream();
  ~Xxh3Stream();
  Xxh3Stream(const Xxh3Stream&) = delete;
  Xxh3Stream& operator=(const Xxh3Stream&) = delete;
  void update(const void* data, std::size_t size);
  Digest128 finish() const;

 private:
  void* state_;
};

// Streaming, framed digest. Not thread-safe; one per thread.
class DigestBuilder {
 public:
  DigestBuilder();
  ~DigestBuilder();
  DigestBuilder(const DigestBuilder&) = delete;
  DigestBuilder& operator=(const DigestBuilder&) = delete;

  // Appends `tag`, the field's length, then its bytes.
  DigestBuilder& field(char tag, std::string_view value);
  DigestBuilder& field(char tag, std::uint64_t value);

  // The digest of everything added so far; the builder may keep being used.
  Digest128 finish() const;

 private:
  void update(const void* data, std::size_t size);
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ripple::cache
