#include "orchestrator/unowned_manifests.h"

#include <algorithm>
#include <map>
#include <unordered_set>

#include "graph/glob.h"
#include "graph/support/text.h"

namespace ripple {
namespace {

bool skipped_dir(std::string_view dir) {
  while (!dir.empty()) {
    const std::size_t slash = dir.find('/');
    const std::string_view part = dir.substr(0, slash);
    if (part.starts_with('.') || part == "node_modules" || part == "vendor" || part == "testdata") {
      return true;
    }
    dir = slash == std::string_view::npos ? std::string_view() : dir.substr(slash + 1);
  }
  return false;
}

// The way to make the rule that reads `manifest` see `dir`, or nothing for a Dockerfile (only a
// Compose build or a service.yaml makes one a service).
std::string rule_fix(std::string_view manifest, const std::string& dir,
                     const std::vector<std::string>& enabled) {
  auto on = [&](const char* rule) {
    return std::find(enabled.begin(), enabled.end(), rule) != enabled.end();
  };
  if (manifest == "package.json") {
    return on("node") ? "add '" + dir +
                            "' to the workspaces of the root package.json (pnpm: the packages of "
                            "pnpm-workspace.yaml)"
                      : "turn the node rule on (discover: in ripple.yaml)";
  }
  if (manifest == "go.mod") {
    return on("go") ? "add 'use ./" + dir + "' to go.work" : "turn the go rule on (discover:)";
  }
  if (manifest == "Cargo.toml") {
    return on("cargo") ? "add '" + dir + "' to [workspace] members of the root Cargo.toml"
                       : "turn the cargo rule on (discover:)";
  }
  if (manifest == "pyproject.toml") {
    return on("python")
               ? "add '" + dir + "' to [tool.uv.workspace] members of the root pyproject.toml"
               : "turn the python rule on (discover:)";
  }
  return on("compose") ? "build it from compose.yaml (build: ./" + dir + ")"
                       : "turn the compose rule on (discover:)";
}

}  // namespace

std::vector<Diagnostic> unowned_manifest_warnings(const Filesystem& fs, const std::string& root,
                                                  const std::vector<std::string>& tracked,
                                                  const graph::Workspace& ws,
                                                  const std::vector<std::string>& enabled_rules) {
  const graph::RootConfig& config = ws.config();
  if (config.unowned == graph::UnownedPolicy::ignore) {
    return {};
  }
  std::unordered_set<std::string_view> owners;
  for (const graph::ServiceSpec& s : ws.services()) {
    if (s.dir.str().empty()) {
      return {};  // a service at the root owns every file
    }
    owners.insert(s.dir.str());
  }
  // Each unowned directory with its manifests, in path order (`tracked` is sorted by path, not
  // by directory).
  std::map<std::string, std::vector<std::string_view>> unowned;
  for (const std::string& file : tracked) {
    const std::size_t slash = file.rfind('/');
    if (slash == std::string::npos) {
      continue;  // the workspace root's own
    }
    const std::string_view dir = std::string_view(file).substr(0, slash);
    bool owned = false;
    for (std::string_view d = dir;;) {
      if (owners.count(d) > 0) {
        owned = true;
        break;
      }
      const std::size_t up = d.rfind('/');
      if (up == std::string_view::npos) {
        break;
      }
      d = d.substr(0, up);
    }
    if (owned || skipped_dir(dir)) {
      continue;
    }
    const bool ignored =
        std::any_of(config.ignore.begin(), config.ignore.end(),
                    [&](const auto& g) { return graph::glob::match(g.value, file); });
    const bool named =
        std::any_of(config.services.begin(), config.services.end(), [&](const auto& e) {
          const bool exclude = e.value.starts_with('!');
          const std::string_view glob = std::string_view(e.value).substr(exclude ? 1 : 0);
          return (exclude || glob.find("**") == std::string_view::npos) &&
                 graph::glob::match(glob, dir);
        });
    if (ignored || named || fs.kind(path_join(root, file)) != FileKind::file) {
      continue;
    }
    unowned[std::string(dir)].push_back(std::string_view(file).substr(slash + 1));
  }
  std::vector<Diagnostic> out;
  for (const auto& [dir, files] : unowned) {
    if (out.size() == kMaxUnownedWarnings) {
      out.push_back(Diagnostic{"... and " + std::to_string(unowned.size() - kMaxUnownedWarnings) +
                               " more directories with a build manifest no service owns"});
      break;
    }
    std::vector<std::string> paths;
    for (std::string_view name : files) {
      paths.push_back(dir + "/" + std::string(name));
    }
    out.push_back(Diagnostic{
        join(paths, ", ") + ": no service owns " + dir +
        ", so its changes affect nothing; add a service.yaml there (listed under services: in "
        "ripple.yaml), or " +
        rule_fix(files.front(), dir, enabled_rules) + ", or leave it out with ignore: [\"" + dir +
        "/**\"]"});
  }
  return out;
}

}  // namespace ripple
