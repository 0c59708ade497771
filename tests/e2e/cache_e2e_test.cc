// `ripple cache` on a real workspace and a real RocksDB.

#include <catch2/catch.hpp>

#include "orchestrator/commands/cache_command.h"
#include "tests/support/process.h"

using namespace ripple::testing;

namespace {

const std::string kRipple = RIPPLE_BINARY;

CommandResult ripple_in(const TempDir& d, const std::string& args) {
  return run_shell(shell_quote(kRipple) + " " + args, d.path());
}

}  // namespace

TEST_CASE("cache: stats, verify and clear work on a fresh cache under cache.dir") {
  TempDir d;
  d.write("ripple.yaml", "services: [s/*]\ncache: { dir: build-cache }\n");
  d.write("s/a/service.yaml", "");
  auto stats = ripple_in(d, "cache stats");
  REQUIRE(stats.exit_code == 0);
  CHECK_THAT(stats.out, Catch::Contains("entries: 0"));
  CHECK_THAT(stats.out, Catch::StartsWith("cache: " + d.path() + "/build-cache\n"));
  auto verify = ripple_in(d, "cache verify");
  CHECK(verify.exit_code == 0);
  CHECK_THAT(verify.err, Catch::Contains("clean"));
  CHECK(ripple_in(d, "cache clear").exit_code == 0);
}

TEST_CASE("cache: prune needs a size it can read") {
  TempDir d;
  d.write("ripple.yaml", "services: []\n");
  auto r = ripple_in(d, "cache prune --max-size lots");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--max-size 'lots' is not a size"));
  CHECK(ripple_in(d, "cache prune --max-size 1G").exit_code == 0);
}

TEST_CASE("cache: sizes read as powers of 1024 with an optional B or iB") {
  CHECK(ripple::parse_size("1048576") == 1048576u);
  CHECK(ripple::parse_size("500M") == 500ull << 20);
  CHECK(ripple::parse_size("2G") == 2ull << 30);
  CHECK(ripple::parse_size("2GiB") == 2ull << 30);
  CHECK(ripple::parse_size("3kb") == 3ull << 10);
  CHECK_FALSE(ripple::parse_size("M").has_value());
  CHECK_FALSE(ripple::parse_size("5X").has_value());
}
