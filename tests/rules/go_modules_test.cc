// The go rule on real-shaped go.work and go.mod files: which directories are modules, each
// module's path and edges with the line that says them, how services are named, and clear
// errors.

#include "rules/go_modules.h"

#include <catch2/catch.hpp>

#include "rules/inferred_codec.h"

using namespace ripple;
using namespace ripple::rules;

namespace {

std::vector<std::string> targets(const InferredService& s) {
  std::vector<std::string> out;
  for (const auto& e : s.edges) {
    out.push_back(e.target);
  }
  return out;
}

std::vector<std::string> use_dirs(const GoWork& work) {
  std::vector<std::string> out;
  for (const auto& u : work.uses) {
    out.push_back(u.value.str());
  }
  return out;
}

RepoPath dir(const std::string& text) { return *RepoPath::parse(text); }

InferredService module_of(const std::string& text, const std::string& at) {
  const std::string file = at.empty() ? "go.mod" : at + "/go.mod";
  auto m = go_module(text, file, dir(at));
  INFO((m ? "" : m.error().message));
  REQUIRE(m.has_value());
  return *m;
}

}  // namespace

TEST_CASE("go rule: go.work's use directories, single and block form, with comments") {
  auto work = go_work(R"(// the shop's workspace
go 1.22

toolchain go1.22.3

use ./tools // a single use
use (
	./services/pay   // pay
	"./libs/money"
	// a comment line inside the block
	.
)

replace example.com/old => ./libs/money
replace example.com/fork v1.0.0 => example.com/fork v1.2.0
)",
                      "go.work");
  INFO((work ? "" : work.error().message));
  REQUIRE(work.has_value());
  CHECK(use_dirs(*work) == std::vector<std::string>{"tools", "services/pay", "libs/money", ""});
  CHECK(format_pos(work->uses[1].pos) == "go.work:8:2");
  CHECK(format_pos(work->uses[2].pos) == "go.work:9:2");
  CHECK(work->warnings.empty());

  auto outside = go_work("use ../elsewhere\nuse /abs/path\nuse ./in\n", "go.work");
  REQUIRE(outside.has_value());
  CHECK(use_dirs(*outside) == std::vector<std::string>{"in"});
  REQUIRE(outside->warnings.size() == 2);
  CHECK_THAT(outside->warnings[0].message,
             Catch::StartsWith("go.work:1:5: go.work uses '../elsewhere', outside the workspace"));
}

TEST_CASE("go rule: a go.mod's module, requires and local replaces, with their lines") {
  const InferredService pay = module_of(R"(module example.com/shop/pay // the payment service

go 1.22

require example.com/shop/money v0.0.0
require (
	github.com/google/uuid v1.6.0
	"example.com/shop/ledger" v0.1.0 // indirect
)

replace example.com/shop/money => ../../libs/money
replace (
	example.com/shop/ledger v0.1.0 => ./ledger // a module inside this one
	github.com/google/uuid => github.com/fork/uuid v1.6.1
	example.com/shop/gone => ../../../outside
)
exclude example.com/bad v1.0.0
retract v0.9.0
)",
                                        "services/pay");
  CHECK(pay.name == "example.com/shop/pay");
  CHECK(pay.dir == dir("services/pay"));
  CHECK(format_pos(pay.from.pos) == "services/pay/go.mod:1:8");
  CHECK(pay.from.rule == "go");
  // A replacement by another module (uuid's fork) and one outside the workspace are no edge.
  CHECK(targets(pay) == std::vector<std::string>{"example.com/shop/money", "github.com/google/uuid",
                                                 "example.com/shop/ledger", "./libs/money",
                                                 "./services/pay/ledger"});
  CHECK(format_pos(pay.edges[0].from.pos) == "services/pay/go.mod:5:9");
  CHECK(format_pos(pay.edges[2].from.pos) == "services/pay/go.mod:8:2");
  CHECK(format_pos(pay.edges[3].from.pos) == "services/pay/go.mod:11:35");
  CHECK(format_pos(pay.edges[4].from.pos) == "services/pay/go.mod:13:36");

  // Raw strings, and a module at the root replacing to itself's neighbours.
  const InferredService root = module_of("module `example.com/shop`\nreplace x => ./libs/x\n", "");
  CHECK(root.name == "example.com/shop");
  CHECK(targets(root) == std::vector<std::string>{"./libs/x"});

  // What a rule found survives the snapshot of parsed manifests.
  auto back = decode_inferred(encode_inferred(pay), "services/pay/go.mod", dir("services/pay"));
  REQUIRE(back.has_value());
  REQUIRE(back->has_value());
  CHECK(targets(**back) == targets(pay));
  CHECK(format_pos((**back).edges[3].from.pos) == "services/pay/go.mod:11:35");
}

