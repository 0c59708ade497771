#pragma once

// The files a dependency install reads: package manifests, lockfiles and workspace files of the
// package managers ripple's rules know, and ripple's own configs. `ripple docker prune` puts
// them, and only them, in DIR/json/ (docs/images.md, "Minimal build contexts"), so that a
// Dockerfile can install dependencies in a layer that only they invalidate. The one list.

#include <span>
#include <string_view>

namespace ripple {

// By file name, wherever the file lies: package.json, package-lock.json, npm-shrinkwrap.json,
// yarn.lock, .yarnrc.yml, .npmrc, pnpm-lock.yaml, pnpm-workspace.yaml, bun.lock, bun.lockb,
// go.mod, go.sum, go.work, go.work.sum, Cargo.toml, Cargo.lock, rust-toolchain.toml,
// pyproject.toml, uv.lock, poetry.lock, Pipfile, Pipfile.lock, requirements*.txt, Gemfile,
// Gemfile.lock, composer.json, composer.lock, ripple.yaml, service.yaml.
bool is_manifest_file(std::string_view path);

// The workspace manifests a lockfile is read with, beside it: package.json for npm's, yarn's and
// bun's, pnpm-workspace.yaml and package.json for pnpm's, Cargo.toml for Cargo's, pyproject.toml
// for uv's and poetry's, go.work for go.work.sum; empty for other names.
std::span<const std::string_view> lockfile_companions(std::string_view lockfile_name);

}  // namespace ripple
