#pragma once

// ContentHasher wrappers for tests of the hashing pass: one counts (and names) the files it was
// asked to read, one fails for chosen files the way an unreadable file would, one makes a file
// vanish just before it is read. Each delegates the real work to another hasher. Thread-safe,
// like the hashers they wrap.

#include <algorithm>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "orchestrator/inputs/content_hasher.h"

namespace ripple::testing {

class CountingHasher final : public ContentHasher {
 public:
  explicit CountingHasher(const ContentHasher& inner) : inner_(inner) {}

  Result<std::string> content_id(const std::string& path, bool symlink) const override {
    {
      std::lock_guard lock(mutex_);
      paths_.push_back(path);
    }
    return inner_.content_id(path, symlink);
  }

  std::size_t calls() const {
    std::lock_guard lock(mutex_);
    return paths_.size();
  }

  // The absolute paths asked for so far, sorted.
  std::vector<std::string> paths() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out = paths_;
    std::sort(out.begin(), out.end());
    return out;
  }

  void reset() {
    std::lock_guard lock(mutex_);
    paths_.clear();
  }

 private:
  const ContentHasher& inner_;
  mutable std::mutex mutex_;
  mutable std::vector<std::string> paths_;
};

// Fails, as an unreadable file does, for every path ending with `suffix`; delegates otherwise.
class FaultyHasher final : public ContentHasher {
 public:
  FaultyHasher(const ContentHasher& inner, std::string suffix)
      : inner_(inner), suffix_(std::move(suffix)) {}

  Result<std::string> content_id(const std::string& path, bool symlink) const override {
    if (path.size() >= suffix_.size() &&
        path.compare(path.size() - suffix_.size(), suffix_.size(), suffix_) == 0) {
      return environment_error("cannot read " + path + ": Input/output error");
    }
    return inner_.content_id(path, symlink);
  }

 private:
  const ContentHasher& inner_;
  std::string suffix_;
};

// Deletes the file at every path ending with `suffix` just before delegating, so the wrapped
// hasher meets a file that was listed and stat'ed but is gone when it is read.
class VanishingHasher final : public ContentHasher {
 public:
  VanishingHasher(const ContentHasher& inner, std::string suffix)
      : inner_(inner), suffix_(std::move(suffix)) {}

  Result<std::string> content_id(const std::string& path, bool symlink) const override {
    if (path.size() >= suffix_.size() &&
        path.compare(path.size() - suffix_.size(), suffix_.size(), suffix_) == 0) {
      std::remove(path.c_str());
    }
    return inner_.content_id(path, symlink);
  }

 private:
  const ContentHasher& inner_;
  std::string suffix_;
};

}  // namespace ripple::testing
