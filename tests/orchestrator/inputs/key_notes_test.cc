#include "orchestrator/inputs/key_notes.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace ripple;
using nlohmann::json;

namespace {

// Notes as make_key_notes writes them, built by hand so each field can be varied alone.
json notes() {
  return {{"task", "app#build"},
          {"key", std::string(64, 'a')},
          {"manifest",
           {{"version", "ripple-task-v1"},
            {"service", "app"},
            {"task", "build"},
            {"command", "make"},
            {"env", {{"MODE", "dev"}, {"TOKEN", nullptr}}},
            {"inputs", "digest-1"},
            {"deps", {{"lib#build", std::string(64, 'b')}}},
            {"outputs", {"dist/**"}},
            {"platform", "linux-x86_64"}}},
          {"input_files", {{"s/app/a.c", "100644 id1"}, {"s/app/b.c", "100644 id2"}}},
          {"global_files", json::object()}};
}

std::vector<std::string> diff(const json& a, const json& b) {
  return diff_key_notes(a.dump(), b.dump());
}

}  // namespace

TEST_CASE("key notes: the same manifest has no differences") {
  CHECK(diff(notes(), notes()).empty());
}

TEST_CASE("key notes: command, env and platform differences are named with both values") {
  json b = notes();
  b["manifest"]["command"] = "make all";
  b["manifest"]["env"]["MODE"] = "prod";
  b["manifest"]["env"]["TOKEN"] = "x";
  b["manifest"]["platform"] = "linux-aarch64";
  CHECK(diff(notes(), b) ==
        std::vector<std::string>{"command: \"make\" -> \"make all\"",
                                 "env MODE: \"dev\" -> \"prod\"", "env TOKEN: unset -> \"x\"",
                                 "platform: \"linux-x86_64\" -> \"linux-aarch64\""});
}

TEST_CASE("key notes: input differences name the files, in path order, a few and a count") {
  json b = notes();
  b["manifest"]["inputs"] = "digest-2";
  b["input_files"].erase("s/app/a.c");
  b["input_files"]["s/app/b.c"] = "100755 id2";  // chmod +x
  b["input_files"]["s/app/0.c"] = "100644 id0";
  CHECK(diff(notes(), b) ==
        std::vector<std::string>{"inputs: s/app/0.c added, s/app/a.c removed, s/app/b.c changed"});

  json many = notes();
  many["manifest"]["inputs"] = "digest-3";
  for (int i = 0; i < 8; ++i) {
    many["input_files"]["s/app/n" + std::to_string(i)] = "100644 x";
  }
  auto lines = diff(notes(), many);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::EndsWith("s/app/n4 added, and 3 more"));
}

TEST_CASE("key notes: the same files under a different digest say the format changed") {
  json b = notes();
  b["manifest"]["inputs"] = "digest-9";
  auto lines = diff(notes(), b);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::Contains("the digest format changed"));
}

TEST_CASE("key notes: dependencies are named with their old and new keys") {
  json b = notes();
  b["manifest"]["deps"]["lib#build"] = std::string(64, 'c');
  b["manifest"]["deps"]["proto#build"] = std::string(64, 'd');
  CHECK(diff(notes(), b) ==
        std::vector<std::string>{"dependency lib#build: new key bbbbbbbbbbbb -> cccccccccccc",
                                 "dependency proto#build: added"});
}

TEST_CASE("key notes: a field a newer manifest adds is still reported") {
  json b = notes();
  b["manifest"]["image"] = "Dockerfile";
  CHECK(diff(notes(), b) == std::vector<std::string>{"image: unset -> \"Dockerfile\""});
}

TEST_CASE("key notes: unreadable notes give one line, never an exception") {
  auto lines = diff_key_notes("{not json", notes().dump());
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::Contains("cannot be read"));
}
