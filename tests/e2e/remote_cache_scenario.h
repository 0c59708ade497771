#pragma once

// The scenario the remote cache tests share, whatever the server (remote_cache_e2e_test.cc:
// nginx over Bazel's HTTP protocol; remote_cache_turbo_e2e_test.cc: turborepo-remote-cache):
// a workspace of three services, runners that are fresh clones of it, and what to compare.

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/git_repo.h"

namespace ripple::testing {

// taskId → "status/SOURCE" from a --summary file.
inline std::map<std::string, std::string> summary_sources(const std::string& file) {
  std::ifstream in(file);
  auto doc = nlohmann::json::parse(in);
  std::map<std::string, std::string> out;
  for (const auto& t : doc["tasks"]) {
    out[t["taskId"]] =
        t["status"].get<std::string>() + (t["cache"]["source"].is_string()
                                              ? "/" + t["cache"]["source"].get<std::string>()
                                              : std::string());
  }
  return out;
}

// A workspace of three services whose builds write outputs (one of 300 KB, one executable) and a
// log; `remote` is the cache.remote block.
inline void write_workspace(const GitRepo& repo, const std::string& remote) {
  repo.write("ripple.yaml",
             "services: [s/*]\n"
             "tasks:\n  build: { run: 'sh build.sh', deps: ['^build'], outputs: ['dist/**'] }\n"
             "cache:\n  remote: " +
                 remote + "\n");
  for (const std::string name : {"lib", "api", "web"}) {
    repo.write("s/" + name + "/service.yaml",
               name == "lib" ? std::string() : std::string("deps: [lib]\n"));
    repo.write(
        "s/" + name + "/build.sh",
        "mkdir -p dist/bin && echo 'built " + name + "' && head -c 300000 /dev/zero | tr '\\0' '" +
            name.substr(0, 1) + "' > dist/big.bin && printf '#!/bin/sh\\necho " + name +
            "\\n' > dist/bin/run && chmod 755 dist/bin/run && echo " + name + " > dist/name.txt\n");
  }
  repo.commit("workspace");
}

// A second runner: a clone of `repo` with no .ripple (no local cache).
struct Runner {
  TempDir dir;
  explicit Runner(const GitRepo& repo) {
    run_git("clone -q " + shell_quote(repo.path()) + " " + shell_quote(dir.path() + "/r"), "/");
  }
  std::string path() const { return dir.path() + "/r"; }
  CommandResult ripple(const std::string& args, const std::string& env = "") const {
    return run_ripple(args, path(), env);
  }
};

// Every output under s/*/dist: path, mode and SHA-256, one per line.
inline std::string outputs_of(const std::string& root) {
  return run_shell(
             "find s -path '*/dist/*' -type f | sort | while read f; do "
             "printf '%s %s ' \"$f\" \"$(stat -c %a \"$f\")\"; sha256sum < \"$f\"; done",
             root)
      .out;
}

// How many of `files` start with `prefix`.
inline std::size_t count_prefix(const std::vector<std::string>& files, const std::string& prefix) {
  std::size_t n = 0;
  for (const std::string& f : files) {
    n += f.rfind(prefix, 0) == 0 ? 1 : 0;
  }
  return n;
}

// How many times `what` occurs in `text`.
inline std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace ripple::testing
