// Drives the built ripple binary on a copy of the bundled example monorepo (ripple writes its
// state under .ripple/ in the workspace: never into the source tree).

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

// examples/shop copied into a temporary directory (no git repository).
class Shop {
 public:
  Shop() {
    auto r = run_shell("cp -r " + shell_quote(std::string(RIPPLE_SOURCE_DIR) + "/examples/shop") +
                           " shop && rm -rf shop/.ripple",
                       dir_.path());
    if (r.exit_code != 0) {
      FAIL("cannot copy examples/shop: " << r.err);
    }
  }
  std::string path() const { return dir_.path() + "/shop"; }

 private:
  TempDir dir_;
};

CommandResult ripple_in(const std::string& dir, const std::string& args) {
  return run_ripple(args, dir);
}

}  // namespace

TEST_CASE("graph runs on a copy of the example, never in the source tree") {
  const std::string source_state = std::string(RIPPLE_SOURCE_DIR) + "/examples/shop/.ripple";
  struct stat st;
  bool existed = stat(source_state.c_str(), &st) == 0;
  Shop shop;
  REQUIRE(ripple_in(shop.path(), "graph").exit_code == 0);
  CHECK(stat((shop.path() + "/.ripple/state").c_str(), &st) == 0);
  if (!existed) {
    CHECK(stat(source_state.c_str(), &st) != 0);
  }
}

TEST_CASE("graph on the example prints every service after its dependencies") {
  Shop shop;
  auto r = ripple_in(shop.path(), "graph");
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
  Shop shop;
  auto r = ripple_in(shop.path(), "graph --format json");
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
  Shop shop;
  auto dot = ripple_in(shop.path(), "graph --format dot");
  REQUIRE(dot.exit_code == 0);
  auto r = run_shell(ripple_command_line("graph --format dot") + " | dot -Tsvg", shop.path());
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("<svg"));
  CHECK_THAT(r.out, Catch::Contains("checkout"));
}

TEST_CASE(
    "the -C option runs as if started in another directory, also from deep inside the workspace") {
  Shop shop;
  auto r = run_ripple("-C " + shell_quote(shop.path() + "/services/web") + " graph", "/");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("go-common\n"));
}

TEST_CASE("the version and help flags succeed") {
  auto v = run_ripple("--version", "/");
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::StartsWith("ripple "));
  auto h = run_ripple("--help", "/");
  CHECK(h.exit_code == 0);
  CHECK_THAT(h.out, Catch::Contains("graph"));
  auto gh = run_ripple("graph --help", "/");
  CHECK(gh.exit_code == 0);
  CHECK_THAT(gh.out, Catch::Contains("--format"));
}

TEST_CASE("bad usage exits 2") {
  Shop shop;
  CHECK(ripple_in(shop.path(), "graph --format svg").exit_code == 2);
  CHECK(ripple_in(shop.path(), "frobnicate").exit_code == 2);
  CHECK(ripple_in(shop.path(), "").exit_code == 2);
  CHECK(run_ripple("-C /does/not/exist graph", "/").exit_code == 2);
}

TEST_CASE("a mistyped command is named, with a suggestion") {
  Shop shop;
  auto r = ripple_in(shop.path(), "grahp");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("ripple: error: unknown command 'grahp' (did you mean "
                                      "'graph'?)"));
}

TEST_CASE("the -C option may also follow the command") {
  Shop shop;
  auto r = run_ripple("graph -C " + shell_quote(shop.path()), "/");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("go-common\n"));
}

TEST_CASE("a workspace reached through symlinks loads, a service behind one is its target") {
  TempDir d;
  d.write("real/ripple.yaml", "services: [s/*]\n");
  d.write("real/s/a/service.yaml", "");
  d.write("real/apps/b/service.yaml", "");
  auto r = run_shell("ln -s real link && ln -s ../apps/b real/s/b && " +
                         ripple_command_line("-C link graph --format json"),
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
  auto r = run_shell("ln -s ../../elsewhere/b real/s/b && " + ripple_command_line("-C real graph"),
                     d.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("ripple.yaml:1:12: services entry 's/*' reaches s/b through a "
                                    "symbolic link to "));
  CHECK_THAT(r.err, Catch::Contains("outside the workspace: ripple could never see its changes"));
}
