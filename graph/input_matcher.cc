#include "graph/input_matcher.h"

#include <algorithm>

#include "graph/glob.h"

namespace ripple::graph {

InputPatterns::InputPatterns(const RepoPath& dir, const std::vector<std::string>& patterns) {
  for (const std::string& raw : patterns) {
    Pattern p;
    std::string_view text = raw;
    if (!text.empty() && text.front() == '!') {
      p.exclude = true;
      text.remove_prefix(1);
    }
    // "../proto/**" from services/web is "services/proto/**" from the root. A pattern that
    // climbs above the root cannot match anything in the workspace and is dropped.
    auto rooted = RepoPath::parse(dir.str().empty() ? std::string(text)
                                                    : dir.str() + "/" + std::string(text));
    if (!rooted) {
      continue;
    }
    p.glob = rooted->str();
    if (std::string_view g = p.glob; g.size() > 3 && g.ends_with("/**") &&
                                     !glob::has_wildcard(g.substr(0, g.size() - 3)) &&
                                     g.find('\\') == std::string_view::npos) {
      p.subtree = p.glob.substr(0, p.glob.size() - 3);
    }
    if (!p.exclude && !dir.is_root() &&
        !(p.glob.size() > dir.str().size() && p.glob.compare(0, dir.str().size(), dir.str()) == 0 &&
          p.glob[dir.str().size()] == '/')) {
      reaches_outside_ = true;
    }
    patterns_.push_back(std::move(p));
  }
}

bool InputPatterns::matches(std::string_view path) const {
  bool included = false;
  for (const Pattern& p : patterns_) {
    if (included == !p.exclude) {
      continue;  // this pattern cannot change the answer
    }
    const bool hit = p.subtree ? RepoPath::contains(*p.subtree, path) : glob::match(p.glob, path);
    if (hit) {
      included = !p.exclude;
    }
  }
  return included;
}

InputMatcher::InputMatcher(const Workspace& ws) {
  for (std::uint32_t i = 0; i < ws.services().size(); ++i) {
    const ServiceSpec& spec = ws.services()[i];
    by_dir_.emplace(spec.dir.str(), ServiceId{i});
    dirs_.push_back(spec.dir);
    std::vector<std::string>& outputs = outputs_.emplace_back();
    for (const auto& [name, task] : spec.tasks) {
      for (const std::string& g : task.outputs) {
        if (std::find(outputs.begin(), outputs.end(), g) == outputs.end()) {
          outputs.push_back(g);
        }
      }
    }
    inputs_.emplace_back(spec.dir, spec.inputs);
    if (inputs_.back().reaches_outside()) {
      reach_outside_.push_back(ServiceId{i});
    }
  }
  for (const auto& g : ws.config().ignore) {
    ignore_.push_back(g.value);
  }
  if (const std::string& dir = ws.config().cache.dir; !dir.empty() && dir.front() != '/') {
    if (auto rel = RepoPath::parse(dir); rel && !rel->is_root() && rel->str() != ".ripple" &&
                                         !rel->str().starts_with(".ripple/")) {
      cache_prefix_ = rel->str() + "/";
    }
  }
  for (const auto& g : ws.config().global_inputs) {
    global_.push_back(g.value);
  }
}

std::optional<ServiceId> InputMatcher::owner(std::string_view path) const {
  std::size_t slash = path.rfind('/');
  return owner_of_dir(slash == std::string_view::npos ? std::string_view() : path.substr(0, slash));
}

std::optional<ServiceId> InputMatcher::owner_of_dir(std::string_view dir) const {
  // Walk from the directory up to the root; the first service directory found is the innermost
  // one.
  while (true) {
    auto it = by_dir_.find(dir);
    if (it != by_dir_.end()) {
      return it->second;
    }
    if (dir.empty()) {
      return std::nullopt;
    }
    std::size_t slash = dir.rfind('/');
    dir = slash == std::string_view::npos ? std::string_view() : dir.substr(0, slash);
  }
}

std::vector<ServiceId> InputMatcher::services_for(const RepoPath& path) const {
  std::vector<ServiceId> out;
  services_for(path.str(), owner(path), out);
  return out;
}

bool InputMatcher::output(std::string_view path, std::optional<ServiceId> own) const {
  if (!own || outputs_[own->value].empty()) {
    return false;
  }
  std::string_view rel = RepoPath::relative(dirs_[own->value].str(), path);
  return std::any_of(outputs_[own->value].begin(), outputs_[own->value].end(),
                     [&](const std::string& g) { return glob::match(g, rel); });
}

void InputMatcher::services_for(std::string_view path, std::optional<ServiceId> own,
                                std::vector<ServiceId>& out) const {
  out.clear();
  if (output(path, own)) {
    return;
  }
  if (own && inputs_[own->value].matches(path)) {
    out.push_back(*own);
  }
  for (ServiceId id : reach_outside_) {
    // Inside its own directory a service takes only what it owns: a path under a nested
    // service belongs to that one, whatever the outer service's `**` says.
    if ((own && *own == id) || RepoPath::contains(dirs_[id.value].str(), path)) {
      continue;
    }
    if (inputs_[id.value].matches(path)) {
      out.push_back(id);
    }
  }
  if (out.size() > 1) {
    std::sort(out.begin(), out.end());
  }
}

std::optional<ServiceId> InputMatcher::config_of(const RepoPath& path) const {
  if (path.name() != "service.yaml") {
    return std::nullopt;
  }
  std::string_view p = path.str();
  std::size_t slash = p.rfind('/');
  auto it = by_dir_.find(slash == std::string_view::npos ? std::string_view() : p.substr(0, slash));
  if (it == by_dir_.end()) {
    return std::nullopt;
  }
  return it->second;
}

bool InputMatcher::ignored(std::string_view path) const {
  if (path.starts_with(".ripple/")) {
    return true;  // ripple's own state and cache, even if someone committed it
  }
  if (!cache_prefix_.empty() && path.starts_with(cache_prefix_)) {
    return true;  // a cache.dir inside the workspace: its own files would change every key
  }
  return std::any_of(ignore_.begin(), ignore_.end(),
                     [&](const std::string& g) { return glob::match(g, path); });
}

bool InputMatcher::global(std::string_view path) const {
  return std::any_of(global_.begin(), global_.end(),
                     [&](const std::string& g) { return glob::match(g, path); });
}

}  // namespace ripple::graph
