// The go rule end to end (docs/inference.md): a real git repository with no ripple.yaml, only Go
// modules. `affected` finds the modules (go.work's, or every go.mod), names them, and follows
// their requires and local replaces; `graph --explain` points at the go.mod lines.

#include <catch2/catch.hpp>

#include "tests/support/git_repo.h"

using ripple::testing::GitRepo;

namespace {

// money (a library) ← pay (requires it) and ← ship (requires it through a local replace, and an
// external module).
void write_go_workspace(const GitRepo& repo, bool with_go_work) {
  if (with_go_work) {
    repo.write("go.work", R"(go 1.22

use (
	./libs/money
	./services/pay
	./services/ship // shipping
)
)");
  }
  repo.write("libs/money/go.mod", "module example.com/shop/money\n\ngo 1.22\n");
  repo.write("libs/money/money.go", "package money\n\ntype Cents int64\n");
  repo.write("services/pay/go.mod", R"(module example.com/shop/pay

go 1.22

require example.com/shop/money v0.0.0
)");
  repo.write("services/pay/main.go", "package main\n\nfunc main() {}\n");
  repo.write("services/ship/go.mod", R"(module example.com/shop/ship

go 1.22

require (
	example.com/shop/money v0.0.0
	github.com/google/uuid v1.6.0
)

replace example.com/shop/money => ../../libs/money
)");
  repo.write("services/ship/main.go", "package main\n\nfunc main() {}\n");
  repo.write(".gitignore", ".ripple/\n");
}

std::string affected(const GitRepo& repo, const std::string& args = "") {
  auto r = repo.ripple("affected --base main " + args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("inference go: a library module's change affects it and the modules that use it") {
  GitRepo repo;
  write_go_workspace(repo, true);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("libs/money/money.go", "package money\n\ntype Cents int32\n");
  repo.commit("change money");
  CHECK(affected(repo) == "money\npay\nship\n");
  CHECK(affected(repo, "--explain") ==
        "money: changed (libs/money/money.go)\n"
        "pay: dependency \u2192 money (libs/money/money.go changed)\n"
        "ship: dependency \u2192 money (libs/money/money.go changed)\n");
}

TEST_CASE("inference go: a require edit in one go.mod affects that module and its dependents") {
  GitRepo repo;
  write_go_workspace(repo, true);
  repo.commit("base");
  repo.git("checkout -q -b feature");
  repo.write("services/ship/go.mod", R"(module example.com/shop/ship

go 1.22

require (
	example.com/shop/money v0.0.0
	github.com/google/uuid v1.6.1
)

replace example.com/shop/money => ../../libs/money
)");
  repo.commit("bump uuid in ship");
  CHECK(affected(repo) == "ship\n");

  repo.write("libs/money/go.mod",
             "module example.com/shop/money\n\ngo 1.22\n\n"
             "require golang.org/x/text v0.14.0\n");
  repo.commit("money requires x/text");
  CHECK(affected(repo) == "money\npay\nship\n");
}

TEST_CASE("inference go: graph --explain shows each module and edge with its go.mod line") {
  GitRepo repo;
  write_go_workspace(repo, true);
  repo.commit("base");
  auto r = repo.ripple("graph --explain");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        "money  libs/money  (libs/money/go.mod:1:8)\n"
        "pay  services/pay  (services/pay/go.mod:1:8)\n"
        "  -> money  (services/pay/go.mod:5:9)\n"
        "ship  services/ship  (services/ship/go.mod:1:8)\n"
        "  -> money  (services/ship/go.mod:6:2)\n");
}

TEST_CASE(
    "inference go: without a go.work every go.mod is a module, not those in vendor or testdata") {
  GitRepo repo;
  write_go_workspace(repo, false);
  // ship reaches money only through its replace now.
  repo.write("services/ship/go.mod", R"(module example.com/shop/ship

go 1.22

replace example.com/shop/money v0.0.0 => ../../libs/money
)");
  repo.write("services/pay/vendor/example.com/x/go.mod", "module example.com/x\n");
  repo.write("services/pay/testdata/mod/go.mod", "module example.com/pay/testdata\n");
  repo.write(".tools/go.mod", "module example.com/tools\n");
  repo.commit("base");
  auto graph = repo.ripple("graph --explain");
  INFO(graph.err);
  REQUIRE(graph.exit_code == 0);
  CHECK(graph.out ==
        "money  libs/money  (libs/money/go.mod:1:8)\n"
        "pay  services/pay  (services/pay/go.mod:1:8)\n"
        "  -> money  (services/pay/go.mod:5:9)\n"
        "ship  services/ship  (services/ship/go.mod:1:8)\n"
        "  -> money  (services/ship/go.mod:5:42)\n");
  repo.git("checkout -q -b feature");
  repo.write("libs/money/money.go", "package money\n\ntype Cents int32\n");
  repo.commit("change money");
  CHECK(affected(repo) == "money\npay\nship\n");
}

TEST_CASE("inference go: a go.mod that does not parse is exit 2 naming file:line:col") {
  GitRepo repo;
  write_go_workspace(repo, true);
  repo.write("services/pay/go.mod",
             "module example.com/shop/pay\n\nrequire (\n"
             "\texample.com/shop/money v0.0.0\n");
  repo.commit("base");
  auto r = repo.ripple("graph");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("services/pay/go.mod:3:9: the 'require (' block is never "
                                    "closed with ')'"));
  // Leaving the go rule out leaves go.mod files alone.
  repo.write("ripple.yaml", "version: 1\ndiscover: [compose, node]\n");
  repo.commit("no go rule");
  auto off = repo.ripple("graph");
  INFO(off.err);
  CHECK(off.exit_code == 0);
}
