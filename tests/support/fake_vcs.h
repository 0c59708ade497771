#pragma once

// A Vcs for logic tests: the refs that exist, the changes every query answers and the files of
// past commits are given by the test, and the queries asked are recorded. Listing files is not
// faked: it is an internal error, so a test that starts to depend on it fails loudly instead of
// passing on an empty answer.

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "orchestrator/inputs/vcs.h"

namespace ripple::testing {

class FakeVcs final : public Vcs {
 public:
  explicit FakeVcs(std::set<std::string> refs = {}) : refs_(std::move(refs)) {}

  // The files every scan_changes() answers with (sorted by path by the caller); merge_base and
  // head are set to fixed ids, base_ref to the query's.
  void set_changes(std::vector<graph::ChangedFile> files) { changes_ = std::move(files); }
  // The content of `path` at any commit (read_at); absent paths are "not there".
  void set_file_at_base(const std::string& path, std::string text) {
    files_at_base_[path] = std::move(text);
  }
  // The queries scan_changes() was asked, in order.
  const std::vector<ChangeQuery>& queries() const { return queries_; }

  bool ref_exists(const std::string& ref) const override { return refs_.count(ref) > 0; }

  Result<ChangeScan> scan_changes(const ChangeQuery& query,
                                  std::optional<FileListing> listing) const override {
    queries_.push_back(query);
    if (!changes_) {
      return internal_error("FakeVcs: scan_changes() is not faked");
    }
    if (listing) {
      return internal_error("FakeVcs: listing files is not faked");
    }
    if (!ref_exists(query.base_ref)) {
      return environment_error("base '" + query.base_ref + "' not found");
    }
    ChangeScan scan;
    scan.changes.files = *changes_;
    scan.changes.base_ref = query.base_ref;
    scan.changes.merge_base = std::string(40, 'b');
    scan.changes.head = std::string(40, 'h');
    scan.changes.includes_worktree = query.include_worktree && !query.head_ref;
    return scan;
  }
  Result<FileTable> files(cache::StatCache*, const ContentHasher&) const override {
    return internal_error("FakeVcs: files() is not faked");
  }
  Result<FileTable> recorded_files() const override {
    return internal_error("FakeVcs: recorded_files() is not faked");
  }
  Result<std::optional<std::string>> read_at(const std::string&,
                                             const RepoPath& path) const override {
    auto it = files_at_base_.find(path.str());
    if (it == files_at_base_.end()) {
      return std::optional<std::string>();
    }
    return std::optional<std::string>(it->second);
  }

 private:
  std::set<std::string> refs_;
  std::optional<std::vector<graph::ChangedFile>> changes_;
  std::map<std::string, std::string> files_at_base_;
  mutable std::vector<ChangeQuery> queries_;
};

}  // namespace ripple::testing
