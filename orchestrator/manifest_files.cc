#include "orchestrator/manifest_files.h"

#include <algorithm>
#include <array>

namespace ripple {
namespace {

constexpr std::string_view kManifestNames[] = {"package.json",
                                               "package-lock.json",
                                               "npm-shrinkwrap.json",
                                               "yarn.lock",
                                               ".yarnrc.yml",
                                               ".npmrc",
                                               "pnpm-lock.yaml",
                                               "pnpm-workspace.yaml",
                                               "bun.lock",
                                               "bun.lockb",
                                               "go.mod",
                                               "go.sum",
                                               "go.work",
                                               "go.work.sum",
                                               "Cargo.toml",
                                               "Cargo.lock",
                                               "rust-toolchain.toml",
                                               "pyproject.toml",
                                               "uv.lock",
                                               "poetry.lock",
                                               "Pipfile",
                                               "Pipfile.lock",
                                               "Gemfile",
                                               "Gemfile.lock",
                                               "composer.json",
                                               "composer.lock",
                                               "ripple.yaml",
                                               "service.yaml"};

std::string_view file_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

constexpr std::array<std::string_view, 1> kPackageJson = {"package.json"};
constexpr std::array<std::string_view, 2> kPnpm = {"pnpm-workspace.yaml", "package.json"};
constexpr std::array<std::string_view, 1> kCargo = {"Cargo.toml"};
constexpr std::array<std::string_view, 1> kPyproject = {"pyproject.toml"};
constexpr std::array<std::string_view, 1> kGoWork = {"go.work"};

}  // namespace

bool is_manifest_file(std::string_view path) {
  const std::string_view name = file_name(path);
  // requirements.txt, requirements-dev.txt, requirements_test.txt: pip's convention.
  if (name.starts_with("requirements") && name.ends_with(".txt")) {
    return true;
  }
  return std::find(std::begin(kManifestNames), std::end(kManifestNames), name) !=
         std::end(kManifestNames);
}

std::span<const std::string_view> lockfile_companions(std::string_view lockfile_name) {
  const std::string_view name = file_name(lockfile_name);
  if (name == "package-lock.json" || name == "npm-shrinkwrap.json" || name == "yarn.lock" ||
      name == "bun.lock" || name == "bun.lockb") {
    return kPackageJson;
  }
  if (name == "pnpm-lock.yaml") {
    return kPnpm;
  }
  if (name == "Cargo.lock") {
    return kCargo;
  }
  if (name == "uv.lock" || name == "poetry.lock") {
    return kPyproject;
  }
  if (name == "go.work.sum") {
    return kGoWork;
  }
  return {};
}

}  // namespace ripple
