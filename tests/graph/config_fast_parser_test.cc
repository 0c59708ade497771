// The fast service.yaml parser against yaml-cpp: the same config, positions included, for every
// shape it accepts; a refusal for every shape it does not fully understand, so that yaml-cpp
// reads those and error messages stay as they were.

#include "graph/config_fast_parser.h"

#include <catch2/catch.hpp>
#include <random>

#include "graph/config_codec.h"
#include "graph/config_parser.h"

using namespace ripple;
using namespace ripple::graph;

namespace {

constexpr const char* kFile = "services/web/service.yaml";

std::string show(const LocatedString& s) { return s.value + "@" + format_pos(s.pos); }

std::string show(const LocatedStrings& list) {
  std::string out = "[";
  for (const auto& s : list) {
    out += show(s) + " ";
  }
  return out + "]";
}

// Every field, with positions: what a failed comparison prints.
std::string show(const ServiceConfig& c) {
  std::string out = "file=" + c.file;
  out += " name=" + (c.name ? show(*c.name) : std::string("-"));
  out += " deps=" + show(c.deps);
  out += " inputs=" + (c.inputs ? show(*c.inputs) : std::string("-"));
  out += " env=" + show(c.env);
  out += " tasks=" + std::to_string(c.tasks.size());
  out += c.image ? " image" : "";
  return out;
}

std::string show(const Result<ServiceConfig>& r) {
  return r ? "ok: " + show(*r) : "error: " + r.error().message;
}

// The fast parser answers, and with exactly yaml-cpp's config.
void check_accepted(const std::string& text) {
  INFO("text:\n" << text);
  auto fast = parse_service_config_fast(text, kFile);
  auto slow = parse_service_config_with_yaml_cpp(text, kFile);
  REQUIRE(slow.has_value());
  REQUIRE(fast.has_value());
  CHECK(show(*fast) == show(*slow));
  CHECK(encode_service_config(*fast) == encode_service_config(*slow));
}

// The fast parser declines, and parse_service_config() says what yaml-cpp says.
void check_declined(const std::string& text) {
  INFO("text:\n" << text);
  CHECK_FALSE(parse_service_config_fast(text, kFile).has_value());
  CHECK(show(parse_service_config(text, kFile)) ==
        show(parse_service_config_with_yaml_cpp(text, kFile)));
}

}  // namespace

TEST_CASE("fast config parser: each accepted shape gives yaml-cpp's config and positions") {
  const char* shapes[] = {
      "",
      "\n\n",
      "# only a comment\n",
      "name: checkout\n",
      "name: checkout",
      "name:    svc-00042   \n",
      "name: checkout # the shop's\n",
      "name: \"checkout\"\n",
      "name: 'checkout'\n",
      "name: 123\n",
      "name: a.b_c-d\n",
      "deps: []\n",
      "deps: [ ]\n",
      "deps: [payments]\n",
      "deps: [payments, proto]\n",
      "deps: [ payments ,proto ,  x ]  # trailing comment\n",
      "deps: [\"payments\", 'proto']\n",
      "deps:\n",
      "deps:\nname: x\n",
      "deps: # nothing yet\nname: x\n",
      "deps:\n  - payments\n  - proto\n",
      "deps:\n- payments\n- proto\nname: x\n",
      "deps:\n    -   payments   # first\n\n    # between\n    - \"proto\"\nenv: [CI]\n",
      "inputs: [\"**\", \"!**/*_test.go\", \"../proto/**\"]\n",
      "inputs: ['**', '!dist/**']\n",
      "inputs: [src/**, ../../libs/shared/**, $HOME/x, ^x, a*b, a!b, a@b, a%b, a=b+c~]\n",
      "inputs: [\"a?b\"]\n",
      "inputs: []\n",
      "inputs:\n",
      "env: [GOFLAGS, CI_REGISTRY]\n",
      "# header\nname: web\n\ndeps: [api]   \ninputs: ['**']\nenv: []\n# footer\n",
      "env:\n  - A\n  - B\ndeps:\n- x\n",
      "deps: [\"a b\", \"c#d\", 'e: f', \"\"]\n",
      "deps: [true, no, 1.5, .inf, x~]\n",
      "name: null-ish\n",
      "deps:\n  - x\n  # a comment at another indentation\n      # and another\n  - y\n",
  };
  for (const char* text : shapes) {
    check_accepted(text);
  }
}

