#include "orchestrator/init_yaml.h"

#include <algorithm>
#include <map>

namespace ripple {
namespace {

// What each rule reads, for its `discover:` line.
const std::map<std::string, std::string>& rule_notes() {
  static const std::map<std::string, std::string> kNotes = {
      {"compose", "the services compose.yaml builds"},
      {"dockerfile", "what their Dockerfiles COPY is what they read"},
      {"node", "npm, yarn and pnpm workspace packages"},
      {"go", "Go modules: go.work's, or every go.mod"},
      {"cargo", "Cargo workspace crates"},
      {"python", "uv workspace projects"},
  };
  return kNotes;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

std::string count_note(const std::string& rule, std::size_t n) {
  if (n == 0) {
    return "nothing found here";
  }
  if (rule == "dockerfile") {
    return "read for " + std::to_string(n) + (n == 1 ? " service" : " services");
  }
  return std::to_string(n) + (n == 1 ? " service" : " services") + " found";
}

bool found_any(const InitPlan& plan, const std::string& rule) {
  return std::any_of(plan.found.begin(), plan.found.end(),
                     [&](const auto& f) { return f.first == rule && f.second > 0; });
}

// A task template for one package.json script.
std::string script_task(const std::string& script, const std::vector<std::string>& scripts) {
  const bool has_build = std::find(scripts.begin(), scripts.end(), "build") != scripts.end();
  if (script == "build") {
    return "  build: { script: build, deps: [\"^build\"], outputs: [\"dist/**\"] }\n";
  }
  if (script == "test" && has_build) {
    return "  test: { script: test, deps: [build] }\n";
  }
  return "  " + script + ": { script: " + script + " }\n";
}

void write_tasks(const InitPlan& plan, std::string& out) {
  out +=
      "# Task templates every service inherits (`ripple run build test`): `run` is a shell\n"
      "# command run in the service's directory, `deps` what must finish first (`^build`: the\n"
      "# build of every dependency; `build`: this service's own), `outputs` the files cached and\n"
      "# restored. A service.yaml may override any field (docs/config.md, Tasks).\n";
  if (!plan.scripts.empty()) {
    out +=
        "# `script: X` runs the package.json script X with the workspace's package manager, and\n"
        "# only in packages that define it, as Turborepo does. Adjust `outputs` to what your\n"
        "# builds write.\n"
        "tasks:\n";
    for (const std::string& script : plan.scripts) {
      out += script_task(script, plan.scripts);
    }
    return;
  }
  // No scripts to run: commented examples in the language the rules found.
  std::string build = "make build";
  std::string test = "make test";
  std::string where;
  if (found_any(plan, "go")) {
    build = "go build ./...";
    test = "go test ./...";
    where = ", where: [go.mod]";
  } else if (found_any(plan, "cargo")) {
    build = "cargo build";
    test = "cargo test";
    where = ", where: [Cargo.toml]";
  } else if (found_any(plan, "python")) {
    build = "uv build";
    test = "uv run pytest";
    where = ", where: [pyproject.toml]";
  }
  out += "# tasks:\n#   build: { run: \"" + build + "\", deps: [\"^build\"]" + where + " }\n" +
         "#   test: { run: \"" + test + "\", deps: [build]" + where + " }\n";
}

}  // namespace

std::string format_init_yaml(const InitPlan& plan) {
  std::string out =
      "# ripple.yaml: this workspace's configuration, written by `ripple init`.\n"
      "# Reference: docs/config.md; what the inference rules find: docs/inference.md.\n"
      "# A change to this file affects every service: commit it on its own.\n"
      "\n"
      "# Format version (only 1 exists).\n"
      "version: 1\n"
      "\n"
      "# The git ref `ripple affected` compares against (its merge-base with HEAD). Unset: the\n"
      "# first that exists of origin/HEAD, origin/main, origin/master, main, master.\n"
      "# base: origin/main\n"
      "\n"
      "# Directories holding a service.yaml (globs relative to this file; `!glob` leaves some\n"
      "# out): services the rules below do not find, or that need more than they say.\n";
  if (plan.services.empty()) {
    out += "services: []\n";
  } else {
    out += "services:\n";
    for (const std::string& entry : plan.services) {
      out += "  - " + quoted(entry) + "\n";
    }
  }
  out +=
      "\n"
      "# Inference rules: each finds services, dependencies and inputs in files the repository\n"
      "# already has. On: the rules that found something here; uncomment a line to turn a rule\n"
      "# on. Without `discover:` every rule is on.\n";
  const bool any =
      std::any_of(plan.found.begin(), plan.found.end(), [](const auto& f) { return f.second > 0; });
  // With nothing found, no list: every rule stays on, so what is added later is found.
  out += any ? "discover:\n" : "# discover:\n";
  for (const auto& [rule, n] : plan.found) {
    auto note = rule_notes().find(rule);
    std::string line = (n > 0 ? "  - " : "  # - ") + rule;
    line.resize(std::max<std::size_t>(line.size() + 1, 16), ' ');
    out += line + "# " + (note != rule_notes().end() ? note->second + " (" : "(") +
           count_note(rule, n) + ")\n";
  }
  out +=
      "\n"
      "# A change to a file matching one of these globs affects every service.\n"
      "# global_inputs: [\".github/workflows/**\"]\n"
      "\n"
      "# A change to a file matching one of these globs affects nothing; such files are no\n"
      "# service's input.\n"
      "# ignore: [\"**/*.md\", \"docs/**\"]\n"
      "\n"
      "# What a changed file that no service owns does: warn (name it), ignore, or all (affect\n"
      "# every service).\n"
      "# unowned: warn\n"
      "\n";
  write_tasks(plan, out);
  out +=
      "\n"
      "# Where task results are cached.\n"
      "cache:\n"
      "  # The local cache, relative to this file (add .ripple/ to .gitignore).\n"
      "  dir: .ripple/cache\n"
      "  # A cache shared by CI runners over HTTP (docs/remote-cache.md).\n"
      "  # remote: { url: \"http://cache:8080\", mode: read-write, token_env: "
      "RIPPLE_REMOTE_TOKEN }\n";
  return out;
}

}  // namespace ripple
