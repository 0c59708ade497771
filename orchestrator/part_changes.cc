#include "orchestrator/part_changes.h"

#include <algorithm>
#include <set>

#include "orchestrator/service_parts.h"

namespace ripple {
namespace {

// The parts of `parts` that come from `file`.
PartDigests parts_of_file(const PartDigests& parts, const std::string& file) {
  PartDigests out;
  for (auto it = parts.lower_bound(file); it != parts.end(); ++it) {
    const std::string& name = it->first;
    if (name.compare(0, file.size(), file) != 0) {
      break;
    }
    if (name.size() == file.size() || name[file.size()] == '#') {
      out.insert(*it);
    }
  }
  return out;
}

}  // namespace

std::vector<graph::PartChange> part_changes(const graph::Workspace& ws,
                                            const graph::ChangeSet& changes, const Vcs& vcs,
                                            const Filesystem& fs, const std::string& root) {
  const std::vector<std::string> shared = shared_part_files(ws);
  std::set<std::string> changed;
  for (const graph::ChangedFile& file : changes.files) {
    if (std::find(shared.begin(), shared.end(), file.path.str()) != shared.end()) {
      changed.insert(file.path.str());
    }
  }
  if (changed.empty()) {
    return {};
  }
  auto at_commit = [&vcs](const std::string& commit) -> ReadVersion {
    return [&vcs, commit](const std::string& path) -> Result<std::optional<std::string>> {
      auto repo_path = RepoPath::parse(path);
      if (!repo_path) {
        return tl::make_unexpected(repo_path.error());
      }
      return vcs.read_at(commit, *repo_path);
    };
  };
  const std::vector<PartDigests> before =
      service_parts(ws, at_commit(changes.merge_base), &changed);
  const std::vector<PartDigests> after = service_parts(
      ws, changes.includes_worktree ? work_tree_reader(fs, root) : at_commit(changes.head),
      &changed);
  std::vector<graph::PartChange> out;
  for (const graph::ChangedFile& file : changes.files) {
    if (changed.count(file.path.str()) == 0) {
      continue;
    }
    graph::PartChange part{file.path, {}};
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (parts_of_file(before[i], file.path.str()) != parts_of_file(after[i], file.path.str())) {
        part.services.push_back(ServiceId{static_cast<std::uint32_t>(i)});
      }
    }
    out.push_back(std::move(part));
  }
  return out;
}

}  // namespace ripple
