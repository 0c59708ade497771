#include "orchestrator/package_scripts.h"

#include <nlohmann/json.hpp>

namespace ripple {
namespace {

std::optional<nlohmann::json> read_package_json(const Filesystem& fs, const std::string& dir) {
  const std::string path = path_join(dir, "package.json");
  if (fs.kind(path) != FileKind::file) {
    return std::nullopt;
  }
  auto text = fs.read_file(path);
  if (!text) {
    return std::nullopt;
  }
  nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return std::nullopt;
  }
  return doc;
}

}  // namespace

std::string package_manager(const Filesystem& fs, const std::string& root) {
  if (auto doc = read_package_json(fs, root)) {
    auto field = doc->find("packageManager");
    if (field != doc->end() && field->is_string()) {
      const std::string value = field->get<std::string>();
      const std::string name = value.substr(0, value.find('@'));
      for (const char* known : {"npm", "pnpm", "yarn", "bun"}) {
        if (name == known) {
          return name;
        }
      }
    }
  }
  auto present = [&](const char* file) { return fs.kind(path_join(root, file)) == FileKind::file; };
  if (present("pnpm-lock.yaml")) {
    return "pnpm";
  }
  if (present("yarn.lock")) {
    return "yarn";
  }
  if (present("bun.lock") || present("bun.lockb")) {
    return "bun";
  }
  return "npm";
}

std::string script_command(const std::string& manager, const std::string& script) {
  return manager + " run " + script;
}

std::set<std::string> package_scripts(const Filesystem& fs, const std::string& dir,
                                      const std::set<std::string>& wanted) {
  std::set<std::string> out;
  auto doc = read_package_json(fs, dir);
  if (!doc) {
    return out;
  }
  auto scripts = doc->find("scripts");
  if (scripts == doc->end() || !scripts->is_object()) {
    return out;
  }
  for (const std::string& name : wanted) {
    if (auto it = scripts->find(name); it != scripts->end() && it->is_string()) {
      out.insert(name);
    }
  }
  return out;
}

}  // namespace ripple
