#include "graph/service_graph.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <queue>

namespace ripple::graph {

ServiceGraph::ServiceGraph(std::vector<std::string> names, std::vector<std::vector<ServiceId>> deps)
    : names_(std::move(names)), deps_(std::move(deps)) {
  deps_.resize(names_.size());
  dependents_.resize(names_.size());
  for (std::uint32_t i = 0; i < names_.size(); ++i) {
    by_name_.emplace(names_[i], ServiceId{i});
    auto& d = deps_[i];
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
    for (ServiceId dep : d) {
      dependents_[dep.value].push_back(ServiceId{i});
    }
  }
  // dependents_ were appended in increasing i, so they are already sorted.
  compute_components();
  compute_topo_order();
}

std::optional<ServiceId> ServiceGraph::find(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  if (it == by_name_.end()) {
    return std::nullopt;
  }
  return it->second;
}

// Tarjan's strongly connected components, iteratively, so that a long chain of services cannot
// overflow the stack.
void ServiceGraph::compute_components() {
  const std::uint32_t n = static_cast<std::uint32_t>(names_.size());
  constexpr std::uint32_t kUnvisited = UINT32_MAX;
  std::vector<std::uint32_t> index(n, kUnvisited);
  std::vector<std::uint32_t> low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<std::uint32_t> stack;
  component_.assign(n, 0);
  std::uint32_t next_index = 0;

  struct Frame {
    std::uint32_t node;
    std::size_t edge;
  };
  for (std::uint32_t root = 0; root < n; ++root) {
    if (index[root] != kUnvisited) {
      continue;
    }
    std::vector<Frame> frames{{root, 0}};
    index[root] = low[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!frames.empty()) {
      Frame& f = frames.back();
      const auto& edges = deps_[f.node];
      if (f.edge < edges.size()) {
        std::uint32_t next = edges[f.edge++].value;
        if (index[next] == kUnvisited) {
          index[next] = low[next] = next_index++;
          stack.push_back(next);
          on_stack[next] = true;
          frames.push_back({next, 0});
        } else if (on_stack[next]) {
          low[f.node] = std::min(low[f.node], index[next]);
        }
        continue;
      }
      std::uint32_t node = f.node;
      frames.pop_back();
      if (!frames.empty()) {
        low[frames.back().node] = std::min(low[frames.back().node], low[node]);
      }
      if (low[node] == index[node]) {
        std::vector<ServiceId> members;
        std::uint32_t member = 0;
        do {
          member = stack.back();
          stack.pop_back();
          on_stack[member] = false;
          component_[member] = static_cast<std::uint32_t>(components_.size());
          members.push_back(ServiceId{member});
        } while (member != node);
        std::sort(members.begin(), members.end());
        components_.push_back(std::move(members));
      }
    }
  }
  for (const auto& members : components_) {
    const auto& first_deps = deps_[members.front().value];
    bool self_edge = std::binary_search(first_deps.begin(), first_deps.end(), members.front());
    if (members.size() > 1 || self_edge) {
      cycles_.push_back(members);
    }
  }
  std::sort(cycles_.begin(), cycles_.end(),
            [](const auto& a, const auto& b) { return a.front() < b.front(); });
}

// Kahn's algorithm over the condensation; a component is keyed by its smallest member so that
// the order does not depend on the order Tarjan happened to find components in.
void ServiceGraph::compute_topo_order() {
  const std::size_t c = components_.size();
  std::vector<std::size_t> pending(c, 0);
  std::vector<std::vector<std::uint32_t>> comp_dependents(c);
  for (std::uint32_t i = 0; i < names_.size(); ++i) {
    for (ServiceId dep : deps_[i]) {
      std::uint32_t from = component_[dep.value];
      std::uint32_t to = component_[i];
      if (from != to) {
        comp_dependents[from].push_back(to);
        ++pending[to];
      }
    }
  }
  using Entry = std::pair<ServiceId, std::uint32_t>;  // (smallest member, component)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> ready;
  for (std::uint32_t k = 0; k < c; ++k) {
    if (pending[k] == 0) {
      ready.push({components_[k].front(), k});
    }
  }
  topo_.reserve(names_.size());
  while (!ready.empty()) {
    auto [first, k] = ready.top();
    ready.pop();
    for (ServiceId member : components_[k]) {
      topo_.push_back(member);
    }
    for (std::uint32_t next : comp_dependents[k]) {
      if (--pending[next] == 0) {
        ready.push({components_[next].front(), next});
      }
    }
  }
}

std::vector<ServiceId> ServiceGraph::cycle_path(std::span<const ServiceId> component) const {
  if (component.empty()) {
    return {};
  }
  ServiceId start = *std::min_element(component.begin(), component.end());
  std::uint32_t comp = component_[start.value];
  // Breadth-first search inside the component for the shortest way back to `start`.
  std::vector<std::int64_t> parent(names_.size(), -1);
  std::deque<ServiceId> queue{start};
  std::vector<bool> seen(names_.size(), false);
  seen[start.value] = true;
  while (!queue.empty()) {
    ServiceId node = queue.front();
    queue.pop_front();
    for (ServiceId next : deps_[node.value]) {
      if (component_[next.value] != comp) {
        continue;
      }
      if (next == start) {
        std::vector<ServiceId> path{start};
        for (ServiceId at = node; at != start;
             at = ServiceId{static_cast<std::uint32_t>(parent[at.value])}) {
          path.push_back(at);
        }
        path.push_back(start);
        std::reverse(path.begin() + 1, path.end() - 1);
        return path;
      }
      if (!seen[next.value]) {
        seen[next.value] = true;
        parent[next.value] = node.value;
        queue.push_back(next);
      }
    }
  }
  return {start};
}

std::vector<ServiceId> ServiceGraph::closure(
    std::span<const ServiceId> seeds, const std::vector<std::vector<ServiceId>>& edges) const {
  std::vector<bool> seen(names_.size(), false);
  std::vector<ServiceId> work;
  for (ServiceId seed : seeds) {
    if (!seen[seed.value]) {
      seen[seed.value] = true;
      work.push_back(seed);
    }
  }
  while (!work.empty()) {
    ServiceId node = work.back();
    work.pop_back();
    for (ServiceId next : edges[node.value]) {
      if (!seen[next.value]) {
        seen[next.value] = true;
        work.push_back(next);
      }
    }
  }
  std::vector<ServiceId> out;
  for (std::uint32_t i = 0; i < seen.size(); ++i) {
    if (seen[i]) {
      out.push_back(ServiceId{i});
    }
  }
  return out;
}

std::vector<ServiceId> ServiceGraph::transitive_deps(std::span<const ServiceId> seeds) const {
  return closure(seeds, deps_);
}

std::vector<ServiceId> ServiceGraph::transitive_dependents(std::span<const ServiceId> seeds) const {
  return closure(seeds, dependents_);
}

}  // namespace ripple::graph
