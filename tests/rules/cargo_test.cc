// The cargo rule on real-shaped Cargo.toml and Cargo.lock files: the workspace's member globs and
// excludes, each crate's name and its edges to local crates (path and workspace dependencies,
// target-specific tables, renames) with the line that says them, bad TOML as file:line:col, and
// each crate's part of Cargo.lock.

#include "rules/cargo.h"

#include <catch2/catch.hpp>

using namespace ripple;
using namespace ripple::rules;

namespace {

RepoPath dir(const char* text) { return *RepoPath::parse(text); }

std::vector<std::string> edge_lines(const InferredService& s) {
  std::vector<std::string> out;
  for (const auto& e : s.edges) {
    out.push_back(e.target + "@" + std::to_string(e.from.pos.line) + ":" +
                  std::to_string(e.from.pos.column));
  }
  return out;
}

const char* kRoot = R"([workspace]
resolver = "2"
members = [
  "crates/*",
  "./tools/gen/",
]
exclude = ["crates/legacy"]

[workspace.dependencies]
serde = { version = "1.0", features = ["derive"] }
core-types = { path = "crates/core" }
netio = { path = "crates/net", package = "acme-net" }
anyhow = "1"
)";

}  // namespace

TEST_CASE("cargo rule: the root Cargo.toml gives member globs, excludes and path workspace deps") {
  auto ws = cargo_workspace(kRoot);
  REQUIRE(ws);
  REQUIRE(*ws);
  const CargoWorkspace& w = **ws;
  REQUIRE(w.members.size() == 2);
  CHECK(w.members[0].value == "crates/*");
  CHECK(w.members[0].pos.line == 4);
  CHECK(w.members[0].pos.file == "Cargo.toml");
  CHECK(w.members[1].value == "tools/gen");
  REQUIRE(w.exclude.size() == 1);
  CHECK(w.exclude[0].value == "crates/legacy");
  CHECK(w.exclude[0].pos.line == 7);
  CHECK_FALSE(w.root_package);
  CHECK(w.local_deps ==
        std::map<std::string, std::string>{{"core-types", "core-types"}, {"netio", "acme-net"}});

  auto root_crate = cargo_workspace("[package]\nname = \"app\"\n[workspace]\nmembers = [\"a\"]\n");
  REQUIRE(root_crate);
  REQUIRE(*root_crate);
  CHECK((*root_crate)->root_package);

  auto single = cargo_workspace("[package]\nname = \"solo\"\nversion = \"0.1.0\"\n");
  REQUIRE(single);
  CHECK_FALSE(*single);  // one crate, no workspace: no services
}

TEST_CASE(
    "cargo rule: a crate's path, workspace and target-specific dependencies are edges, registry "
    "ones are not") {
  const std::map<std::string, std::string> local = {{"core-types", "core-types"},
                                                    {"netio", "acme-net"}};
  auto found = cargo_crate(R"([package]
name = "api-server"
version = "0.1.0"
edition = "2021"

[dependencies]
core-types = { workspace = true }
serde = { workspace = true }
tokio = { version = "1", features = ["full"] }
auth = { path = "../auth" }
db = { path = "../db", package = "acme-db" }
rand = "0.8"
outside = { path = "../../../elsewhere" }

[dev-dependencies]
testkit = { path = "../testkit" }

[build-dependencies]
netio.workspace = true

[target.'cfg(unix)'.dependencies]
unix-shim = { path = "../unix-shim" }
)",
                           "crates/api/Cargo.toml", dir("crates/api"), local);
  REQUIRE(found);
  REQUIRE(*found);
  const InferredService& s = **found;
  CHECK(s.name == "api-server");
  CHECK(s.dir == dir("crates/api"));
  CHECK(s.from.pos.file == "crates/api/Cargo.toml");
  CHECK(s.from.pos.line == 2);
  CHECK(s.from.rule == "cargo");
  auto edges = edge_lines(s);
  std::sort(edges.begin(), edges.end());
  CHECK(edges == std::vector<std::string>{"acme-db@11:1", "acme-net@19:1", "auth@10:1",
                                          "core-types@7:1", "testkit@16:1", "unix-shim@22:1"});
  CHECK(s.edges[0].from.pos.file == "crates/api/Cargo.toml");
}

TEST_CASE("cargo rule: a virtual manifest is no crate, and a bad name is an error at its line") {
  auto virt = cargo_crate("[workspace]\nmembers = []\n", "x/Cargo.toml", dir("x"), {});
  REQUIRE(virt);
  CHECK_FALSE(*virt);
  auto bad = cargo_crate("[package]\nname = 7\n", "x/Cargo.toml", dir("x"), {});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == ErrorKind::input);
  CHECK_THAT(bad.error().message, Catch::StartsWith("x/Cargo.toml:2:1: 'package.name' must be"));
}

