#include "rules/yarn_lockfile.h"

#include <yaml-cpp/yaml.h>

#include <deque>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

namespace ripple::rules {
namespace {

using Dependencies = std::vector<std::pair<std::string, std::string>>;  // name, range

// One resolved package of either format.
struct Entry {
  std::string resolved;  // what its tree line says of it: version and integrity or checksum
  Dependencies dependencies;
  bool workspace = false;  // berry: a workspace package (resolved `@workspace:`)
  std::string workspace_dir;
};

struct Lockfile {
  std::vector<Entry> entries;
  std::map<std::string, std::size_t> by_descriptor;  // "name@range" → entry
  bool berry = false;
};

// --- yarn classic -----------------------------------------------------------------------------

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// A token of a v1 line at `line[i]`: a JSON-quoted string, or a bare word (yarn quotes any
// string holding whitespace, ':', ',', quotes or brackets). False when there is none.
bool read_token(std::string_view line, std::size_t& i, std::string& out) {
  out.clear();
  if (i >= line.size()) {
    return false;
  }
  if (line[i] != '"') {
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i]) && line[i] != ',' && line[i] != ':') {
      ++i;
    }
    out = line.substr(start, i - start);
    return !out.empty();
  }
  for (++i; i < line.size(); ++i) {
    if (line[i] == '"') {
      ++i;
      return true;
    }
    if (line[i] == '\\' && i + 1 < line.size()) {
      ++i;
      const char c = line[i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
      continue;
    }
    out += line[i];
  }
  return false;  // unterminated
}

void skip_spaces(std::string_view line, std::size_t& i) {
  while (i < line.size() && is_space(line[i])) {
    ++i;
  }
}

// The v1 format: a top-level line `desc, desc:` opens an entry; a line indented by two is a field
// (`key value`) or opens a block (`key:`); lines indented by four are the block's `name range`.
std::optional<Lockfile> parse_classic(std::string_view text) {
  Lockfile lock;
  std::string block;  // the open level-1 block's key
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    std::size_t i = 0;
    while (i < line.size() && line[i] == ' ') {
      ++i;
    }
    if (i == line.size() || line[i] == '#' || line.find_first_not_of(" \t\r") == line.npos) {
      continue;
    }
    if (i % 2 != 0 || line[i] == '\t') {
      return std::nullopt;
    }
    const std::size_t level = i / 2;
    std::string key;
    if (level == 0) {
      lock.entries.emplace_back();
      block.clear();
      while (true) {
        if (!read_token(line, i, key)) {
          return std::nullopt;
        }
        lock.by_descriptor[key] = lock.entries.size() - 1;
        skip_spaces(line, i);
        if (i < line.size() && line[i] == ',') {
          ++i;
          skip_spaces(line, i);
          continue;
        }
        if (i < line.size() && line[i] == ':') {
          ++i;
          skip_spaces(line, i);
          if (i == line.size()) {
            break;
          }
        }
        return std::nullopt;
      }
      continue;
    }
    if (lock.entries.empty() || !read_token(line, i, key)) {
      return std::nullopt;
    }
    if (i < line.size() && line[i] == ':') {
      ++i;
    }
    skip_spaces(line, i);
    std::string value;
    const bool opens_block = i == line.size();
    if (!opens_block && (!read_token(line, i, value) || (skip_spaces(line, i), i != line.size()))) {
      return std::nullopt;
    }
    Entry& entry = lock.entries.back();
    if (level == 1) {
      block = opens_block ? key : std::string();
      if (key == "version" || key == "resolved" || key == "integrity") {
        entry.resolved += key + "=" + value + " ";
      }
    } else if (level == 2 && !opens_block &&
               (block == "dependencies" || block == "optionalDependencies")) {
      entry.dependencies.emplace_back(key, value);
    } else if (level == 2 && block.empty()) {
      return std::nullopt;  // indented under a field, not a block
    }
  }
  return lock;
}

// --- yarn berry -------------------------------------------------------------------------------

std::string scalar(const YAML::Node& node) {
  return node && node.IsScalar() ? node.Scalar() : std::string();
}

