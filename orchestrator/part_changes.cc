#include "orchestrator/part_changes.h"

#include <algorithm>
#include <set>

#include "rules/compose.h"
#include "rules/discovery.h"
#include "rules/node_lockfile.h"
#include "rules/node_workspaces.h"

namespace ripple {
namespace {

// A file's two versions: at the base, and at the head (the work tree when it is compared).
// Nothing for a side where it does not exist; false when a side cannot be read.
bool read_both(const graph::ChangeSet& changes, const graph::ChangedFile& file, const Vcs& vcs,
               const Filesystem& fs, const std::string& root, std::optional<std::string>& before,
               std::optional<std::string>& after) {
  auto old_text = vcs.read_at(changes.merge_base, file.path);
  if (!old_text) {
    return false;
  }
  before = std::move(*old_text);
  after.reset();
  if (changes.includes_worktree) {
    if (fs.kind(path_join(root, file.path.str())) == FileKind::missing) {
      return true;
    }
    auto text = fs.read_file(path_join(root, file.path.str()));
    if (!text) {
      return false;
    }
    after = std::move(*text);
    return true;
  }
  auto new_text = vcs.read_at(changes.head, file.path);
  if (!new_text) {
    return false;
  }
  after = std::move(*new_text);
  return true;
}

// The Compose file's and .env's parts (rules/compose.h): the services whose block changed, or
// whose variables' values did. Services are found by their Compose names.
void compose_part_changes(const graph::Workspace& ws, const graph::ChangeSet& changes,
                          const Vcs& vcs, const Filesystem& fs, const std::string& root,
                          std::vector<graph::PartChange>& out) {
  auto service = [&](const std::string& name) { return ws.graph().find(name); };
  std::optional<std::string> compose_name;
  for (const std::string& name : rules::compose_file_names()) {
    if (fs.kind(path_join(root, name)) == FileKind::file) {
      compose_name = name;
      break;
    }
  }
  for (const graph::ChangedFile& file : changes.files) {
    const bool is_compose = compose_name && file.path.str() == *compose_name;
    if (!is_compose && file.path.str() != ".env") {
      continue;
    }
    std::optional<std::string> before;
    std::optional<std::string> after;
    if (!read_both(changes, file, vcs, fs, root, before, after)) {
      continue;
    }
    graph::PartChange part{file.path, {}};
    if (is_compose) {
      auto old_parts = rules::compose_parts(before.value_or(""));
      auto new_parts = rules::compose_parts(after.value_or(""));
      if (!old_parts || !new_parts) {
        continue;
      }
      std::set<std::string> touched;
      for (const auto& [name, p] : *new_parts) {
        auto was = old_parts->find(name);
        if (was == old_parts->end() || was->second.block != p.block) {
          touched.insert(name);
        }
      }
      for (const auto& [name, p] : *old_parts) {
        if (new_parts->count(name) == 0) {
          touched.insert(name);
        }
      }
      for (const std::string& name : touched) {
        if (auto id = service(name)) {
          part.services.push_back(*id);
        }
      }
    } else {
      if (!compose_name) {
        continue;
      }
      auto text = fs.read_file(path_join(root, *compose_name));
      auto parts = text ? rules::compose_parts(*text) : std::nullopt;
      if (!parts) {
        continue;
      }
      const auto old_env = rules::parse_dotenv(before.value_or(""));
      const auto new_env = rules::parse_dotenv(after.value_or(""));
      for (const auto& [name, p] : *parts) {
        bool moved = false;
        for (const std::string& variable : p.variables) {
          auto a = old_env.find(variable);
          auto b = new_env.find(variable);
          moved = moved || (a == old_env.end()) != (b == new_env.end()) ||
                  (a != old_env.end() && a->second != b->second);
        }
        if (auto id = service(name); moved && id) {
          part.services.push_back(*id);
        }
      }
    }
    std::sort(part.services.begin(), part.services.end());
    out.push_back(std::move(part));
  }
}

}  // namespace

std::vector<graph::PartChange> part_changes(const graph::Workspace& ws,
                                            const graph::ChangeSet& changes, const Vcs& vcs,
                                            const Filesystem& fs, const std::string& root) {
  std::vector<graph::PartChange> out;
  auto enabled = rules::enabled_rules(ws.config());
  if (!enabled) {
    return out;
  }
  auto on = [&](const char* rule) {
    return std::find(enabled->begin(), enabled->end(), rule) != enabled->end();
  };
  if (on(rules::kComposeRule)) {
    compose_part_changes(ws, changes, vcs, fs, root, out);
  }
  if (!on(rules::kNodeRule)) {
    return out;
  }
  for (const graph::ChangedFile& file : changes.files) {
    if (file.path.str() != "package-lock.json") {
      continue;
    }
    std::optional<std::string> before;
    std::optional<std::string> after;
    if (!read_both(changes, file, vcs, fs, root, before, after)) {
      continue;
    }
    std::vector<RepoPath> dirs;
    for (const auto& s : ws.services()) {
      dirs.push_back(s.dir);
    }
    auto changed = rules::npm_lock_changed_packages(
        before ? std::optional<std::string_view>(*before) : std::nullopt,
        after ? std::optional<std::string_view>(*after) : std::nullopt, dirs);
    if (!changed) {
      continue;
    }
    graph::PartChange part{file.path, {}};
    for (const auto& s : ws.services()) {
      if (std::find(changed->begin(), changed->end(), s.dir) != changed->end()) {
        part.services.push_back(*ws.graph().find(s.name));
      }
    }
    out.push_back(std::move(part));
  }
  return out;
}

}  // namespace ripple
