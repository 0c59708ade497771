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
