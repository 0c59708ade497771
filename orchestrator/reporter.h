#pragma once

// Where diagnostics and progress go. Commands never print warnings themselves: they hand them to
// a Reporter, so tests can collect them and CI output stays in one format. Implementations are
// thread-safe: tasks report from the scheduler's threads.

#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ripple {

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void warning(std::string_view message) = 0;
  virtual void error(std::string_view message) = 0;
  virtual void info(std::string_view message) = 0;
  // Text shown as it is (a task's log), without any prefix.
  virtual void raw(std::string_view text) = 0;
};

// Writes "ripple: warning: …" / "ripple: error: …" lines to a stream (stderr in the binary).
class StreamReporter final : public Reporter {
 public:
  explicit StreamReporter(std::ostream& out) : out_(out) {}
  void warning(std::string_view message) override;
  void error(std::string_view message) override;
  void info(std::string_view message) override;
  void raw(std::string_view text) override;

 private:
  std::ostream& out_;
  std::mutex mutex_;
};

// Keeps every message, for tests.
class CollectingReporter final : public Reporter {
 public:
  void warning(std::string_view message) override {
    std::lock_guard lock(mutex_);
    warnings.emplace_back(message);
  }
  void error(std::string_view message) override {
    std::lock_guard lock(mutex_);
    errors.emplace_back(message);
  }
  void info(std::string_view message) override {
    std::lock_guard lock(mutex_);
    infos.emplace_back(message);
  }
  void raw(std::string_view text) override {
    std::lock_guard lock(mutex_);
    raws.emplace_back(text);
  }

  std::vector<std::string> warnings;
  std::vector<std::string> errors;
  std::vector<std::string> infos;
  std::vector<std::string> raws;

 private:
  std::mutex mutex_;
};

}  // namespace ripple
