#include "orchestrator/git/tracked_files.h"

#include <git2.h>

#include <algorithm>
#include <boost/filesystem.hpp>

#include "orchestrator/git/index_file.h"
#include "orchestrator/git/libgit2_handles.h"

namespace ripple::git {

std::optional<std::vector<std::string>> tracked_files_named(const std::string& dir,
                                                            std::string_view name) {
  return tracked_files_named(dir, std::span<const std::string_view>(&name, 1));
}

std::optional<std::vector<std::string>> tracked_files_named(
    const std::string& dir, std::span<const std::string_view> names) {
  static const int initialised = git_libgit2_init();
  (void)initialised;
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, dir.c_str(), 0, nullptr) != 0) {
    return std::nullopt;
  }
  RepoPtr repo(raw);
  const char* workdir = git_repository_workdir(repo.get());
  if (workdir == nullptr) {
    return std::nullopt;
  }
  boost::system::error_code ec;
  const auto top = boost::filesystem::canonical(workdir, ec);
  const auto here = ec ? top : boost::filesystem::canonical(dir, ec);
  if (ec) {
    return std::nullopt;
  }
  std::string prefix = here.lexically_relative(top).generic_string();
  if (prefix == ".") {
    prefix.clear();
  } else if (prefix.empty() || prefix.starts_with("..")) {
    return std::nullopt;
  } else {
    prefix += '/';
  }
  auto index = read_index_file(std::string(git_repository_path(repo.get())) + "index");
  if (!index) {
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const IndexEntry& e : index->entries) {
    const std::string_view path = e.path;
    if (e.stage() > 1 || !path.starts_with(prefix)) {
      continue;
    }
    const std::string_view rel = path.substr(prefix.size());
    const std::size_t slash = rel.rfind('/');
    const std::string_view last = slash == std::string_view::npos ? rel : rel.substr(slash + 1);
    if (std::find(names.begin(), names.end(), last) == names.end()) {
      continue;
    }
    if (out.empty() || out.back() != rel) {
      out.emplace_back(rel);
    }
  }
  return out;
}

}  // namespace ripple::git
