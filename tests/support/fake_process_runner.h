#pragma once

// A ProcessRunner for logic tests of what sits on top of one (the task executor): it records
// every process it is asked to start (command, directory, environment) and, instead of running
// the command, writes the files the test declared for it under the process's directory, then
// answers with the exit code and output the test chose. A command nobody declared is an error the
// test sees (exit 127 and a message in its output), never a silent success.
//
// Thread-safe, as ProcessRunner implementations must be.

#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "orchestrator/run/process_runner.h"

namespace ripple::testing {

class FakeProcessRunner final : public ProcessRunner {
 public:
  struct Behaviour {
    int exit_code = 0;
    std::string stdout_text;
    std::string stderr_text;
    std::map<std::string, std::string> files;  // written relative to the process's cwd
    unsigned mode = 0644;                      // of every file written
    bool timed_out = false;
  };

  // What the command `command` does from now on.
  void on(const std::string& command, Behaviour behaviour) {
    std::lock_guard lock(mutex_);
    behaviours_[command] = std::move(behaviour);
  }

  ProcessResult run(const ProcessSpec& spec, const std::atomic<bool>& cancel) override {
    Behaviour b;
    {
      std::lock_guard lock(mutex_);
      ProcessSpec recorded = spec;
      recorded.on_output = nullptr;
      runs_.push_back(std::move(recorded));
      auto it = behaviours_.find(spec.command);
      if (it == behaviours_.end()) {
        b.exit_code = 127;
        b.stderr_text = "FakeProcessRunner: no behaviour declared for '" + spec.command + "'\n";
      } else {
        b = it->second;
      }
    }
    for (const auto& [rel, content] : b.files) {
      write(spec.cwd + "/" + rel, content, b.mode);
    }
    ProcessResult r;
    r.exit_code = b.exit_code;
    r.timed_out = b.timed_out;
    r.cancelled = cancel.load();
    r.stdout_text = b.stdout_text;
    r.stderr_text = b.stderr_text;
    r.output = b.stdout_text + b.stderr_text;
    r.start_ns = 1'000'000'000;
    r.end_ns = 3'500'000'000;  // 2.5 s, as the cache remembers it
    if (spec.on_output) {
      if (!b.stdout_text.empty()) {
        spec.on_output(OutputStream::out, b.stdout_text);
      }
      if (!b.stderr_text.empty()) {
        spec.on_output(OutputStream::err, b.stderr_text);
      }
    }
    return r;
  }

  // Every process started so far, in order (without their output callbacks).
  std::vector<ProcessSpec> runs() const {
    std::lock_guard lock(mutex_);
    return runs_;
  }
  std::size_t run_count() const {
    std::lock_guard lock(mutex_);
    return runs_.size();
  }

 private:
  static void write(const std::string& path, const std::string& content, unsigned mode) {
    // Parent directories as a build would make them.
    for (std::size_t slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      mkdir(path.substr(0, slash).c_str(), 0755);
    }
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << content;
      if (!out) {
        throw std::runtime_error("FakeProcessRunner: cannot write " + path);
      }
    }
    chmod(path.c_str(), mode);
  }

  mutable std::mutex mutex_;
  std::map<std::string, Behaviour> behaviours_;
  std::vector<ProcessSpec> runs_;
};

}  // namespace ripple::testing