TEST_CASE("cargo rule: text that is not TOML is an input error at file:line:col") {
  auto bad = cargo_crate("[package]\nname = \"a\"\n[dependencies]\nb = { path = \"../b\"\n",
                         "crates/a/Cargo.toml", dir("crates/a"), {});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == ErrorKind::input);
  CHECK_THAT(bad.error().message, Catch::StartsWith("crates/a/Cargo.toml:4:"));
  CHECK_THAT(bad.error().message, Catch::Contains("not valid TOML"));
  CHECK_THAT(bad.error().message, Catch::Contains("leave the cargo rule out of 'discover:'"));

  auto root = cargo_workspace("[workspace]\nmembers = [\"a\",\n");
  REQUIRE_FALSE(root);
  CHECK_THAT(root.error().message, Catch::StartsWith("Cargo.toml:"));
  auto not_list = cargo_workspace("[workspace]\nmembers = \"crates/*\"\n");
  REQUIRE_FALSE(not_list);
  CHECK_THAT(not_list.error().message,
             Catch::StartsWith("Cargo.toml:2:11: 'workspace.members' must be a list"));
}

namespace {

std::string lock(const std::string& serde_version, const std::string& rand_checksum) {
  return R"(# This file is automatically @generated by Cargo.
version = 3

[[package]]
name = "api"
version = "0.1.0"
dependencies = [
 "core",
 "serde",
]

[[package]]
name = "cli"
version = "0.1.0"
dependencies = [
 "rand 0.8.5",
]

[[package]]
name = "core"
version = "0.1.0"
dependencies = [
 "rand 0.7.3",
]

[[package]]
name = "getrandom"
version = "0.2.10"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "be4136b2a15dd319360be1c07d9933517ccf0be8f16bf62a3bee4f0d618df427"

[[package]]
name = "rand"
version = "0.7.3"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "6a6b1a4ba2e6b4bbd0b2f0d5c9b4bb3b3a1e8d8a0f0c1b6b5b2b8c0e0a0b0c0d"

[[package]]
name = "rand"
version = "0.8.5"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = ")" +
         rand_checksum +
         R"("
dependencies = [
 "getrandom",
]

[[package]]
name = "serde"
version = ")" +
         serde_version + R"("
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "cf9e0fcba69a370eed61bcf2b728575f726b50b55cba78064753d708ddc7549e"
)";
}

const std::vector<std::pair<RepoPath, std::string>> kCrates = {
    {dir("crates/api"), "api"}, {dir("crates/cli"), "cli"}, {dir("crates/core"), "core"}};

}  // namespace

TEST_CASE(
    "cargo rule: Cargo.lock gives each crate its resolved tree, so a bump changes only the crates "
    "that reach it") {
  auto before = cargo_lock_trees(lock("1.0.188", "aaaa"), kCrates);
  REQUIRE(before);
  CHECK(before->at(dir("crates/core")) ==
        "rand 0.7.3 registry+https://github.com/rust-lang/crates.io-index "
        "6a6b1a4ba2e6b4bbd0b2f0d5c9b4bb3b3a1e8d8a0f0c1b6b5b2b8c0e0a0b0c0d\n");
  // Another workspace crate is its name only; its own tree is not copied in.
  CHECK(before->at(dir("crates/api")) ==
        "core (workspace)\n"
        "serde 1.0.188 registry+https://github.com/rust-lang/crates.io-index "
        "cf9e0fcba69a370eed61bcf2b728575f726b50b55cba78064753d708ddc7549e\n");
  // Transitive: cli → rand 0.8.5 → getrandom.
  CHECK_THAT(before->at(dir("crates/cli")), Catch::Contains("getrandom 0.2.10"));

  auto serde_bump = cargo_lock_trees(lock("1.0.190", "aaaa"), kCrates);
  REQUIRE(serde_bump);
  CHECK(serde_bump->at(dir("crates/api")) != before->at(dir("crates/api")));
  CHECK(serde_bump->at(dir("crates/cli")) == before->at(dir("crates/cli")));
  CHECK(serde_bump->at(dir("crates/core")) == before->at(dir("crates/core")));

  // "rand 0.8.5" resolves to that version only: a new checksum of it is cli's, not core's.
  auto rand_change = cargo_lock_trees(lock("1.0.188", "bbbb"), kCrates);
  REQUIRE(rand_change);
  CHECK(rand_change->at(dir("crates/cli")) != before->at(dir("crates/cli")));
  CHECK(rand_change->at(dir("crates/core")) == before->at(dir("crates/core")));
  CHECK(rand_change->at(dir("crates/api")) == before->at(dir("crates/api")));
}

TEST_CASE(
    "cargo rule: a Cargo.lock that is not one reads as nothing, and an unlisted crate is empty") {
  CHECK_FALSE(cargo_lock_trees("version = 3\n[[package]\n", kCrates));
  CHECK_FALSE(cargo_lock_trees("version = 3\n", kCrates));
  auto none =
      cargo_lock_trees("version = 3\n[[package]]\nname = \"x\"\nversion = \"1\"\n", kCrates);
  REQUIRE(none);
  CHECK(none->at(dir("crates/api")).empty());
}
