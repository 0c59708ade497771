#include "orchestrator/inputs/task_inputs.h"

#include <algorithm>
#include <map>

#include "graph/input_matcher.h"

namespace ripple {
namespace {

ServiceInputs select(const graph::Workspace& ws, const graph::InputMatcher& matcher,
                     const InputIndex& index, ServiceId service,
                     const std::vector<std::string>& patterns) {
  std::span<const InputFile> files = index.table.files();
  const RepoPath& dir = ws.service(service).dir;
  graph::InputPatterns globs(dir, patterns);
  // Unless a glob reaches outside, only the service's own subtree can match; the listing is
  // sorted by path, so that subtree is one run of it.
  std::size_t begin = 0;
  std::size_t end = files.size();
  if (!globs.reaches_outside() && !dir.is_root()) {
    const std::string prefix = dir.str() + "/";
    begin = static_cast<std::size_t>(
        std::lower_bound(files.begin(), files.end(), std::string_view(prefix),
                         [](const InputFile& f, std::string_view p) { return f.path < p; }) -
        files.begin());
    end = begin;
    while (end < files.size() && files[end].path.starts_with(prefix)) {
      ++end;
    }
  }
  ServiceInputs out;
  for (std::size_t i = begin; i < end; ++i) {
    std::string_view path = files[i].path;
    if (!globs.matches(path) || matcher.ignored(path) || matcher.global(path)) {
      continue;
    }
    std::optional<ServiceId> owner = matcher.owner(path);
    if (matcher.output(path, owner) ||
        (RepoPath::contains(dir.str(), path) && owner != service)) {
      continue;
    }
    out.files.push_back(i);
  }
  out.digest = inputs_digest(dir.str(), files, out.files, index.global_digest.hex());
  return out;
}

}  // namespace

std::vector<std::optional<ServiceInputs>> compute_task_inputs(const graph::Workspace& ws,
                                                              const graph::TaskGraph& tasks,
                                                              const InputIndex& index) {
  std::vector<std::optional<ServiceInputs>> out(tasks.size());
  std::optional<graph::InputMatcher> matcher;
  std::map<std::pair<std::uint32_t, std::vector<std::string>>, std::size_t> done;  // → TaskId
  for (std::uint32_t i = 0; i < tasks.size(); ++i) {
    const graph::TaskNode& node = tasks.node(graph::TaskId{i});
    const graph::TaskSpec& spec = ws.service(node.service).tasks.at(node.name);
    if (spec.inputs.empty()) {
      continue;
    }
    auto [it, fresh] = done.emplace(std::make_pair(node.service.value, spec.inputs), i);
    if (!fresh) {
      out[i] = out[it->second];
      continue;
    }
    if (!matcher) {
      matcher.emplace(ws);
    }
    out[i] = select(ws, *matcher, index, node.service, spec.inputs);
  }
  return out;
}

const ServiceInputs& inputs_of_task(const InputIndex& index,
                                    std::span<const std::optional<ServiceInputs>> own,
                                    const graph::TaskGraph& tasks, graph::TaskId id) {
  if (id.value < own.size() && own[id.value]) {
    return *own[id.value];
  }
  return index.services[tasks.node(id).service.value];
}

ServiceInputs task_input_files(const graph::Workspace& ws, const InputIndex& index,
                               ServiceId service, const std::vector<std::string>& patterns) {
  graph::InputMatcher matcher(ws);
  return select(ws, matcher, index, service, patterns);
}

}  // namespace ripple
