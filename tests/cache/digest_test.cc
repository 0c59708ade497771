#include "cache/digest.h"

#include <catch2/catch.hpp>

using namespace ripple::cache;

TEST_CASE("xxh3-128 of a known input matches the reference value") {
  // Reference: `xxhsum -H2` (XXH128) of the empty input and of "abc".
  CHECK(xxh3_128("").hex() == "99aa06d3014798d86001c324468d497f");
  CHECK(xxh3_128("abc").hex() == "06b05ab6733a618578af5f94892f3950");
}

TEST_CASE("framed fields cannot be confused by moving bytes across a boundary") {
  DigestBuilder a;
  a.field('p', "ab").field('p', "c");
  DigestBuilder b;
  b.field('p', "a").field('p', "bc");
  CHECK(a.finish() != b.finish());
}

TEST_CASE("the tag is part of the digest and the same fields give the same digest") {
  DigestBuilder a;
  a.field('p', "x").field('m', std::uint64_t{0100644});
  DigestBuilder b;
  b.field('q', "x").field('m', std::uint64_t{0100644});
  DigestBuilder c;
  c.field('p', "x").field('m', std::uint64_t{0100644});
  CHECK(a.finish() != b.finish());
  CHECK(a.finish() == c.finish());
}

TEST_CASE(
    "the digest is xxh3-128 of the framed stream, however many and however large the fields") {
  // The framing by hand: tag, 8-byte little-endian length, bytes.
  std::string stream;
  auto frame = [&](char tag, const std::string& value) {
    stream += tag;
    for (int i = 0; i < 8; ++i) {
      stream += static_cast<char>(static_cast<std::uint64_t>(value.size()) >> (8 * i));
    }
    stream += value;
  };
  DigestBuilder b;
  for (int i = 0; i < 3000; ++i) {
    // Small fields, and now and then one larger than any buffer the builder may keep.
    std::string value = i % 500 == 7 ? std::string(5000 + i, static_cast<char>('a' + i % 26))
                                     : "packages/svc-" + std::to_string(i) + "/src/index.js";
    b.field('p', value);
    frame('p', value);
    if (i % 1000 == 999) {
      // finish() part-way gives the digest so far, and the builder goes on.
      CHECK(b.finish() == xxh3_128(stream));
    }
  }
  b.field('m', std::uint64_t{0100644});
  std::string mode(8, '\0');
  for (int i = 0; i < 8; ++i) {
    mode[i] = static_cast<char>(std::uint64_t{0100644} >> (8 * i));
  }
  frame('m', mode);
  CHECK(b.finish() == xxh3_128(stream));
  CHECK(b.finish() == xxh3_128(stream));
}
