#include "graph/config_codec.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "graph/config_parser.h"

using namespace ripple;
using namespace ripple::graph;

namespace {

const char* kFull = R"(name: checkout
deps: [payments, proto]
inputs: ["**", "!**/*_test.go", "../proto/**"]
env: [GOFLAGS]
tasks:
  build: { run: "go build ./cmd", outputs: ["dist/**"], deps: ["^build"], timeout: 30 }
  test:
    run: go test ./...
    cache: false
    env: [CI]
    inputs: ["**/*.go"]
  lint: ~
image:
  dockerfile: build/Dockerfile
  context: ".."
  name: shop-checkout
  build_args: { GO_VERSION: "1.22", MODE: prod }
  target: runtime
  platforms: [linux/amd64, linux/arm64]
  extra_tags: [latest]
discover: [dockerfile, node]
)";

std::string where(const SourcePos& p) { return format_pos(p); }

}  // namespace

TEST_CASE("a decoded service config equals the parsed one, positions included") {
  auto parsed = parse_service_config(kFull, "services/checkout/service.yaml");
  REQUIRE(parsed.has_value());
  auto bytes = encode_service_config(*parsed);
  REQUIRE(bytes.has_value());
  auto decoded = decode_service_config(*bytes, "services/checkout/service.yaml");
  REQUIRE(decoded.has_value());
  CHECK(encode_service_config(*decoded) == bytes);
  CHECK(decoded->file == "services/checkout/service.yaml");
  REQUIRE(decoded->name.has_value());
  CHECK(decoded->name->value == "checkout");
  CHECK(where(decoded->name->pos) == where(parsed->name->pos));
  REQUIRE(decoded->deps.size() == 2);
  CHECK(decoded->deps[1].value == "proto");
  CHECK(where(decoded->deps[1].pos) == "services/checkout/service.yaml:2:18");
  REQUIRE(decoded->inputs.has_value());
  CHECK(decoded->inputs->size() == 3);
  CHECK(decoded->env.size() == 1);
  REQUIRE(decoded->tasks.size() == 3);
  const TaskConfig& build = decoded->tasks.at("build");
  CHECK(build.run->value == "go build ./cmd");
  CHECK(build.timeout_seconds == 30);
  CHECK_FALSE(build.cache.has_value());
  CHECK_FALSE(build.env.has_value());
  CHECK(where(build.pos) == where(parsed->tasks.at("build").pos));
  CHECK(decoded->tasks.at("test").cache == false);
  CHECK_FALSE(decoded->tasks.at("lint").run.has_value());
  REQUIRE(decoded->image.has_value());
  CHECK(decoded->image->dockerfile == "build/Dockerfile");
  CHECK(decoded->image->context == "..");
  CHECK(decoded->image->name == "shop-checkout");
  CHECK(decoded->image->build_args ==
        std::map<std::string, std::string>{{"GO_VERSION", "1.22"}, {"MODE", "prod"}});
  CHECK(decoded->image->target == "runtime");
  CHECK(decoded->image->platforms == std::vector<std::string>{"linux/amd64", "linux/arm64"});
  CHECK(decoded->image->extra_tags == std::vector<std::string>{"latest"});
  REQUIRE(decoded->discover.has_value());
  REQUIRE(decoded->discover->size() == 2);
  CHECK((*decoded->discover)[1].value == "node");
  CHECK(where((*decoded->discover)[1].pos) == where((*parsed->discover)[1].pos));
}

TEST_CASE("an empty service config round-trips") {
  auto parsed = parse_service_config("", "a/service.yaml");
  REQUIRE(parsed.has_value());
  auto decoded = decode_service_config(*encode_service_config(*parsed), "a/service.yaml");
  REQUIRE(decoded.has_value());
  CHECK_FALSE(decoded->name.has_value());
  CHECK_FALSE(decoded->inputs.has_value());
  CHECK(decoded->tasks.empty());
  CHECK_FALSE(decoded->image.has_value());
}

TEST_CASE("truncated, extended or damaged encodings never decode") {
  auto parsed = parse_service_config(kFull, "s/service.yaml");
  auto bytes = *encode_service_config(*parsed);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    CHECK_FALSE(decode_service_config(bytes.substr(0, n), "s/service.yaml").has_value());
  }
  CHECK_FALSE(decode_service_config(bytes + "x", "s/service.yaml").has_value());
  std::string other_version = bytes;
  other_version[0] = static_cast<char>(kServiceConfigCodecVersion + 1);
  CHECK_FALSE(decode_service_config(other_version, "s/service.yaml").has_value());
  // Flipping any byte either fails to decode or decodes to something complete: a config whose
  // own encoding holds exactly those bytes (in another order only when a flipped task name sorts
  // elsewhere among the tasks). Never a crash, never a half-read or misread config.
  std::size_t refused = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    INFO("byte " << i);
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0xff);
    auto decoded = decode_service_config(damaged, "s/service.yaml");
    if (!decoded) {
      ++refused;
      continue;
    }
    auto again = encode_service_config(*decoded);
    REQUIRE(again.has_value());
    CHECK(std::is_permutation(again->begin(), again->end(), damaged.begin(), damaged.end()));
  }
  CHECK(refused > 0);
}

TEST_CASE("a config whose positions name another file is not encoded") {
  auto parsed = parse_service_config("deps: [a]\n", "s/service.yaml");
  parsed->deps[0].pos.file = "elsewhere.yaml";
  CHECK_FALSE(encode_service_config(*parsed).has_value());
}

TEST_CASE("a dropped task round-trips") {
  auto parsed =
      parse_service_config("tasks:\n  test: false\n  build: { run: b }\n", "s/service.yaml");
  REQUIRE(parsed.has_value());
  auto bytes = encode_service_config(*parsed);
  REQUIRE(bytes.has_value());
  auto decoded = decode_service_config(*bytes, "s/service.yaml");
  REQUIRE(decoded.has_value());
  CHECK(decoded->tasks.at("test").disabled);
  CHECK_FALSE(decoded->tasks.at("build").disabled);
}
