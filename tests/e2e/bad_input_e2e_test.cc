// Each bad input exits 2 with one message naming file, line and column, and prints nothing on
// stdout: nothing else runs.

#include <catch2/catch.hpp>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

struct Outcome {
  int exit_code;
  std::string out;
  std::string err;
};

Outcome graph_in(const TempDir& dir) {
  auto r = run_ripple("graph", dir.path());
  return {r.exit_code, r.out, r.err};
}

void expect_input_error(const TempDir& dir, const std::string& message) {
  auto r = graph_in(dir);
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::StartsWith("ripple: error: " + message));
  // One message, one line.
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

}  // namespace

TEST_CASE("e2e: a YAML syntax error exits 2 with its position") {
  TempDir d;
  d.write("ripple.yaml", "version: 1\nservices: [a\n");
  expect_input_error(d, "ripple.yaml:3:1: YAML syntax error");
}

TEST_CASE("e2e: an unknown key exits 2 with a suggestion") {
  TempDir d;
  d.write("ripple.yaml", "version: 1\nglobal_input: [tools/**]\n");
  expect_input_error(d,
                     "ripple.yaml:2:1: unknown key 'global_input' in ripple.yaml (did you "
                     "mean 'global_inputs'?)");
}

TEST_CASE("e2e: a wrong value type exits 2") {
  TempDir d;
  d.write("ripple.yaml", "services: [s/*]\n");
  d.write("s/a/service.yaml", "deps: b\n");
  expect_input_error(d, "s/a/service.yaml:1:7: 'deps' must be a list of strings, not a scalar");
}

TEST_CASE("e2e: a duplicate service name exits 2") {
  TempDir d;
  d.write("ripple.yaml", "services: [s/*]\n");
  d.write("s/a/service.yaml", "name: x\n");
  d.write("s/b/service.yaml", "name: x\n");
  expect_input_error(d, "s/b/service.yaml:1:7: duplicate service name 'x'");
}

TEST_CASE("e2e: a dependency on an unknown service exits 2 with a suggestion") {
  TempDir d;
  d.write("ripple.yaml", "services: [s/*]\n");
  d.write("s/payments/service.yaml", "");
  d.write("s/checkout/service.yaml", "deps: [paymnets]\n");
  expect_input_error(d,
                     "s/checkout/service.yaml:1:8: service 'checkout' depends on unknown "
                     "service 'paymnets' (did you mean 'payments'?)");
}

TEST_CASE("e2e: a malformed task dependency exits 2") {
  TempDir d;
  d.write("ripple.yaml", "services: [s/*]\ntasks:\n  build: { run: b, deps: ['^^build'] }\n");
  d.write("s/a/service.yaml", "");
  expect_input_error(d, "ripple.yaml:3:27: malformed task dependency '^^build'");
}

TEST_CASE("e2e: a services glob matching nothing is only a warning") {
  TempDir d;
  d.write("ripple.yaml", "services: [s/*, apps/*]\n");
  d.write("s/a/service.yaml", "");
  auto r = graph_in(d);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "a\n");
  CHECK(r.err ==
        "ripple: warning: ripple.yaml:1:17: services glob 'apps/*' matches no directory "
        "with a service.yaml\n");
}

TEST_CASE("e2e: an explicitly listed directory without service.yaml exits 2") {
  TempDir d;
  d.write("ripple.yaml", "services: [s/a]\n");
  d.write("s/a/README.md", "");
  expect_input_error(d, "ripple.yaml:1:12: services entry 's/a' has no service.yaml");
}

TEST_CASE("e2e: no ripple.yaml and no git repository anywhere up to / exits 2") {
  TempDir d;
  d.write("sub/file.txt", "");
  auto r = run_ripple("graph", d.path() + "/sub");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("ripple: error: no ripple.yaml and no git repository found "
                                      "from " +
                                      d.path() + "/sub up to /"));
}

TEST_CASE("e2e: an empty ripple.yaml exits 2") {
  TempDir d;
  d.write("ripple.yaml", "");
  expect_input_error(d, "ripple.yaml: the file is empty");
}

TEST_CASE("e2e: a dependency cycle is a warning and the graph still prints") {
  TempDir d;
  d.write("ripple.yaml", "services: [s/*]\n");
  d.write("s/a/service.yaml", "deps: [b]\n");
  d.write("s/b/service.yaml", "deps: [a]\n");
  d.write("s/c/service.yaml", "deps: [a]\n");
  auto r = graph_in(d);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "a: b\nb: a\nc: a\n");
  CHECK_THAT(r.err, Catch::StartsWith("ripple: warning: dependency cycle among 2 services: "
                                      "a -> b -> a"));
}
