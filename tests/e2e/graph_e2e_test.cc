// Drives the built ripple binary on the bundled example monorepo.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/process.h"

using namespace ripple::testing;

namespace {

const std::string kRipple = RIPPLE_BINARY;
const std::string kShop = std::string(RIPPLE_SOURCE_DIR) + "/examples/shop";

}  // namespace

TEST_CASE("graph on the example prints every service after its dependencies") {
  auto r = run_shell(shell_quote(kRipple) + " graph", kShop);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out ==
        "go-common\n"
        "proto\n"
        "catalog: go-common, proto\n"
        "notifications: proto\n"
        "payments: go-common, proto\n"
        "checkout: catalog, go-common, payments, proto\n"
        "gateway: catalog, checkout, go-common\n"
        "web: gateway\n");
}

TEST_CASE("graph --format json on the example is valid and complete") {
  auto r = run_shell(shell_quote(kRipple) + " graph --format json", kShop);
  REQUIRE(r.exit_code == 0);
  auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["services"].size() == 8);
  CHECK(doc["services"][7]["name"] == "web");
  CHECK(doc["services"][7]["dir"] == "services/web");
  CHECK(doc["services"][7]["image"]["name"] == "web");
  CHECK(doc["services"][7]["tasks"].contains("e2e"));
  CHECK(doc["services"][1]["dependents"] ==
        nlohmann::json::array({"catalog", "checkout", "notifications", "payments"}));
}

TEST_CASE("graph --format dot renders with Graphviz") {
  auto r = run_shell(shell_quote(kRipple) + " graph --format dot | dot -Tsvg", kShop);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("<svg"));
  CHECK_THAT(r.out, Catch::Contains("checkout"));
}

TEST_CASE(
    "the -C option runs as if started in another directory, also from deep inside the workspace") {
  auto r =
      run_shell(shell_quote(kRipple) + " -C " + shell_quote(kShop + "/services/web") + " graph");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("go-common\n"));
}

TEST_CASE("the version and help flags succeed") {
  auto v = run_shell(shell_quote(kRipple) + " --version");
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::StartsWith("ripple "));
  auto h = run_shell(shell_quote(kRipple) + " --help");
  CHECK(h.exit_code == 0);
  CHECK_THAT(h.out, Catch::Contains("graph"));
  auto gh = run_shell(shell_quote(kRipple) + " graph --help");
  CHECK(gh.exit_code == 0);
  CHECK_THAT(gh.out, Catch::Contains("--format"));
}

TEST_CASE("bad usage exits 2") {
  CHECK(run_shell(shell_quote(kRipple) + " graph --format svg", kShop).exit_code == 2);
  CHECK(run_shell(shell_quote(kRipple) + " frobnicate", kShop).exit_code == 2);
  CHECK(run_shell(shell_quote(kRipple), kShop).exit_code == 2);
  CHECK(run_shell(shell_quote(kRipple) + " -C /does/not/exist graph").exit_code == 2);
}

TEST_CASE("a mistyped command is named, with a suggestion") {
  auto r = run_shell(shell_quote(kRipple) + " grahp", kShop);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("ripple: error: unknown command 'grahp' (did you mean "
                                      "'graph'?)"));
}

TEST_CASE("the -C option may also follow the command") {
  auto r = run_shell(shell_quote(kRipple) + " graph -C " + shell_quote(kShop));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("go-common\n"));
}

TEST_CASE("a workspace reached through symlinks loads, a service behind one is its target") {
  TempDir d;
  d.write("real/ripple.yaml", "services: [s/*]\n");
  d.write("real/s/a/service.yaml", "");
  d.write("real/apps/b/service.yaml", "");
  auto r = run_shell("ln -s real link && ln -s ../apps/b real/s/b && " + shell_quote(kRipple) +
                         " -C link graph --format json",
                     d.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["services"].size() == 2);
  CHECK(doc["services"][1]["name"] == "b");
  CHECK(doc["services"][1]["dir"] == "apps/b");  // where git tracks its files
}

TEST_CASE("a service directory linked from outside the workspace is refused, naming the link") {
  TempDir d;
  d.write("real/ripple.yaml", "services: [s/*]\n");
  d.write("real/s/a/service.yaml", "");
  d.write("elsewhere/b/service.yaml", "");
  auto r = run_shell("ln -s ../../elsewhere/b real/s/b && " + shell_quote(kRipple) +
                         " -C real graph",
                     d.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("ripple.yaml:1:12: services entry 's/*' reaches s/b through a "
                                    "symbolic link to "));
  CHECK_THAT(r.err, Catch::Contains("outside the workspace: ripple could never see its changes"));
}
