#include "orchestrator/service_parts.h"

#include <algorithm>
#include <functional>

#include "cache/digest.h"
#include "rules/cargo.h"
#include "rules/compose.h"
#include "rules/discovery.h"
#include "rules/file_parts.h"
#include "rules/node_lockfile.h"
#include "rules/node_workspaces.h"
#include "rules/pnpm_lockfile.h"
#include "rules/pyproject.h"
#include "rules/yarn_lockfile.h"

namespace ripple {
namespace {

constexpr const char* kDotenv = ".env";
constexpr const char* kNpmLock = "package-lock.json";
constexpr const char* kPnpmLock = "pnpm-lock.yaml";
constexpr const char* kYarnLock = "yarn.lock";
constexpr const char* kCargoLock = "Cargo.lock";
constexpr const char* kUvLock = "uv.lock";

// The text of `path` in this version; nothing when it is absent or unreadable.
std::optional<std::string> text_of(const ReadVersion& read, const std::string& path) {
  auto text = read(path);
  if (!text || !*text) {
    return std::nullopt;
  }
  return std::move(**text);
}

// Each package's tree in a lockfile's text, for the services given as (directory, name), with
// the reader of the lockfile's version for the files beside it that the reading needs.
using Packages = std::vector<std::pair<RepoPath, std::string>>;
using Trees = std::optional<std::map<RepoPath, std::string>>;
using LockTrees = std::function<Trees(std::string_view, const Packages&, const ReadVersion&)>;

// A reader of lockfiles that knows packages by directory only.
LockTrees by_directory(Trees (*trees)(std::string_view, const std::vector<RepoPath>&)) {
  return [trees](std::string_view text, const Packages& packages, const ReadVersion&) {
    std::vector<RepoPath> dirs;
    for (const auto& [dir, name] : packages) {
      dirs.push_back(dir);
    }
    return trees(text, dirs);
  };
}

// A reader of lockfiles that knows packages by (directory, name).
LockTrees by_name(Trees (*trees)(std::string_view, const Packages&)) {
  return [trees](std::string_view text, const Packages& packages, const ReadVersion&) {
    return trees(text, packages);
  };
}

// yarn.lock: classic's trees start from each package's package.json, of the lockfile's version.
Trees yarn_trees(std::string_view text, const Packages& packages, const ReadVersion& read) {
  std::vector<rules::YarnPackage> yarn;
  for (const auto& [dir, name] : packages) {
    yarn.push_back({dir, text_of(read, path_join(dir.str(), "package.json"))});
  }
  return rules::yarn_lock_trees(text, yarn);
}

// The lockfiles read per package, and the rule that reads each.
struct Lockfile {
  const char* file;
  const char* rule;
  LockTrees trees;
};

const std::vector<Lockfile>& lockfiles() {
  static const std::vector<Lockfile> all = {
      {kNpmLock, rules::kNodeRule, by_directory(&rules::npm_lock_trees)},
      {kPnpmLock, rules::kNodeRule, by_directory(&rules::pnpm_lock_trees)},
      {kYarnLock, rules::kNodeRule, &yarn_trees},
      {kCargoLock, rules::kCargoRule, by_name(&rules::cargo_lock_trees)},
      {kUvLock, rules::kPythonRule, by_name(&rules::uv_lock_trees)},
  };
  return all;
}

bool rule_on(const graph::Workspace& ws, const char* rule) {
  auto enabled = rules::enabled_rules(ws.config());
  return enabled && std::find(enabled->begin(), enabled->end(), rule) != enabled->end();
}

// Whether `rule`'s parts apply to `s` (its service.yaml's `discover:`).
bool applies(const graph::ServiceSpec& s, const char* rule) {
  return !s.rules || std::find(s.rules->begin(), s.rules->end(), rule) != s.rules->end();
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
      if (built.count(key) == 0 || !(id = compose_service(ws, key, dirs)) ||
          !applies(ws.service(*id), rules::kComposeRule)) {
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
                const char* rule, const LockTrees& trees_of, std::vector<PartDigests>& out) {
  const std::optional<std::string> text = text_of(read, file);
  if (!text) {
    return;
  }
  Packages packages;
  for (const graph::ServiceSpec& s : ws.services()) {
    packages.emplace_back(s.dir, s.name);
  }
  auto trees = trees_of(*text, packages, read);
  if (!trees) {
    whole_file(out, file, *text);
    return;
  }
  for (const graph::ServiceSpec& s : ws.services()) {
    auto tree_of = trees->find(s.dir);
    if (tree_of != trees->end() && !tree_of->second.empty() && applies(s, rule)) {
      const std::string& tree = tree_of->second;
      out[ws.graph().find(s.name)->value][file + "#" + (s.dir.str().empty() ? "." : s.dir.str())] =
          cache::sha256_hex(tree);
    }
  }
}

// The parts services name in their `inputs:` ("compose.yaml#services.cart", ".env#CART_*"):
// what rules::file_parts selects, by digest; a file that is not there, a part of no content; one
// that does not parse, the whole file's digest.
void explicit_parts(const graph::Workspace& ws, const ReadVersion& read,
                    const std::function<bool(const std::string&)>& wanted,
                    std::vector<PartDigests>& out) {
  std::map<std::string, std::optional<std::string>> texts;
  for (std::size_t i = 0; i < ws.services().size(); ++i) {
    for (const graph::LocatedString& input : ws.services()[i].part_inputs) {
      const std::size_t hash = input.value.find('#');
      const std::string file = input.value.substr(0, hash);
      if (!wanted(file)) {
        continue;
      }
      auto text = texts.find(file);
      if (text == texts.end()) {
        text = texts.emplace(file, text_of(read, file)).first;
      }
      if (!text->second) {
        out[i][input.value] = cache::sha256_hex(std::string("\0absent", 7));
        continue;
      }
      auto parts = rules::file_parts(*text->second, file, input.value.substr(hash + 1));
      if (!parts) {
        out[i][file] = cache::sha256_hex(*text->second);
        continue;
      }
      for (const auto& [name, content] : *parts) {
        out[i][name] = cache::sha256_hex(content);
      }
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
  for (const Lockfile& lock : lockfiles()) {
    if (rule_on(ws, lock.rule)) {
      files.push_back(lock.file);
    }
  }
  for (const graph::ServiceSpec& s : ws.services()) {
    for (const graph::LocatedString& input : s.part_inputs) {
      std::string file = input.value.substr(0, input.value.find('#'));
      if (std::find(files.begin(), files.end(), file) == files.end()) {
        files.push_back(std::move(file));
      }
    }
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
  for (const Lockfile& lock : lockfiles()) {
    if (wanted(lock.file)) {
      lock_parts(ws, read, lock.file, lock.rule, lock.trees, out);
    }
  }
  explicit_parts(ws, read, wanted, out);
  return out;
}

}  // namespace ripple
