#include "orchestrator/service_parts.h"

#include <algorithm>
#include <functional>

#include "cache/digest.h"
#include "rules/cargo.h"
#include "rules/compose.h"
#include "rules/discovery.h"
#include "rules/node_lockfile.h"
#include "rules/node_workspaces.h"
#include "rules/pnpm_lockfile.h"
#include "rules/pyproject.h"

namespace ripple {
namespace {

constexpr const char* kDotenv = ".env";
constexpr const char* kNpmLock = "package-lock.json";
constexpr const char* kPnpmLock = "pnpm-lock.yaml";

constexpr const char* kCargoLock = "Cargo.lock";
constexpr const char* kUvLock = "uv.lock";

// Each package's tree in a lockfile's text, for the services given as (directory, name).
using Packages = std::vector<std::pair<RepoPath, std::string>>;
using LockTrees = std::function<std::optional<std::map<RepoPath, std::string>>(std::string_view,
                                                                               const Packages&)>;

// A reader of lockfiles that knows packages by directory only.
LockTrees by_directory(std::optional<std::map<RepoPath, std::string>> (*trees)(
    std::string_view, const std::vector<RepoPath>&)) {
  return [trees](std::string_view text, const Packages& packages) {
    std::vector<RepoPath> dirs;
    for (const auto& [dir, name] : packages) {
      dirs.push_back(dir);
    }
    return trees(text, dirs);
  };
}

bool rule_on(const graph::Workspace& ws, const char* rule) {
  auto enabled = rules::enabled_rules(ws.config());
  return enabled && std::find(enabled->begin(), enabled->end(), rule) != enabled->end();
}

// The text of `path` in this version; nothing when it is absent or unreadable.
std::optional<std::string> text_of(const ReadVersion& read, const std::string& path) {
  auto text = read(path);
  if (!text || !*text) {
    return std::nullopt;
  }
  return std::move(**text);
}

// Every service gets the whole file as one part.
void whole_file(std::vector<PartDigests>& out, const std::string& file, const std::string& text) {
  const std::string digest = cache::sha256_hex(text);
  for (PartDigests& parts : out) {
    parts[file] = digest;
  }
}

// The service a Compose key became: the one of that name, else the one in the directory the
// compose rule gave it (a directory with a service.yaml keeps its own name).
std::optional<ServiceId> compose_service(const graph::Workspace& ws, const std::string& key,
                                         const std::map<std::string, RepoPath>& dirs) {
  if (auto id = ws.graph().find(key)) {
    return id;
  }
  auto dir = dirs.find(key);
  if (dir == dirs.end()) {
    return std::nullopt;
  }
  for (const graph::ServiceSpec& s : ws.services()) {
    if (s.dir == dir->second) {
      return ws.graph().find(s.name);
    }
  }
  return std::nullopt;
}

// The Compose project's parts: each built service's block in the Compose file and in its override
// file (`compose.override.yaml#services.web`), and the `.env` variables those blocks use.
void compose_parts(const graph::Workspace& ws, const ReadVersion& read, bool want_compose,
                   bool want_dotenv, std::vector<PartDigests>& out) {
  std::vector<rules::ComposeLayer> layers;
  for (const auto* names : {&rules::compose_file_names(), &rules::compose_override_names()}) {
    for (const std::string& name : *names) {
      if (auto text = text_of(read, name)) {
        layers.push_back(rules::ComposeLayer{std::move(*text), name});
        break;
      }
    }
    if (layers.empty()) {
      return;  // an override file without a Compose file is not read
    }
  }
  const std::optional<std::string> dotenv_text = text_of(read, kDotenv);
  const auto env =
      dotenv_text ? rules::parse_dotenv(*dotenv_text) : std::map<std::string, std::string>();
  std::vector<std::optional<std::map<std::string, rules::ComposePart>>> parts;
  std::set<std::string> built;  // the keys a layer's block builds
  for (const rules::ComposeLayer& layer : layers) {
    parts.push_back(rules::compose_parts(layer.text));
    if (!parts.back()) {
      if (want_compose) {
        whole_file(out, layer.file, layer.text);
      }
      if (want_dotenv && dotenv_text) {
        whole_file(out, kDotenv, *dotenv_text);
      }
      continue;
    }
    for (const auto& [key, part] : *parts.back()) {
      if (part.builds) {
        built.insert(key);
      }
    }
  }
  std::map<std::string, RepoPath> dirs;
  if (auto found = rules::compose_services(layers, env)) {
    for (const rules::ComposeService& c : found->services) {
      dirs.emplace(c.service.name, c.service.dir);
    }
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (!parts[i]) {
      continue;
    }
    for (const auto& [key, part] : *parts[i]) {
      std::optional<ServiceId> id;
      if (built.count(key) == 0 || !(id = compose_service(ws, key, dirs))) {
        continue;
      }
      PartDigests& mine = out[id->value];
      if (want_compose) {
        mine[layers[i].file + "#services." + key] = cache::sha256_hex(part.block);
      }
      if (want_dotenv) {
        for (const std::string& variable : part.variables) {
          auto value = env.find(variable);
          // An unset variable and an empty one differ to Compose (`${V-default}`).
          mine[std::string(kDotenv) + "#" + variable] = cache::sha256_hex(
              value == env.end() ? std::string("\0unset", 6) : "=" + value->second);
        }
      }
    }
  }
}

// A lockfile's parts: each package's tree, as `trees` reads them.
void lock_parts(const graph::Workspace& ws, const ReadVersion& read, const std::string& file,
                const LockTrees& trees_of, std::vector<PartDigests>& out) {
  const std::optional<std::string> text = text_of(read, file);
  if (!text) {
    return;
  }
  Packages packages;
  for (const graph::ServiceSpec& s : ws.services()) {
    packages.emplace_back(s.dir, s.name);
  }
  auto trees = trees_of(*text, packages);
  if (!trees) {
    whole_file(out, file, *text);
    return;
  }
  for (const graph::ServiceSpec& s : ws.services()) {
    auto tree_of = trees->find(s.dir);
    if (tree_of != trees->end() && !tree_of->second.empty()) {
      const std::string& tree = tree_of->second;
      out[ws.graph().find(s.name)->value][file + "#" + (s.dir.str().empty() ? "." : s.dir.str())] =
          cache::sha256_hex(tree);
    }
  }
}

}  // namespace

ReadVersion work_tree_reader(const Filesystem& fs, const std::string& root) {
  return [&fs, root](const std::string& path) -> Result<std::optional<std::string>> {
    const std::string full = path_join(root, path);
    if (fs.kind(full) != FileKind::file) {
      return std::optional<std::string>();
    }
    auto text = fs.read_file(full);
    if (!text) {
      return tl::make_unexpected(text.error());
    }
    return std::optional<std::string>(std::move(*text));
  };
}

std::vector<std::string> shared_part_files(const graph::Workspace& ws) {
  std::vector<std::string> files;
  if (rule_on(ws, rules::kComposeRule)) {
    files = rules::compose_file_names();
    files.insert(files.end(), rules::compose_override_names().begin(),
                 rules::compose_override_names().end());
    files.push_back(kDotenv);
  }
  if (rule_on(ws, rules::kNodeRule)) {
    files.push_back(kNpmLock);
    files.push_back(kPnpmLock);
  }
  if (rule_on(ws, rules::kCargoRule)) {
    files.push_back(kCargoLock);
  }
  if (rule_on(ws, rules::kPythonRule)) {
    files.push_back(kUvLock);
  }
  return files;
}

std::vector<PartDigests> service_parts(const graph::Workspace& ws, const ReadVersion& read,
                                       const std::set<std::string>* files) {
  std::vector<PartDigests> out(ws.services().size());
  const std::vector<std::string> shared = shared_part_files(ws);
  auto wanted = [&](const std::string& file) {
    return std::find(shared.begin(), shared.end(), file) != shared.end() &&
           (files == nullptr || files->count(file) > 0);
  };
  bool want_compose = false;
  for (const auto* names : {&rules::compose_file_names(), &rules::compose_override_names()}) {
    for (const std::string& name : *names) {
      want_compose = want_compose || wanted(name);
    }
  }
  if (want_compose || wanted(kDotenv)) {
    compose_parts(ws, read, want_compose, wanted(kDotenv), out);
  }
  if (wanted(kNpmLock)) {
    lock_parts(ws, read, kNpmLock, by_directory(&rules::npm_lock_trees), out);
  }
  if (wanted(kPnpmLock)) {
    lock_parts(ws, read, kPnpmLock, by_directory(&rules::pnpm_lock_trees), out);
  }
  if (wanted(kCargoLock)) {
    lock_parts(ws, read, kCargoLock, &rules::cargo_lock_trees, out);
  }
  if (wanted(kUvLock)) {
    lock_parts(ws, read, kUvLock, &rules::uv_lock_trees, out);
  }
  return out;
}

}  // namespace ripple
