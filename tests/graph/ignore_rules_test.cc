#include "graph/ignore_rules.h"

#include <catch2/catch.hpp>

using ripple::RepoPath;
using ripple::graph::IgnoreRules;

namespace {

RepoPath p(const char* text) { return *RepoPath::parse(text); }

bool file_ignored(const IgnoreRules& rules, const char* path) {
  return rules.ignored(p(path), false);
}
bool dir_ignored(const IgnoreRules& rules, const char* path) {
  return rules.ignored(p(path), true);
}

}  // namespace

TEST_CASE("ignore rules: no rules ignore nothing") {
  IgnoreRules rules;
  CHECK_FALSE(file_ignored(rules, "a.txt"));
  CHECK_FALSE(dir_ignored(rules, "build"));
}

TEST_CASE("ignore rules: a pattern without a slash matches at any depth") {
  IgnoreRules rules;
  rules.add(RepoPath(), "*.log\nbuild\n");
  CHECK(file_ignored(rules, "a.log"));
  CHECK(file_ignored(rules, "x/y/z.log"));
  CHECK(dir_ignored(rules, "build"));
  CHECK(dir_ignored(rules, "services/web/build"));
  CHECK(file_ignored(rules, "services/web/build"));  // not dir-only: files too
  CHECK_FALSE(file_ignored(rules, "a.log.txt"));
  CHECK_FALSE(file_ignored(rules, "builder"));
  CHECK_FALSE(file_ignored(rules, "log"));
}

TEST_CASE("ignore rules: a pattern with a slash is anchored at its file's directory") {
  IgnoreRules rules;
  rules.add(RepoPath(), "/top.txt\ndoc/*.txt\nsrc/**/gen\n");
  CHECK(file_ignored(rules, "top.txt"));
  CHECK_FALSE(file_ignored(rules, "sub/top.txt"));
  CHECK(file_ignored(rules, "doc/a.txt"));
  CHECK_FALSE(file_ignored(rules, "doc/sub/a.txt"));  // '*' stays within a segment
  CHECK_FALSE(file_ignored(rules, "x/doc/a.txt"));
  CHECK(dir_ignored(rules, "src/gen"));
  CHECK(dir_ignored(rules, "src/a/b/gen"));
  CHECK_FALSE(dir_ignored(rules, "lib/src/gen"));
}

TEST_CASE("ignore rules: a leading **/ matches in every directory") {
  IgnoreRules rules;
  rules.add(RepoPath(), "**/cache\n");
  CHECK(dir_ignored(rules, "cache"));
  CHECK(dir_ignored(rules, "a/b/cache"));
  CHECK_FALSE(dir_ignored(rules, "a/cached"));
}

TEST_CASE("ignore rules: ! re-includes, and the last matching rule wins") {
  IgnoreRules rules;
  rules.add(RepoPath(), "*.log\n!keep.log\n");
  CHECK(file_ignored(rules, "a.log"));
  CHECK_FALSE(file_ignored(rules, "keep.log"));
  CHECK_FALSE(file_ignored(rules, "deep/keep.log"));

  IgnoreRules order;
  order.add(RepoPath(), "!keep.log\n*.log\n");  // the negation comes first: no effect
  CHECK(file_ignored(order, "keep.log"));

  IgnoreRules again;
  again.add(RepoPath(), "*.log\n!*.log\n/x.log\n");
  CHECK_FALSE(file_ignored(again, "a.log"));
  CHECK(file_ignored(again, "x.log"));
  CHECK_FALSE(file_ignored(again, "d/x.log"));
}

TEST_CASE("ignore rules: the whitelist idiom keeps directories and chosen files") {
  IgnoreRules rules;
  rules.add(RepoPath(), "*\n!*/\n!*.c\n");
  CHECK_FALSE(dir_ignored(rules, "src"));
  CHECK_FALSE(file_ignored(rules, "src/main.c"));
  CHECK(file_ignored(rules, "src/main.o"));
  CHECK(file_ignored(rules, "README"));
}

TEST_CASE("ignore rules: a trailing slash matches directories only") {
  IgnoreRules rules;
  rules.add(RepoPath(), "out/\n/dist/\nlib/tmp/\n");
  CHECK(dir_ignored(rules, "out"));
  CHECK(dir_ignored(rules, "a/b/out"));
  CHECK_FALSE(file_ignored(rules, "out"));
  CHECK_FALSE(file_ignored(rules, "a/out"));
  CHECK(dir_ignored(rules, "dist"));
  CHECK_FALSE(dir_ignored(rules, "a/dist"));
  CHECK(dir_ignored(rules, "lib/tmp"));
  CHECK_FALSE(file_ignored(rules, "lib/tmp"));
  CHECK_FALSE(dir_ignored(rules, "x/lib/tmp"));  // a slash inside anchors it
}

TEST_CASE("ignore rules: a negated dir-only rule does not re-include a file") {
  IgnoreRules rules;
  rules.add(RepoPath(), "gen*\n!gen-keep/\n");
  CHECK_FALSE(dir_ignored(rules, "gen-keep"));
  CHECK(file_ignored(rules, "gen-keep"));
}

