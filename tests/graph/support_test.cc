#include <catch2/catch.hpp>

#include "graph/support/error.h"
#include "graph/support/repo_path.h"
#include "graph/support/text.h"

using namespace ripple;

TEST_CASE("repo paths are normalised and may not leave the workspace") {
  CHECK(RepoPath::parse("a//b/./c/")->str() == "a/b/c");
  CHECK(RepoPath::parse("a/../b")->str() == "b");
  CHECK(RepoPath::parse(".")->is_root());
  CHECK_FALSE(RepoPath::parse("../x").has_value());
  CHECK_FALSE(RepoPath::parse("/etc/passwd").has_value());
}

TEST_CASE("a directory contains its descendants but not its siblings with a shared prefix") {
  RepoPath dir = *RepoPath::parse("services/web");
  CHECK(dir.contains(*RepoPath::parse("services/web/src/a.js")));
  CHECK(dir.contains(dir));
  CHECK_FALSE(dir.contains(*RepoPath::parse("services/webhooks/a.js")));
  CHECK(RepoPath().contains(dir));
  CHECK(dir.relative(*RepoPath::parse("services/web/src/a.js")) == "src/a.js");
  CHECK(dir.parent().str() == "services");
  CHECK(dir.name() == "web");
}

TEST_CASE("did you mean suggests only close names") {
  std::vector<std::string> names = {"payments", "proto", "checkout"};
  CHECK(did_you_mean("paymnets", names) == " (did you mean 'payments'?)");
  CHECK(did_you_mean("zzz", names).empty());
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("rnu", "run") == 1);
}

TEST_CASE("positions format as file:line:col") {
  CHECK(at(SourcePos{"ripple.yaml", 14, 5}, "boom") == "ripple.yaml:14:5: boom");
  CHECK(at(SourcePos{"ripple.yaml", 0, 0}, "boom") == "ripple.yaml: boom");
  CHECK(exit_code_for(ErrorKind::input) == 2);
  CHECK(exit_code_for(ErrorKind::environment) == 3);
}

TEST_CASE("did you mean never proposes replacing a whole one-letter name") {
  std::vector<std::string> names = {"a", "b"};
  CHECK(did_you_mean("c", names).empty());
}
