#include "orchestrator/affected_format.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/workspace_yaml.h"

using namespace ripple;
using namespace ripple::graph;

TEST_CASE("affected formats: a long chain prints its first hops, a count and the root") {
  std::vector<std::pair<std::string, std::string>> services;
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    services.emplace_back("s/c" + std::to_string(i),
                          i == 0 ? "" : "deps: [c" + std::to_string(i - 1) + "]\n");
  }
  Workspace ws = ripple::testing::workspace_yaml("services: [s/*]\n", services);
  ChangeSet c;
  c.files.push_back(ChangedFile{*RepoPath::parse("s/c0/x.c"), ChangeKind::modified});
  AffectedSet set = compute_affected(ws, c, {});
  const std::string explain = format_affected_explain(ws, set);
  CHECK_THAT(explain, Catch::Contains("c1999: dependency \u2192 c1998 \u2192 c1997 \u2192 c1996 "
                                      "\u2192 c1995 \u2192 \u2026 (1994 more) \u2192 c0 (s/c0/x.c "
                                      "changed)\n"));
  CHECK_THAT(explain, Catch::Contains("c2: dependency \u2192 c1 \u2192 c0 (s/c0/x.c changed)\n"));
  const auto doc = nlohmann::json::parse(format_affected_json(ws, set));
  CHECK(doc[n - 1]["because"] ==
        nlohmann::json::array({"c1998", "c1997", "c1996", "c1995", "c0"}));
  CHECK(doc[n - 1]["more"] == 1994);
  // Linear: every line is bounded, whatever the depth.
  CHECK(explain.size() < static_cast<std::size_t>(n) * 120);
}