TEST_CASE("fast config parser: the benchmark's service.yaml shape is accepted") {
  check_accepted("name: svc-00000\ndeps: []\n");
  check_accepted("name: svc-04999\ndeps: [svc-00004, svc-01094, svc-02562]\n");
}

TEST_CASE("fast config parser: shapes it does not fully understand go to yaml-cpp") {
  const char* shapes[] = {
      // Keys it leaves to yaml-cpp, and unknown or repeated ones (errors yaml-cpp's reader words).
      "tasks:\n  build: { run: make }\n",
      "image: { dockerfile: Dockerfile }\n",
      "name: a\nimage:\n",
      "nmae: web\n",
      "name: a\nname: b\n",
      "deps: [a]\ndeps: [b]\n",
      "\"name\": web\n",
      "name : web\n",
      // Anchors, aliases, tags, flow mappings.
      "deps: &d [a]\n",
      "deps: [*a]\n",
      "name: !!str web\n",
      "deps: !!seq [a]\n",
      "deps: {a: b}\n",
      // Quoting it does not decode.
      "name: \"we\\tb\"\n",
      "deps: [\"a\\\"b\"]\n",
      "name: 'it''s'\n",
      "name: \"unclosed\n",
      "name: \"two\n  lines\"\n",
      // Comments where YAML does not take them, or that change the meaning.
      "name: web# not a comment\n",
      "deps: [a, # comment\n  b]\n",
      "deps: [a]# x\n",
      "deps:\n  - # empty item\n",
      // Documents, directives.
      "---\nname: web\n",
      "name: web\n---\nname: api\n",
      "name: web\n...\n",
      "%YAML 1.2\n---\nname: web\n",
      // Tabs, CR, non-ASCII, a BOM.
      "name:\tweb\n",
      "\tname: web\n",
      "name: web\r\n",
      "name: caf\xc3\xa9\n",
      "\xef\xbb\xbfname: web\n",
      // Multi-line plain scalars and flow lists, odd indentation.
      "name: web\n  more\n",
      "deps: [a,\n  b]\n",
      "deps:\n  - a\n    b\n",
      "deps:\n  - a\n - b\n",
      "deps:\n  - a\n   - b\n",
      "  name: web\n",
      "deps:\n  a\n",
      "deps:\n  key: value\n",
      // Nulls, and values of the wrong type (errors yaml-cpp's reader words).
      "name:\n",
      "name: ~\n",
      "name: null\n",
      "deps: [null]\n",
      "deps: ~\n",
      "deps:\n  -\n",
      "deps: a\n",
      "deps: [[a]]\n",
      "deps:\n  - [a]\n",
      "deps:\n  - a: b\n",
      "name: [a]\n",
      // Invalid names (errors yaml-cpp's reader words).
      "name: .\n",
      "name: ..\n",
      "name: a#b\n",
      "name: 'a b'\n",
      "name: a/b\n",
      "name: ^a\n",
      "name: ''\n",
      // Other plain scalars it does not take on.
      "deps: [-a]\n",
      "deps: [a?]\n",
      "deps: [a?b]\n",
      "deps:\n  - a?b\n",
      "deps: [a:b]\n",
      "deps: [@a]\n",
      "deps: [a, ]\n",
      "deps: [,a]\n",
      "name: a b\n",
      "deps:\n  - a b\n",
      "name:web\n",
      "? name\n: web\n",
      "- a\n- b\n",
      "web\n",
  };
  for (const char* text : shapes) {
    check_declined(text);
  }
}

TEST_CASE("fast config parser: errors keep yaml-cpp's file, line and column") {
  auto r = parse_service_config("name: web\nnmae: api\n", kFile);
  REQUIRE_FALSE(r.has_value());
  CHECK_THAT(r.error().message, Catch::StartsWith(std::string(kFile) + ":2:1: unknown key 'nmae'"));
  r = parse_service_config("deps: [a]\ndeps: [b]\n", kFile);
  REQUIRE_FALSE(r.has_value());
  CHECK_THAT(r.error().message, Catch::StartsWith(std::string(kFile) + ":2:1: key 'deps'"));
}

