// .dockerignore files as BuildKit reads them, and their translation into input patterns: the
// expected answers are Docker's (anchored at the context, a matched directory excludes what is
// under it, `!` exceptions, the last match deciding), checked through graph::InputPatterns.

#include "rules/dockerignore.h"

#include <catch2/catch.hpp>

#include "graph/input_matcher.h"

using namespace ripple;
using namespace ripple::rules;

namespace {

// Whether the workspace path is sent to the build of context `context`, per `ignore_text`.
bool sent(const std::string& ignore_text, const std::string& context, const std::string& path) {
  std::vector<std::string> inputs{context.empty() ? "**" : context + "/**"};
  for (std::string& p : dockerignore_inputs(dockerignore_patterns(ignore_text), context)) {
    inputs.push_back(std::move(p));
  }
  return graph::InputPatterns(RepoPath(), inputs).matches(path);
}

}  // namespace

TEST_CASE("dockerignore: comments, blank lines, trimming, cleaning and a leading slash") {
  const auto patterns = dockerignore_patterns(
      "\xEF\xBB\xBF# comment\n\n  tmp  \r\n/secret\n./build/\n"
      "! keep\n../outside\n.\na/../b\n #not a comment\n");
  std::vector<std::string> globs;
  std::vector<bool> exceptions;
  for (const auto& p : patterns) {
    globs.push_back(p.glob);
    exceptions.push_back(p.exception);
  }
  CHECK(globs == std::vector<std::string>{"tmp", "secret", "build", "keep", "b", "#not a comment"});
  CHECK(exceptions == std::vector<bool>{false, false, false, true, false, false});
  CHECK(patterns[1].line == 4);
}

TEST_CASE("dockerignore: patterns are anchored at the context, not matched at any depth") {
  const std::string ignore = "*.md\nnode_modules\n";
  CHECK_FALSE(sent(ignore, "app", "app/NOTES.md"));
  CHECK(sent(ignore, "app", "app/sub/NOTES.md"));
  CHECK_FALSE(sent(ignore, "app", "app/node_modules/x/index.js"));
  CHECK(sent(ignore, "app", "app/lib/node_modules/y.js"));
  CHECK(sent(ignore, "app", "app/main.go"));
  CHECK_FALSE(sent(ignore, "app", "NOTES.md"));  // outside the context: never an input
  // At the workspace root, the same patterns are anchored there.
  CHECK_FALSE(sent(ignore, "", "NOTES.md"));
  CHECK(sent(ignore, "", "app/NOTES.md"));
}

TEST_CASE("dockerignore: a matched directory excludes what is under it, a double star any depth") {
  const std::string ignore = "/secret\n./build/\n**/*.log\ndocs/**\ntmp\n";
  CHECK_FALSE(sent(ignore, "app", "app/secret"));
  CHECK_FALSE(sent(ignore, "app", "app/secret/key.pem"));
  CHECK_FALSE(sent(ignore, "app", "app/build/out/a.o"));
  CHECK_FALSE(sent(ignore, "app", "app/a.log"));
  CHECK_FALSE(sent(ignore, "app", "app/x/y/b.log"));
  CHECK_FALSE(sent(ignore, "app", "app/docs/a/b.txt"));
  CHECK(sent(ignore, "app", "app/docs"));  // "docs/**" is what is under docs, not a file docs
  CHECK_FALSE(sent(ignore, "app", "app/tmp/x"));
  CHECK(sent(ignore, "app", "app/secrets.txt"));
  CHECK_FALSE(sent("**\n", "app", "app/anything/at/all"));
  CHECK_FALSE(sent("*/*.txt\n", "app", "app/a/b.txt"));
  CHECK(sent("*/*.txt\n", "app", "app/b.txt"));
  CHECK_FALSE(sent("a/**/z\n", "app", "app/a/z"));
  CHECK_FALSE(sent("a/**/z\n", "app", "app/a/b/c/z/file"));
  CHECK_FALSE(sent("f?o.[a-c]\n", "app", "app/fxo.b"));
  CHECK(sent("f?o.[a-c]\n", "app", "app/fxo.d"));
}

TEST_CASE("dockerignore: ! re-includes, and the last pattern that matches decides") {
  CHECK(sent("*.md\n!README.md\n", "app", "app/README.md"));
  CHECK_FALSE(sent("*.md\n!README.md\n", "app", "app/CHANGES.md"));
  CHECK_FALSE(sent("*.md\n!README.md\n*.md\n", "app", "app/README.md"));
  // An exception inside an excluded directory, and an exclusion inside the exception.
  const std::string nested = "secret\n!secret/public\nsecret/public/*.key\n";
  CHECK_FALSE(sent(nested, "app", "app/secret/private/x"));
  CHECK(sent(nested, "app", "app/secret/public/readme"));
  CHECK(sent(nested, "app", "app/secret/public/sub/readme"));
  CHECK_FALSE(sent(nested, "app", "app/secret/public/a.key"));
  // Everything out, one directory back in.
  CHECK(sent("*\n!src\n", "app", "app/src/main.go"));
  CHECK_FALSE(sent("*\n!src\n", "app", "app/README"));
  // An exception outside the context adds nothing.
  CHECK_FALSE(sent("!x\n", "app", "x"));
}

TEST_CASE("dockerignore: <Dockerfile>.dockerignore first, then the context's .dockerignore") {
  CHECK(dockerignore_candidates("src/pay/Dockerfile", "") ==
        std::vector<std::string>{"src/pay/Dockerfile.dockerignore", ".dockerignore"});
  CHECK(dockerignore_candidates("app/build/Dockerfile.dev", "app") ==
        std::vector<std::string>{"app/build/Dockerfile.dev.dockerignore", "app/.dockerignore"});
}
