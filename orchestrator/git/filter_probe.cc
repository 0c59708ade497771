#include "orchestrator/git/filter_probe.h"

#include <sys/stat.h>

#include <optional>

namespace ripple::git {
namespace {

constexpr std::string_view kAttributes = ".gitattributes";

bool exists(const std::string& path) {
  struct stat st;
  return !path.empty() && lstat(path.c_str(), &st) == 0;
}

// The directory part of `path` ("" at the root) when its last component is .gitattributes.
std::optional<std::string_view> attributes_dir(std::string_view path) {
  std::size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base != kAttributes) {
    return std::nullopt;
  }
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

// Every file libgit2 reads attributes from besides the work tree and the index.
bool global_attributes(git_repository* repo) {
  std::string system;
  git_buf buf = GIT_BUF_INIT;
  if (git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, &buf) == 0 &&
      buf.ptr != nullptr) {
    system = buf.ptr;
  }
  git_buf_dispose(&buf);
  for (std::size_t start = 0; start <= system.size();) {
    std::size_t end = system.find(GIT_PATH_LIST_SEPARATOR, start);
    end = end == std::string::npos ? system.size() : end;
    if (end > start && exists(system.substr(start, end - start) + "/gitattributes")) {
      return true;
    }
    start = end + 1;
  }
  std::string user = config_path(repo, "core.attributesfile");
  return exists(std::string(git_repository_commondir(repo)) + "info/attributes") ||
         exists(user.empty() ? home_file("git/attributes") : user);
}

}  // namespace

void FilterProbe::look() const {
  const char* workdir = git_repository_workdir(repo_);
  std::string autocrlf = config_string(repo_, "core.autocrlf");
  if (workdir == nullptr || !snap_.prefix_slash.empty() ||
      (!autocrlf.empty() && autocrlf != "false") || global_attributes(repo_)) {
    return;  // everywhere_ stays true
  }
  workdir_ = workdir;
  for (const IndexEntry& e : snap_.entries) {
    if (auto dir = attributes_dir(e.path)) {
      tracked_.emplace(*dir);
    }
  }
  for (const auto* paths : {&snap_.conflicted, &snap_.intent_to_add}) {
    for (const std::string& p : *paths) {
      if (auto dir = attributes_dir(p)) {
        tracked_.emplace(*dir);
      }
    }
  }
  everywhere_ = false;
}

bool FilterProbe::may_filter(std::string_view repo_path) const {
  std::call_once(looked_, [this] { look(); });
  if (everywhere_) {
    return true;
  }
  std::lock_guard lock(mutex_);
  // The root, then every directory down to the file's own.
  for (std::size_t end = 0; end != std::string_view::npos;
       end = repo_path.find('/', end == 0 ? 0 : end + 1)) {
    std::string dir(repo_path.substr(0, end));
    if (tracked_.count(dir) > 0) {
      return true;
    }
    auto [it, fresh] = on_disk_.try_emplace(dir, false);
    if (fresh) {
      it->second = exists(workdir_ + dir + (dir.empty() ? "" : "/") + std::string(kAttributes));
    }
    if (it->second) {
      return true;
    }
  }
  return false;
}

}  // namespace ripple::git
