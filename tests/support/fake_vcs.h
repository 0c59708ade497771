#pragma once

// A Vcs for logic tests that only ask which refs exist (choose_base): the refs are a set given
// by the test. Every other question is an internal error, so a test that starts to depend on one
// fails loudly instead of passing on an empty answer.

#include <set>
#include <string>
#include <utility>

#include "orchestrator/inputs/vcs.h"

namespace ripple::testing {

class FakeVcs final : public Vcs {
 public:
  explicit FakeVcs(std::set<std::string> refs = {}) : refs_(std::move(refs)) {}

  bool ref_exists(const std::string& ref) const override { return refs_.count(ref) > 0; }

  Result<graph::ChangeSet> changes(const ChangeQuery&) const override {
    return internal_error("FakeVcs: changes() is not faked");
  }
  Result<FileTable> files(cache::StatCache*, const ContentHasher&) const override {
    return internal_error("FakeVcs: files() is not faked");
  }
  Result<FileTable> recorded_files() const override {
    return internal_error("FakeVcs: recorded_files() is not faked");
  }
  Result<std::optional<std::string>> read_at(const std::string&, const RepoPath&) const override {
    return internal_error("FakeVcs: read_at() is not faked");
  }

 private:
  std::set<std::string> refs_;
};

}  // namespace ripple::testing