// Texts put together from fragments at random, many of them not valid YAML: wherever the fast
// parser answers, yaml-cpp agrees, and parse_service_config() always says what yaml-cpp says.
TEST_CASE("fast config parser: random texts never get an answer yaml-cpp would not give") {
  const std::vector<std::string> keys = {"name", "deps", "inputs", "env", "tasks", "nmae", "- a"};
  const std::vector<std::string> seps = {": ", ":", ":  ", " : ", ":\t"};
  const std::vector<std::string> values = {
      "web",      "svc-1",   "[a, b]",   "[]",    "[ 'x', \"y\" ]", "",        "~",
      "null",     "'a b'",   "\"a\\n\"", "[a,",   "a # c",          "a#c",     "&x a",
      "*x",       "!!str a", "{a: b}",   "[a, ]", "\"**\"",         "'!a/**'", "a:b",
      "[[a]]",    "-",       "- a",      ".",     "[a, b] # c",     "'it''s'", "a b",
      "[\"**\"]", "\"\"",    "^a",       "a/b",   "[a]x",           "\"a\"x",  "%a"};
  const std::vector<std::string> continuations = {
      "",        "  - a\n", "- a\n", "  - a\n  - b\n", "    b\n",  "  -\n",   "# c\n",
      "  # c\n", "\n",      "---\n", "...\n",          "  x: y\n", "\t- a\n", " - a\n  - b\n"};
  std::mt19937 rng(20240605);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  int accepted = 0;
  for (int n = 0; n < 3000; ++n) {
    std::string text;
    int lines = static_cast<int>(rng() % 4);
    for (int l = 0; l < lines; ++l) {
      text += pick(keys) + pick(seps) + pick(values) + "\n" + pick(continuations);
    }
    if (rng() % 5 == 0 && !text.empty()) {
      text.pop_back();  // no final newline
    }
    INFO("text:\n" << text);
    auto fast = parse_service_config_fast(text, kFile);
    auto slow = parse_service_config_with_yaml_cpp(text, kFile);
    if (fast) {
      ++accepted;
      REQUIRE(slow.has_value());
      REQUIRE(show(*fast) == show(*slow));
      REQUIRE(encode_service_config(*fast) == encode_service_config(*slow));
    }
    REQUIRE(show(parse_service_config(text, kFile)) == show(slow));
  }
  CHECK(accepted > 100);  // the generator does reach the accepted shapes
}

// Scalars of random printable characters, plain and quoted, as a name, in flow lists and in block
// lists: the characters a plain scalar may hold differ in and out of flow lists, and yaml-cpp
// has its own ideas ('?' in a flow list is an error to it).
TEST_CASE("fast config parser: random scalars never get an answer yaml-cpp would not give") {
  std::mt19937 rng(7);
  auto random_scalar = [&] {
    std::string s;
    int length = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < length; ++i) {
      s += static_cast<char>(0x20 + rng() % 95);  // printable ASCII, space included
    }
    switch (rng() % 4) {
      case 0:
        return "\"" + s + "\"";
      case 1:
        return "'" + s + "'";
      default:
        return s;
    }
  };
  int accepted = 0;
  for (int n = 0; n < 4000; ++n) {
    std::string text;
    switch (n % 3) {
      case 0:
        text = "name: " + random_scalar() + "\n";
        break;
      case 1:
        text = "deps: [" + random_scalar() + ", " + random_scalar() + "]\n";
        break;
      default:
        text = "inputs:\n  - " + random_scalar() + "\n  - " + random_scalar() + "\n";
        break;
    }
    INFO("text:\n" << text);
    auto fast = parse_service_config_fast(text, kFile);
    auto slow = parse_service_config_with_yaml_cpp(text, kFile);
    if (fast) {
      ++accepted;
      REQUIRE(slow.has_value());
      REQUIRE(show(*fast) == show(*slow));
      REQUIRE(encode_service_config(*fast) == encode_service_config(*slow));
    }
    REQUIRE(show(parse_service_config(text, kFile)) == show(slow));
  }
  CHECK(accepted > 500);
}
