#include "rules/discovery.h"

#include <catch2/catch.hpp>

#include "graph/config_parser.h"

using namespace ripple;

TEST_CASE("every rule is enabled when discover is absent") {
  auto config = graph::parse_root_config("version: 1\n", "ripple.yaml");
  REQUIRE(config.has_value());
  CHECK(*rules::enabled_rules(*config) == rules::known_rules());
}

TEST_CASE("an unknown discovery rule is an error with a suggestion") {
  auto config = graph::parse_root_config("discover: [node, dockerfle]\n", "ripple.yaml");
  REQUIRE(config.has_value());
  auto r = rules::enabled_rules(*config);
  REQUIRE_FALSE(r.has_value());
  CHECK_THAT(r.error().message,
             Catch::StartsWith("ripple.yaml:1:18: unknown discovery rule 'dockerfle' (did you mean "
                               "'dockerfile'?)"));
}
