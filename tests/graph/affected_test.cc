#include "graph/affected.h"

#include <catch2/catch.hpp>

#include "graph/config_parser.h"
#include "graph/input_matcher.h"
#include "tests/support/workspace_yaml.h"

using namespace ripple;
using namespace ripple::graph;

namespace {

Workspace make_workspace(const std::string& root,
                         const std::vector<std::pair<std::string, std::string>>& services) {
  return ripple::testing::workspace_yaml(root, services);
}

ChangeSet changes(const std::vector<std::string>& paths, ChangeKind kind = ChangeKind::modified) {
  ChangeSet c;
  for (const auto& p : paths) {
    c.files.push_back(ChangedFile{*RepoPath::parse(p), kind});
  }
  return c;
}

std::vector<std::string> names(const AffectedSet& set) {
  std::vector<std::string> out;
  for (const auto& s : set.services) {
    out.push_back(s.name + ":" + reason_name(s.reason));
  }
  return out;
}

using V = std::vector<std::string>;

const char* kRoot =
    "services: [s/*, s/*/*, libs/*]\nglobal_inputs: ['tools/**']\nignore: ['**/*.md']\n";

Workspace sample() {
  return make_workspace(kRoot, {{"libs/proto", ""},
                                {"s/api", "deps: [proto]\n"},
                                {"s/api/admin", ""},
                                {"s/web",
                                 "deps: [api]\ninputs: ['**', '!**/*.test.js', "
                                 "'../../libs/shared-assets/**']\n"},
                                {"s/other", ""}});
}

}  // namespace

TEST_CASE("a path is owned by the innermost service directory only") {
  Workspace ws = sample();
  InputMatcher m(ws);
  CHECK(ws.graph().name(*m.owner(*RepoPath::parse("s/api/admin/x.go"))) == "admin");
  CHECK(ws.graph().name(*m.owner(*RepoPath::parse("s/api/main.go"))) == "api");
  CHECK_FALSE(m.owner(*RepoPath::parse("s/apiary/x")).has_value());
  CHECK_FALSE(m.owner(*RepoPath::parse("top.txt")).has_value());
  auto result = compute_affected(ws, changes({"s/api/admin/x.go"}), {});
  CHECK(names(result) == V{"admin:changed"});
}

TEST_CASE("dependents are added transitively with the shortest chain") {
  Workspace ws = sample();
  auto result = compute_affected(ws, changes({"libs/proto/a.proto", "libs/proto/b.proto"}), {});
  CHECK(names(result) == V{"proto:changed", "api:dependency", "web:dependency"});
  CHECK(result.services[0].path_count == 2);
  const auto& web = result.services[2];
  REQUIRE(web.chain.size() == 2);
  CHECK(ws.graph().name(web.chain[0]) == "api");
  CHECK(ws.graph().name(web.chain[1]) == "proto");
}

TEST_CASE("an input glob excluding a path keeps its owner unaffected") {
  Workspace ws = sample();
  CHECK(compute_affected(ws, changes({"s/web/app.test.js"}), {}).services.empty());
  CHECK(names(compute_affected(ws, changes({"s/web/app.js"}), {})) == V{"web:changed"});
}

TEST_CASE("an input reaching outside the service directory affects it") {
  Workspace ws = sample();
  auto result = compute_affected(ws, changes({"libs/shared-assets/logo.svg"}), {});
  CHECK(names(result) == V{"web:changed"});
  REQUIRE(result.files.size() == 1);
  CHECK(result.files[0].kind == FileOutcome::Kind::input);
}

TEST_CASE("ignored paths affect nothing even under a service") {
  Workspace ws = sample();
  auto result = compute_affected(ws, changes({"s/api/README.md", "NOTES.md"}), {});
  CHECK(result.services.empty());
  CHECK(result.files[0].kind == FileOutcome::Kind::ignored);
}

