#include "orchestrator/inputs/key_notes.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "orchestrator/inputs/task_inputs.h"

namespace ripple {
namespace {

using nlohmann::json;

constexpr std::size_t kFilesShown = 5;

json file_listing(const InputIndex& inputs, const std::vector<std::size_t>& indexes) {
  json out = json::object();
  char mode[16];
  for (std::size_t i : indexes) {
    const InputFile& f = inputs.file(i);
    std::snprintf(mode, sizeof mode, "%06o", f.mode);
    out[std::string(f.path)] = std::string(mode) + " " + std::string(f.id);
  }
  return out;
}

std::string shown(const json& value) {
  if (value.is_null()) {
    return "unset";
  }
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string short_key(const json& key) {
  return key.is_string() ? key.get<std::string>().substr(0, 12) : shown(key);
}

// "a changed, b added, c removed, and 3 more" over two path → id listings, in path order.
std::string file_changes(const json& before, const json& after) {
  std::vector<std::pair<std::string, const char*>> changes;
  for (auto it = before.begin(); it != before.end(); ++it) {
    if (!after.contains(it.key())) {
      changes.emplace_back(it.key(), " removed");
    } else if (after.at(it.key()) != it.value()) {
      changes.emplace_back(it.key(), " changed");
    }
  }
  for (auto it = after.begin(); it != after.end(); ++it) {
    if (!before.contains(it.key())) {
      changes.emplace_back(it.key(), " added");
    }
  }
  std::sort(changes.begin(), changes.end());
  std::string text;
  for (std::size_t i = 0; i < changes.size() && i < kFilesShown; ++i) {
    text += (i == 0 ? "" : ", ") + changes[i].first + changes[i].second;
  }
  if (changes.size() > kFilesShown) {
    text += ", and " + std::to_string(changes.size() - kFilesShown) + " more";
  }
  return text;
}

// Per-name differences of two objects ("env NAME: a -> b", "dependency x: new key ...").
// How object_changes() shows a value that changed.
enum class Shown {
  values,     // env: the old and the new value
  task_keys,  // deps: the old and the new key, short
  digests,    // parts: only that it changed (the digest says nothing to a reader)
};

void object_changes(const json& before, const json& after, const std::string& what, Shown shown_as,
                    std::vector<std::string>& lines) {
  for (auto it = before.begin(); it != before.end(); ++it) {
    if (!after.contains(it.key())) {
      lines.push_back(what + " " + it.key() + ": removed");
    } else if (after.at(it.key()) != it.value()) {
      std::string change = "changed";
      if (shown_as == Shown::task_keys) {
        change = "new key " + short_key(it.value()) + " -> " + short_key(after.at(it.key()));
      } else if (shown_as == Shown::values) {
        change = shown(it.value()) + " -> " + shown(after.at(it.key()));
      }
      lines.push_back(what + " " + it.key() + ": " + change);
    }
  }
  for (auto it = after.begin(); it != after.end(); ++it) {
    if (!before.contains(it.key())) {
      lines.push_back(what + " " + it.key() + ": added" +
                      (shown_as == Shown::values ? " (" + shown(it.value()) + ")" : ""));
    }
  }
}

}  // namespace

std::string make_key_notes(const graph::TaskGraph& tasks, const std::vector<TaskKey>& keys,
                           const InputIndex& inputs,
                           std::span<const std::optional<ServiceInputs>> own_inputs,
                           graph::TaskId id) {
  const graph::TaskNode& node = tasks.node(id);
  json notes = {
      {"task", node.label},
      {"key", keys[id.value].key},
      {"manifest", json::parse(keys[id.value].manifest)},
      {"input_files", file_listing(inputs, inputs_of_task(inputs, own_inputs, tasks, id).files)},
      {"global_files", file_listing(inputs, inputs.global_files)}};
  return notes.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<std::string> diff_key_notes(const std::string& before_text,
                                        const std::string& after_text) {
  json before = json::parse(before_text, nullptr, false);
  json after = json::parse(after_text, nullptr, false);
  if (before.is_discarded() || after.is_discarded() || !before.contains("manifest") ||
      !after.contains("manifest")) {
    return {"the stored notes cannot be read (written by another version of ripple?)"};
  }
  const json& a = before["manifest"];
  const json& b = after["manifest"];
  auto field = [](const json& m, const char* name) {
    return m.contains(name) ? m.at(name) : json(nullptr);
  };
  std::vector<std::string> lines;
  for (const char* name : {"version", "service", "task", "command"}) {
    if (field(a, name) != field(b, name)) {
      std::string label = std::string(name) == "version" ? "key format" : name;
      lines.push_back(label + ": " + shown(field(a, name)) + " -> " + shown(field(b, name)));
    }
  }
  object_changes(field(a, "env").is_object() ? a["env"] : json::object(),
                 field(b, "env").is_object() ? b["env"] : json::object(), "env", Shown::values,
                 lines);
  if (field(a, "inputs") != field(b, "inputs")) {
    std::string files = file_changes(before.value("input_files", json::object()),
                                     after.value("input_files", json::object()));
    std::string globals = file_changes(before.value("global_files", json::object()),
                                       after.value("global_files", json::object()));
    if (!files.empty()) {
      lines.push_back("inputs: " + files);
    }
    if (!globals.empty()) {
      lines.push_back("global inputs: " + globals);
    }
    if (files.empty() && globals.empty()) {
      lines.push_back("inputs: digest " + shown(field(a, "inputs")) + " -> " +
                      shown(field(b, "inputs")) + " (same files; the digest format changed)");
    }
  }
  object_changes(field(a, "deps").is_object() ? a["deps"] : json::object(),
                 field(b, "deps").is_object() ? b["deps"] : json::object(), "dependency",
                 Shown::task_keys, lines);
  object_changes(field(a, "parts").is_object() ? a["parts"] : json::object(),
                 field(b, "parts").is_object() ? b["parts"] : json::object(), "part",
                 Shown::digests, lines);
  for (const char* name : {"outputs", "platform"}) {
    if (field(a, name) != field(b, name)) {
      lines.push_back(std::string(name) + ": " + shown(field(a, name)) + " -> " +
                      shown(field(b, name)));
    }
  }
  // Anything a newer manifest adds that this version does not know by name.
  for (auto it = b.begin(); it != b.end(); ++it) {
    static const std::vector<std::string> known = {"version",  "service", "task", "command",
                                                   "env",      "inputs",  "deps", "outputs",
                                                   "platform", "parts"};
    if (std::find(known.begin(), known.end(), it.key()) == known.end() &&
        field(a, it.key().c_str()) != it.value()) {
      lines.push_back(it.key() + ": " + shown(field(a, it.key().c_str())) + " -> " +
                      shown(it.value()));
    }
  }
  return lines;
}

}  // namespace ripple
