#include "orchestrator/git/libgit2_handles.h"

#include <cstdlib>

namespace ripple::git {

std::string last_error() {
  const git_error* e = git_error_last();
  return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

std::string hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

namespace {

std::string config_value(git_repository* repo, const char* key, bool path) {
  std::string out;
  git_config* cfg = nullptr;
  if (git_repository_config_snapshot(&cfg, repo) == 0) {
    git_buf buf = GIT_BUF_INIT;
    if (path ? git_config_get_path(&buf, cfg, key) == 0
             : git_config_get_string_buf(&buf, cfg, key) == 0) {
      out = buf.ptr;
    }
    git_buf_dispose(&buf);
    git_config_free(cfg);
  }
  return out;
}

}  // namespace

std::string config_path(git_repository* repo, const char* key) {
  return config_value(repo, key, true);
}

std::string config_string(git_repository* repo, const char* key) {
  return config_value(repo, key, false);
}

std::string found(int (*find)(git_buf*)) {
  git_buf buf = GIT_BUF_INIT;
  std::string out = find(&buf) == 0 ? std::string(buf.ptr) : std::string();
  git_buf_dispose(&buf);
  return out;
}

std::string home_file(const char* xdg_relative) {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/" + xdg_relative;
  }
  const char* home = std::getenv("HOME");
  return home != nullptr ? std::string(home) + "/.config/" + xdg_relative : std::string();
}

Result<TreePtr> subtree(git_repository* repo, const git_tree* tree, const std::string& dir) {
  if (dir.empty()) {
    git_tree* copy = nullptr;
    if (git_tree_dup(&copy, const_cast<git_tree*>(tree)) != 0) {
      return environment_error("cannot copy a tree handle: " + last_error());
    }
    return TreePtr(copy);
  }
  git_tree_entry* raw = nullptr;
  if (git_tree_entry_bypath(&raw, tree, dir.c_str()) != 0) {
    return TreePtr();
  }
  EntryPtr entry(raw);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
    return TreePtr();
  }
  git_tree* sub = nullptr;
  if (git_tree_lookup(&sub, repo, git_tree_entry_id(entry.get())) != 0) {
    return environment_error("cannot read tree " + dir + ": " + last_error());
  }
  return TreePtr(sub);
}

Status record_all(git_repository* repo, const git_tree* tree, const std::string& base,
                  graph::ChangeKind kind, ChangeMap& out) {
  for (std::size_t i = 0, n = git_tree_entrycount(tree); i < n; ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(tree, i);
    std::string path = join(base, git_tree_entry_name(e));
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
      git_tree* raw = nullptr;
      if (git_tree_lookup(&raw, repo, git_tree_entry_id(e)) != 0) {
        return environment_error("cannot read tree " + path + ": " + last_error());
      }
      TreePtr sub(raw);
      if (auto st = record_all(repo, sub.get(), path, kind, out); !st) {
        return st;
      }
    } else {
      out[path] = kind;  // a file, a link or a submodule
    }
  }
  return {};
}

}  // namespace ripple::git
