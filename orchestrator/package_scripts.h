#pragma once

// The package.json scripts a task template runs (`script: build` in ripple.yaml, config.md): which
// scripts a service's package.json defines, and the command that runs one with the workspace's
// package manager, as Turborepo runs a package's script only where the package defines it.

#include <set>
#include <string>

#include "orchestrator/platform/filesystem.h"

namespace ripple {

// The package manager of the workspace at `root` (absolute): the `packageManager` field of its
// package.json ("pnpm@9.1.0" → pnpm), else the lockfile present (pnpm-lock.yaml → pnpm,
// yarn.lock → yarn, bun.lock or bun.lockb → bun), else npm.
std::string package_manager(const Filesystem& fs, const std::string& root);

// `manager run <script>`: the command a task with `script:` runs.
std::string script_command(const std::string& manager, const std::string& script);

// Of `wanted`, the scripts the package.json in `dir` (absolute) defines; none when it has no
// package.json or one that does not parse (the node rule reports that, when it reads it).
std::set<std::string> package_scripts(const Filesystem& fs, const std::string& dir,
                                      const std::set<std::string>& wanted);

}  // namespace ripple
