// detect_affected() over a FakeVcs and a MemoryFilesystem: which base is asked for, how a changed
// file becomes an affected service, how a deleted service.yaml becomes a removed service (named
// from the base's copy), and --fallback=all; no git and no processes.

#include "orchestrator/change_detection.h"

#include <catch2/catch.hpp>

#include "tests/support/fake_vcs.h"
#include "tests/support/memory_filesystem.h"

using namespace ripple;
using ripple::testing::FakeVcs;
using ripple::testing::MemoryFilesystem;

namespace {

struct Fixture {
  MemoryFilesystem fs;
  FakeVcs vcs{{"origin/main"}};
  CollectingReporter reporter;
  std::map<std::string, std::string> env;

  Fixture() {
    fs.add_file("/r/ripple.yaml", "version: 1\nservices:\n  - services/*\n");
    fs.add_file("/r/services/lib/service.yaml", "name: lib\n");
    fs.add_file("/r/services/api/service.yaml", "name: api\ndeps: [lib]\n");
    fs.add_file("/r/services/web/service.yaml", "name: web\n");
  }

  Result<AffectedReport> detect(AffectedOptions options = {}) {
    auto loaded = load_workspace(fs, "/r");
    INFO((loaded ? std::string() : loaded.error().message));
    REQUIRE(loaded.has_value());
    EnvLookup lookup = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      return it == env.end() ? std::nullopt : std::optional(it->second);
    };
    return detect_affected(*loaded, vcs, lookup, fs, options, reporter);
  }
};

std::vector<std::string> names_and_reasons(const graph::AffectedSet& set) {
  std::vector<std::string> out;
  for (const auto& s : set.services) {
    out.push_back(s.name + ":" + graph::reason_name(s.reason));
  }
  return out;
}

graph::ChangedFile changed(const std::string& path,
                           graph::ChangeKind kind = graph::ChangeKind::modified) {
  return graph::ChangedFile{*RepoPath::parse(path), kind};
}

}  // namespace

TEST_CASE("detect_affected: a changed file affects its service and every service depending on it") {
  Fixture f;
  f.vcs.set_changes({changed("services/lib/lib.go")});
  auto report = f.detect();
  REQUIRE(report.has_value());
  CHECK(names_and_reasons(report->set) ==
        std::vector<std::string>{"lib:changed", "api:dependency"});
  REQUIRE(report->base.has_value());
  CHECK(report->base->ref == "origin/main");
  REQUIRE(f.vcs.queries().size() == 1);
  CHECK(f.vcs.queries()[0].base_ref == "origin/main");
  CHECK(f.vcs.queries()[0].include_worktree);
  CHECK_FALSE(report->files.has_value());  // no listing was asked for
}

TEST_CASE("detect_affected: --base, --head and --no-uncommitted reach the query") {
  Fixture f;
  f.vcs = FakeVcs({"origin/main", "v1.0"});
  f.vcs.set_changes({});
  AffectedOptions options;
  options.base = "v1.0";
  options.head = "feature";
  options.include_worktree = false;
  auto report = f.detect(options);
  REQUIRE(report.has_value());
  CHECK(report->set.services.empty());
  REQUIRE(f.vcs.queries().size() == 1);
  CHECK(f.vcs.queries()[0].base_ref == "v1.0");
  CHECK(f.vcs.queries()[0].head_ref == std::optional<std::string>("feature"));
  CHECK_FALSE(f.vcs.queries()[0].include_worktree);
}

TEST_CASE("detect_affected: a deleted service.yaml is a removed service named by the base's copy") {
  Fixture f;
  f.vcs.set_changes({changed("services/old/service.yaml", graph::ChangeKind::deleted)});
  f.vcs.set_file_at_base("services/old/service.yaml", "name: legacy-billing\n");
  auto report = f.detect();
  REQUIRE(report.has_value());
  CHECK(names_and_reasons(report->set) == std::vector<std::string>{"legacy-billing:removed"});
}

TEST_CASE("detect_affected: a service.yaml moved to another directory is no removed service") {
  Fixture f;
  f.vcs.set_changes({changed("services/web-old/service.yaml", graph::ChangeKind::deleted),
                     changed("services/web/service.yaml", graph::ChangeKind::added)});
  f.vcs.set_file_at_base("services/web-old/service.yaml", "name: web\n");
  auto report = f.detect();
  REQUIRE(report.has_value());
  CHECK(names_and_reasons(report->set) == std::vector<std::string>{"web:config"});
}

TEST_CASE("detect_affected: without a base the error stands, or --fallback=all affects all") {
  Fixture f;
  f.vcs = FakeVcs({"origin/main"});
  f.vcs.set_changes({});
  AffectedOptions options;
  options.base = "gone";
  auto failed = f.detect(options);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().kind == ErrorKind::environment);

  options.fallback_all = true;
  auto all = f.detect(options);
  REQUIRE(all.has_value());
  CHECK(names_and_reasons(all->set) ==
        std::vector<std::string>{"lib:no-base", "api:no-base", "web:no-base"});
  CHECK_FALSE(all->changes.has_value());
  CHECK(f.reporter.warnings.size() == 2);
}