TEST_CASE("global inputs affect every service and ripple.yaml is config for all") {
  Workspace ws = sample();
  auto g = compute_affected(ws, changes({"tools/gen.sh"}), {});
  REQUIRE(g.services.size() == 5);
  for (const auto& s : g.services) {
    CHECK(s.reason == Reason::global);
  }
  auto c = compute_affected(ws, changes({"ripple.yaml", "s/api/x.go"}), {});
  REQUIRE(c.services.size() == 5);
  for (const auto& s : c.services) {
    CHECK(s.reason == Reason::config);  // the stronger reason wins, even for api
  }
}

TEST_CASE("a service.yaml change is config for that service and dependency for dependents") {
  Workspace ws = sample();
  auto result = compute_affected(ws, changes({"s/api/service.yaml"}), {});
  CHECK(names(result) == V{"api:config", "web:dependency"});
}

TEST_CASE("removed services come last with their evidence") {
  Workspace ws = sample();
  auto result = compute_affected(ws, changes({"s/gone/service.yaml"}, ChangeKind::deleted),
                                 {RemovedService{"gone", *RepoPath::parse("s/gone"),
                                                 *RepoPath::parse("s/gone/service.yaml")}});
  CHECK(names(result) == V{"gone:removed"});
  CHECK_FALSE(result.services[0].id.has_value());
}

TEST_CASE("a change in one member of a cycle affects every member and their dependents") {
  Workspace ws = make_workspace(
      "services: [s/*]\n",
      {{"s/a", "deps: [b]\n"}, {"s/b", "deps: [a]\n"}, {"s/c", "deps: [a]\n"}, {"s/d", ""}});
  CHECK(names(compute_affected(ws, changes({"s/b/x"}), {})) ==
        V{"a:dependency", "b:changed", "c:dependency"});
}

TEST_CASE("evidence keeps the first few paths and counts the rest") {
  Workspace ws = sample();
  std::vector<std::string> many;
  for (int i = 0; i < 12; ++i) {
    many.push_back("s/other/f" + std::to_string(10 + i));
  }
  auto result = compute_affected(ws, changes(many), {});
  REQUIRE(result.services.size() == 1);
  CHECK(result.services[0].paths.size() == kMaxEvidencePaths);
  CHECK(result.services[0].path_count == 12);
}

TEST_CASE("a path its owner's inputs exclude is reported as excluded, naming the owner") {
  Workspace ws = sample();
  auto result = compute_affected(ws, changes({"s/web/app.test.js"}), {});
  REQUIRE(result.files.size() == 1);
  CHECK(result.files[0].kind == FileOutcome::Kind::excluded);
  REQUIRE(result.files[0].services.size() == 1);
  CHECK(ws.graph().name(result.files[0].services[0]) == "web");
}

TEST_CASE("a long dependency chain keeps bounded evidence: first hops, the root and a count") {
  std::vector<std::pair<std::string, std::string>> services;
  const int n = 3000;
  for (int i = 0; i < n; ++i) {
    services.emplace_back("s/c" + std::to_string(i),
                          i == 0 ? "" : "deps: [c" + std::to_string(i - 1) + "]\n");
  }
  Workspace ws = make_workspace("services: [s/*]\n", services);
  AffectedSet set = compute_affected(ws, changes({"s/c0/x.c"}), {});
  REQUIRE(set.services.size() == static_cast<std::size_t>(n));
  const AffectedService* last = nullptr;
  const AffectedService* third = nullptr;
  for (const auto& s : set.services) {
    CHECK(s.chain.size() <= kMaxChainShown);
    if (s.name == "c" + std::to_string(n - 1)) {
      last = &s;
    }
    if (s.name == "c3") {
      third = &s;
    }
  }
  REQUIRE(last != nullptr);
  CHECK(last->chain_length == static_cast<std::size_t>(n - 1));
  REQUIRE(last->chain.size() == kMaxChainShown);
  CHECK(ws.graph().name(last->chain[0]) == "c" + std::to_string(n - 2));
  CHECK(ws.graph().name(last->chain[3]) == "c" + std::to_string(n - 5));
  CHECK(ws.graph().name(last->chain.back()) == "c0");  // the root cause, always last
  REQUIRE(third != nullptr);                           // a short chain is whole
  CHECK(third->chain_length == 3);
  REQUIRE(third->chain.size() == 3);
  CHECK(ws.graph().name(third->chain[2]) == "c0");
}