std::optional<Lockfile> parse_berry(std::string_view text) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
  const YAML::Node& root = doc;  // const: a missing key is looked up, never added
  if (!root.IsMap() || !root["__metadata"]) {
    return std::nullopt;
  }
  Lockfile lock;
  lock.berry = true;
  for (const auto& item : root) {
    const std::string keys = scalar(item.first);
    const YAML::Node& value = item.second;
    if (keys == "__metadata" || !value.IsMap()) {
      continue;
    }
    Entry entry;
    const std::string resolution = scalar(value["resolution"]);
    entry.resolved = resolution + " " + scalar(value["checksum"]);
    // "@acme/ui@workspace:packages/ui": the '@' before the protocol is not a scope's.
    if (const std::size_t at = resolution.find("@workspace:", 1); at != std::string::npos) {
      entry.workspace = true;
      entry.workspace_dir = resolution.substr(at + std::string("@workspace:").size());
    }
    // Berry lists optional dependencies here too (with `dependenciesMeta`); its
    // `peerDependencies` are ranges a parent provides, not resolved here.
    if (const YAML::Node& deps = value["dependencies"]; deps && deps.IsMap()) {
      for (const auto& dep : deps) {
        entry.dependencies.emplace_back(scalar(dep.first), scalar(dep.second));
      }
    }
    lock.entries.push_back(std::move(entry));
    for (std::size_t start = 0; start <= keys.size();) {
      std::size_t comma = keys.find(',', start);
      if (comma == std::string::npos) {
        comma = keys.size();
      }
      std::string descriptor = keys.substr(start, comma - start);
      descriptor.erase(0, descriptor.find_first_not_of(' '));
      lock.by_descriptor[descriptor] = lock.entries.size() - 1;
      start = comma + 1;
    }
  }
  return lock;
}

// --- trees --------------------------------------------------------------------------------------

const Entry* find(const Lockfile& lock, const std::string& name, const std::string& range) {
  auto it = lock.by_descriptor.find(name + "@" + range);
  // Yarn 2's lockfiles (version 4) write an npm range without the protocol its keys carry.
  if (it == lock.by_descriptor.end() && lock.berry && range.find(':') == std::string::npos) {
    it = lock.by_descriptor.find(name + "@npm:" + range);
  }
  return it == lock.by_descriptor.end() ? nullptr : &lock.entries[it->second];
}

std::set<std::string> tree_of(const Lockfile& lock, const Dependencies& roots,
                              const std::set<std::string>& workspace_names) {
  std::set<std::string> out;
  std::deque<std::pair<std::string, std::string>> queue(roots.begin(), roots.end());
  std::set<const Entry*> seen;
  while (!queue.empty()) {
    auto [name, range] = queue.front();
    queue.pop_front();
    const Entry* entry = find(lock, name, range);
    if ((entry == nullptr && workspace_names.count(name) > 0) ||
        (entry != nullptr && entry->workspace)) {
      out.insert(name + " -> workspace");
      continue;
    }
    if (entry == nullptr) {
      out.insert(name + "@" + range + " missing");
      continue;
    }
    out.insert(name + " " + entry->resolved);
    if (seen.insert(entry).second) {
      queue.insert(queue.end(), entry->dependencies.begin(), entry->dependencies.end());
    }
  }
  return out;
}

// A v1 package's roots: its package.json's ranges; nothing when it does not parse.
std::optional<Dependencies> manifest_dependencies(const nlohmann::json& manifest) {
  if (!manifest.is_object()) {
    return std::nullopt;
  }
  Dependencies out;
  for (const char* kind :
       {"dependencies", "devDependencies", "optionalDependencies", "peerDependencies"}) {
    auto deps = manifest.find(kind);
    if (deps == manifest.end() || !deps->is_object()) {
      continue;
    }
    for (const auto& [name, range] : deps->items()) {
      if (range.is_string()) {
        out.emplace_back(name, range.get<std::string>());
      }
    }
  }
  return out;
}

std::string lines_of(const std::set<std::string>& tree) {
  std::string out;
  for (const std::string& line : tree) {
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace

std::optional<std::map<RepoPath, std::string>> yarn_lock_trees(
    std::string_view text, const std::vector<YarnPackage>& packages) {
  std::optional<Lockfile> lock = parse_berry(text);
  if (!lock) {
    lock = parse_classic(text);
  }
  if (!lock) {
    return std::nullopt;
  }
  std::vector<std::optional<nlohmann::json>> manifests;
  std::set<std::string> workspace_names;
  for (const YarnPackage& package : packages) {
    manifests.emplace_back();
    if (package.manifest) {
      manifests.back() = nlohmann::json::parse(*package.manifest, nullptr, false);
      if (manifests.back()->is_object() && manifests.back()->contains("name") &&
          (*manifests.back())["name"].is_string()) {
        workspace_names.insert((*manifests.back())["name"].get<std::string>());
      }
    }
  }
  std::map<RepoPath, std::string> out;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    const RepoPath& dir = packages[i].dir;
    std::string& tree = out[dir];
    if (lock->berry) {
      const std::string key = dir.str().empty() ? "." : dir.str();
      for (const Entry& entry : lock->entries) {
        if (entry.workspace && entry.workspace_dir == key) {
          tree = lines_of(tree_of(*lock, entry.dependencies, workspace_names));
          break;
        }
      }
      continue;
    }
    if (!manifests[i]) {
      continue;
    }
    if (auto roots = manifest_dependencies(*manifests[i])) {
      tree = lines_of(tree_of(*lock, *roots, workspace_names));
    } else {
      tree = "package.json unreadable\n" + std::string(text);
    }
  }
  return out;
}

}  // namespace ripple::rules