TEST_CASE("go rule: modules are named by their path's last element, by directory on a clash") {
  std::vector<InferredService> modules = {
      module_of("module example.com/shop\n", ""),
      module_of("module example.com/shop/libs/money/v2\n", "libs/money"),
      module_of("module example.com/shop/api\nrequire example.com/shop/libs/money/v2 v2.0.0\n",
                "services/pay/api"),
      module_of("module example.com/shop/ship/api\nrequire github.com/x/y v1.0.0\n"
                "replace example.com/shop/libs/money/v2 => ../../../libs/money\n"
                "replace z => ../../..\n",
                "services/ship/api"),
  };
  auto services = go_services(modules);
  INFO((services ? "" : services.error().message));
  REQUIRE(services.has_value());
  REQUIRE(services->size() == 4);
  CHECK((*services)[0].name == "shop");
  CHECK((*services)[1].name == "money");             // without the /v2 major version
  CHECK((*services)[2].name == "services-pay-api");  // two modules end in "api"
  CHECK((*services)[3].name == "services-ship-api");
  // Edges name services; one to a module outside the workspace (github.com/x/y) is dropped.
  CHECK(targets((*services)[2]) == std::vector<std::string>{"money"});
  CHECK(targets((*services)[3]) == std::vector<std::string>{"money", "shop"});
  CHECK(format_pos((*services)[3].edges[0].from.pos) == "services/ship/api/go.mod:3:43");
}

TEST_CASE("go rule: a go.mod or go.work that does not parse is an error at file:line:col") {
  auto error_of = [](const std::string& text) {
    auto m = go_module(text, "svc/go.mod", dir("svc"));
    REQUIRE_FALSE(m.has_value());
    CHECK(m.error().kind == ErrorKind::input);
    return m.error().message;
  };
  CHECK_THAT(error_of("module example.com/a\nrequire (\n\texample.com/b v1.0.0\n"),
             Catch::StartsWith("svc/go.mod:2:9: the 'require (' block is never closed"));
  CHECK_THAT(error_of("module \"example.com/a\n"),
             Catch::StartsWith("svc/go.mod:1:8: unterminated quoted string"));
  CHECK_THAT(error_of("module example.com/a\nrequire example.com/b\n"),
             Catch::StartsWith("svc/go.mod:2:1: expected 'require module version'"));
  CHECK_THAT(error_of("module example.com/a\nreplace example.com/b => example.com/c\n"),
             Catch::StartsWith("svc/go.mod:2:26: a replacement without a version must be a "
                               "directory"));
  CHECK_THAT(error_of("module example.com/a\nreplace example.com/b => ../b v1.0.0\n"),
             Catch::StartsWith("svc/go.mod:2:31: a replacement by a directory takes no version"));
  CHECK_THAT(error_of("module example.com/a\nreplace example.com/b ../b\n"),
             Catch::StartsWith("svc/go.mod:2:1: expected 'replace module [version] =>"));
  CHECK_THAT(error_of("go 1.22\nrequire example.com/b v1.0.0\n"),
             Catch::StartsWith("svc/go.mod:1:1: no 'module' directive"));
  CHECK_THAT(error_of("module a\nmodule b\n"),
             Catch::StartsWith("svc/go.mod:2:1: a second 'module' directive"));
  CHECK_THAT(error_of("module a\n)\n"), Catch::StartsWith("svc/go.mod:2:1: unexpected ')'"));
  CHECK_THAT(error_of("module a /* no */\n"),
             Catch::StartsWith("svc/go.mod:1:10: go.mod files use // comments"));
  CHECK_THAT(error_of("module a\nrequire (\n\tb v1\n) x\n"),
             Catch::StartsWith("svc/go.mod:4:3: ')' closing a block stands alone"));
  CHECK_THAT(error_of("module a\nrequire (\n"), Catch::EndsWith("or leave the go rule out of "
                                                                "'discover:'"));

  auto work = go_work("go 1.22\nuse (\n\t./a\n\t./b ./c\n)\n", "go.work");
  REQUIRE_FALSE(work.has_value());
  CHECK_THAT(work.error().message, Catch::StartsWith("go.work:4:2: expected 'use directory'"));

  // Directives ripple does not read yet (a newer Go's) are no error.
  CHECK(go_module("module a\ntool example.com/gen\nignore ./node_modules\ngodebug (\n\tx=1\n)\n",
                  "go.mod", RepoPath())
            .has_value());
}
