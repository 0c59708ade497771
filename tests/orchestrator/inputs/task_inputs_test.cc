#include "orchestrator/inputs/task_inputs.h"

#include <catch2/catch.hpp>

#include "orchestrator/inputs/task_key.h"
#include "tests/support/workspace_yaml.h"

using namespace ripple;
using namespace ripple::graph;

namespace {

FileRecord file(const char* path, char id) {
  return FileRecord{*RepoPath::parse(path), 0100644, std::string(40, id), FileSource::index};
}

struct Run {
  Workspace ws;
  TaskGraph tasks;
  InputIndex index;
  std::vector<std::optional<ServiceInputs>> own;

  std::string key(const std::string& label) const {
    auto keys = compute_task_keys(ws, tasks, index, own,
                                  [](const std::string&) { return std::nullopt; });
    for (TaskId id : tasks.topo_order()) {
      if (tasks.node(id).label == label) {
        return keys[id.value].key;
      }
    }
    FAIL("no task " << label);
    return {};
  }
  std::vector<std::string> files(const std::string& label) const {
    std::vector<std::string> out;
    for (TaskId id : tasks.topo_order()) {
      if (tasks.node(id).label == label) {
        for (std::size_t i : inputs_of_task(index, own, tasks, id).files) {
          out.emplace_back(index.file(i).path);
        }
      }
    }
    return out;
  }
};

const char* kRoot =
    "services: [s/*, s/api/plugins/*]\nglobal_inputs: [tools/**]\nignore: ['**/*.md']\n"
    "tasks:\n  build: { run: go build, outputs: [dist/**] }\n"
    "  test: { run: go test, inputs: ['**/*_test.go', 'testdata/**', '../shared/*.go'] }\n";

Run make(std::vector<FileRecord> files) {
  auto ws = ripple::testing::workspace_yaml(
      kRoot, {{"s/api", ""}, {"s/shared", ""}, {"s/api/plugins/x", ""}});
  ServiceId api = *ws.graph().find("api");
  std::vector<std::string> names = {"build", "test"};
  auto g = TaskGraph::build(ws, std::span(&api, 1), names);
  REQUIRE(g.has_value());
  InputIndex index = build_input_index(ws, std::move(files));
  auto own = compute_task_inputs(ws, *g, index);
  return Run{std::move(ws), std::move(*g), std::move(index), std::move(own)};
}

std::vector<FileRecord> tree(char main_id, char test_id) {
  return {file("s/api/README.md", 'r'),
          file("s/api/dist/api", 'd'),
          file("s/api/main.go", main_id),
          file("s/api/main_test.go", test_id),
          file("s/api/plugins/x/x_test.go", 'x'),
          file("s/api/testdata/case.json", 'c'),
          file("s/shared/util.go", 'u'),
          file("s/shared/deep/other.go", 'o'),
          file("tools/lint.sh", 't')};
}

}  // namespace

TEST_CASE("a task's own inputs are the files its globs match, nothing a service would skip") {
  Run run = make(tree('1', '2'));
  using V = std::vector<std::string>;
  // Not README.md (ignored), dist/ (an output), the nested service's test, tools/ (global).
  CHECK(run.files("api#test") ==
        V{"s/api/main_test.go", "s/api/testdata/case.json", "s/shared/util.go"});
  CHECK(run.files("api#build") == V{"s/api/main.go", "s/api/main_test.go",
                                    "s/api/testdata/case.json"});
}

TEST_CASE("a test task with its own inputs keeps its key when only main.go changes") {
  Run before = make(tree('1', '2'));
  Run main_changed = make(tree('3', '2'));
  Run test_changed = make(tree('1', '4'));
  CHECK(main_changed.key("api#test") == before.key("api#test"));
  CHECK(main_changed.key("api#build") != before.key("api#build"));
  CHECK(test_changed.key("api#test") != before.key("api#test"));
}

TEST_CASE("a global input enters a task's own input digest too") {
  Run before = make(tree('1', '2'));
  auto files = tree('1', '2');
  files.back() = file("tools/lint.sh", 'T');
  Run after = make(files);
  CHECK(after.key("api#test") != before.key("api#test"));
}
