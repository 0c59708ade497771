#include "graph/glob.h"

#include <catch2/catch.hpp>

using namespace ripple::graph;

TEST_CASE("a star stays within one path segment") {
  CHECK(glob::match("services/*", "services/web"));
  CHECK_FALSE(glob::match("services/*", "services/web/api"));
  CHECK(glob::match("*.md", "README.md"));
  CHECK_FALSE(glob::match("*.md", "docs/README.md"));
}

TEST_CASE("a double star spans any number of segments, including none") {
  CHECK(glob::match("**/*.md", "README.md"));
  CHECK(glob::match("**/*.md", "a/b/c/README.md"));
  CHECK(glob::match("docs/**", "docs/a/b"));
  CHECK(glob::match("docs/**", "docs"));
  CHECK(glob::match("a/**/z", "a/z"));
  CHECK(glob::match("a/**/z", "a/b/c/z"));
  CHECK_FALSE(glob::match("a/**/z", "a/b/c/y"));
  CHECK(glob::match("**", "anything/at/all"));
}

TEST_CASE("question marks and character classes match one character") {
  CHECK(glob::match("lib?", "libs"));
  CHECK_FALSE(glob::match("lib?", "lib"));
  CHECK(glob::match("v[0-9]", "v7"));
  CHECK_FALSE(glob::match("v[0-9]", "vx"));
  CHECK(glob::match("[!_]*", "main.go"));
  CHECK_FALSE(glob::match("[!_]*", "_test.go"));
}

TEST_CASE("an unclosed bracket is reported by validate") {
  CHECK_FALSE(glob::validate("src/[abc").has_value());
  CHECK_FALSE(glob::validate("").has_value());
  CHECK(glob::validate("src/[abc]/**").has_value());
}

TEST_CASE("may_match_below prunes directories no match can lie under") {
  CHECK(glob::may_match_below("services/*/src/**", "services"));
  CHECK(glob::may_match_below("services/*/src/**", "services/web"));
  CHECK_FALSE(glob::may_match_below("services/*/src/**", "libs"));
  CHECK(glob::may_match_below("**/*.md", "deep/down"));
}

TEST_CASE("an escaped bracket is a literal character") {
  CHECK(glob::validate("docs/\\[draft.md").has_value());
  CHECK(glob::match("docs/\\[draft.md", "docs/[draft.md"));
}

TEST_CASE("a directory followed by ** matches the directory and everything below, nothing beside") {
  CHECK(glob::match("packages/svc-1/**", "packages/svc-1/src/index.js"));
  CHECK(glob::match("packages/svc-1/**", "packages/svc-1/.hidden"));
  CHECK(glob::match("packages/svc-1/**", "packages/svc-1"));
  CHECK_FALSE(glob::match("packages/svc-1/**", "packages/svc-10/index.js"));
  CHECK_FALSE(glob::match("packages/svc-1/**", "packages/svc-"));
  CHECK_FALSE(glob::match("packages/svc-1/**", "packages"));
  CHECK_FALSE(glob::match("packages/svc-1/**", "other/packages/svc-1/x"));
  CHECK(glob::match("dist/**", "dist/a/b.js"));
  CHECK_FALSE(glob::match("dist/**", "src/dist/a.js"));
  // Wildcards and escapes before the ** still mean what they mean.
  CHECK(glob::match("pack*/svc-?/**", "packages/svc-1/x"));
  CHECK_FALSE(glob::match("pack*/svc-?/**", "packages/svc-10/x"));
  CHECK(glob::match("a\\*b/**", "a*b/x"));
  CHECK_FALSE(glob::match("a\\*b/**", "axb/x"));
  CHECK(glob::match("[ab]/**", "b/x"));
  CHECK(glob::match("**/**", "x/y"));
  CHECK(glob::match("/**", ""));
  CHECK_FALSE(glob::match("/**", "a"));
}
