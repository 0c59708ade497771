#include "orchestrator/git/submodule_state.h"

#include <algorithm>
#include <vector>

#include "cache/digest.h"
#include "orchestrator/git/libgit2_handles.h"

namespace ripple::git {

std::optional<std::string> submodule_worktree_id(git_repository* repo, const std::string& path) {
  git_submodule* sm = nullptr;
  if (git_submodule_lookup(&sm, repo, path.c_str()) != 0) {
    return std::nullopt;
  }
  std::optional<std::string> id;
  git_repository* sub = nullptr;
  const git_oid* wd = git_submodule_wd_id(sm);
  if (wd != nullptr && git_submodule_open(&sub, sm) == 0) {
    id = hex(*wd);
    git_status_options opts = GIT_STATUS_OPTIONS_INIT;
    opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
                 GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    git_status_list* list = nullptr;
    if (git_status_list_new(&list, sub, &opts) == 0) {
      std::vector<std::pair<std::string, std::string>> changes;  // path, status and content
      const std::size_t n = git_status_list_entrycount(list);
      for (std::size_t i = 0; i < n; ++i) {
        const git_status_entry* e = git_status_byindex(list, i);
        const git_diff_delta* d =
            e->index_to_workdir != nullptr ? e->index_to_workdir : e->head_to_index;
        if (d == nullptr) {
          continue;
        }
        const char* p = d->new_file.path != nullptr ? d->new_file.path : d->old_file.path;
        std::string what = std::to_string(e->status);
        git_oid blob;
        std::string full = std::string(git_repository_workdir(sub)) + p;
        if (git_odb_hashfile(&blob, full.c_str(), GIT_OBJECT_BLOB) == 0) {
          what += " " + hex(blob);
        }
        changes.emplace_back(p, std::move(what));
      }
      git_status_list_free(list);
      if (!changes.empty()) {
        std::sort(changes.begin(), changes.end());
        cache::DigestBuilder b;
        b.field('v', "ripple-submodule-dirty-v1");
        for (const auto& [p, what] : changes) {
          b.field('p', p).field('s', what);
        }
        *id += "+dirty." + b.finish().hex();
      }
    }
    git_repository_free(sub);
  }
  git_submodule_free(sm);
  return id;
}

}  // namespace ripple::git