TEST_CASE("ignore rules: a nested file's rules apply below its directory only") {
  IgnoreRules rules;
  rules.add(RepoPath(), "*.log\n");
  rules.add(p("svc"), "*.tmp\n/local.txt\nbuild/\n!important.log\n");
  CHECK(file_ignored(rules, "svc/x.tmp"));
  CHECK(file_ignored(rules, "svc/deep/x.tmp"));
  CHECK_FALSE(file_ignored(rules, "x.tmp"));
  CHECK_FALSE(file_ignored(rules, "other/x.tmp"));
  CHECK_FALSE(file_ignored(rules, "svcx/x.tmp"));
  CHECK(file_ignored(rules, "svc/local.txt"));
  CHECK_FALSE(file_ignored(rules, "svc/deep/local.txt"));
  CHECK_FALSE(file_ignored(rules, "local.txt"));
  CHECK(dir_ignored(rules, "svc/build"));
  CHECK(dir_ignored(rules, "svc/a/build"));
  CHECK_FALSE(dir_ignored(rules, "build"));

  // A deeper file overrides its parent's rules, for its own directory only.
  CHECK(file_ignored(rules, "a.log"));
  CHECK(file_ignored(rules, "svc/a.log"));
  CHECK_FALSE(file_ignored(rules, "svc/important.log"));
  CHECK_FALSE(file_ignored(rules, "svc/deep/important.log"));
  CHECK(file_ignored(rules, "important.log"));
  CHECK(file_ignored(rules, "other/important.log"));

  // Two levels down.
  rules.add(p("svc/deep"), "important.log\n");
  CHECK(file_ignored(rules, "svc/deep/important.log"));
  CHECK_FALSE(file_ignored(rules, "svc/important.log"));
}

// Each case checked against `git check-ignore --no-index` with the same .gitignore.
TEST_CASE("ignore rules: comments, blank lines, trailing spaces and CRLF") {
  IgnoreRules rules;
  rules.add(RepoPath(), "# a comment\n\n   \n*.o  \r\nlib.a\t\r\n#*.c\n\\#hash\n\\!bang\n/\n!\n");
  CHECK(file_ignored(rules, "x.o"));
  CHECK_FALSE(file_ignored(rules, "lib.a"));  // git trims spaces only: the tab is in the name
  CHECK(file_ignored(rules, "lib.a\t"));
  CHECK_FALSE(file_ignored(rules, "x.c"));
  CHECK_FALSE(file_ignored(rules, "# a comment"));
  CHECK(file_ignored(rules, "#hash"));  // "\#" is a literal '#'
  CHECK(file_ignored(rules, "!bang"));  // "\!" is a literal '!'
  CHECK_FALSE(file_ignored(rules, "bang"));
  CHECK_FALSE(file_ignored(rules, "anything"));  // "/" and "!" alone mean nothing
  CHECK_FALSE(dir_ignored(rules, "anything"));
}

TEST_CASE("ignore rules: a text without a final newline keeps its last rule") {
  IgnoreRules rules;
  rules.add(RepoPath(), "a\nb");
  CHECK(file_ignored(rules, "a"));
  CHECK(file_ignored(rules, "b"));
}

TEST_CASE("ignore rules: wildcards and brackets") {
  IgnoreRules rules;
  rules.add(RepoPath(), "[Bb]uild/\nfile?.txt\n*.py[co]\n");
  CHECK(dir_ignored(rules, "Build"));
  CHECK(dir_ignored(rules, "x/build"));
  CHECK(file_ignored(rules, "file1.txt"));
  CHECK_FALSE(file_ignored(rules, "file10.txt"));
  CHECK(file_ignored(rules, "a/m.pyc"));
  CHECK_FALSE(file_ignored(rules, "m.py"));
}

// "foo/**" matches foo's contents, not foo itself (gitignore(5): "A trailing '/**' matches
// everything inside"), so `!foo/keep` can re-include a file there, as git does.
TEST_CASE("ignore rules: dir/** ignores the contents, not the directory") {
  IgnoreRules rules;
  rules.add(RepoPath(), "foo/**\n!foo/keep\n");
  CHECK(file_ignored(rules, "foo/other"));
  CHECK_FALSE(file_ignored(rules, "foo/keep"));
  CHECK_FALSE(dir_ignored(rules, "foo"));
}

// gitignore(5): "Trailing spaces are ignored unless they are quoted with backslash". Each case
// checked against `git check-ignore --no-index` with the same .gitignore.
TEST_CASE("ignore rules: a backslash keeps a trailing space") {
  IgnoreRules rules;
  rules.add(RepoPath(), "name\\ \n");
  CHECK(file_ignored(rules, "name "));
  CHECK_FALSE(file_ignored(rules, "name"));

  IgnoreRules more;  // an escaped space, then one more that goes; a space inside stays
  more.add(RepoPath(), "sp\\  \nx \\ \nin side\n");
  CHECK(file_ignored(more, "sp "));
  CHECK_FALSE(file_ignored(more, "sp  "));
  CHECK(file_ignored(more, "x  "));
  CHECK_FALSE(file_ignored(more, "x "));
  CHECK(file_ignored(more, "in side"));
}
