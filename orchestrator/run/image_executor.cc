#include "orchestrator/run/image_executor.h"

#include <cctype>

#include "graph/image_task.h"

namespace ripple {
namespace {

bool tag_char(char c, bool first) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         (!first && (c == '.' || c == '-'));
}

bool is_image_task(const graph::Workspace& ws, const graph::TaskNode& node) {
  return node.name == graph::kImageTask && ws.service(node.service).image.has_value();
}

// "reg/x/api:r-1" with `tag` for "r-1".
std::string with_tag(const std::string& reference, const std::string& tag) {
  return reference.substr(0, reference.rfind(':') + 1) + tag;
}

}  // namespace

std::vector<std::pair<graph::TaskId, std::string>> image_task_references(
    const graph::Workspace& ws, const graph::TaskGraph& tasks, const std::vector<TaskKey>& keys) {
  std::vector<std::pair<graph::TaskId, std::string>> out;
  for (std::uint32_t i = 0; i < tasks.size(); ++i) {
    const graph::TaskNode& node = tasks.node(graph::TaskId{i});
    if (is_image_task(ws, node)) {
      out.emplace_back(
          graph::TaskId{i},
          graph::image_reference(ws.config().images, ws.service(node.service).image->name,
                                 graph::content_tag(keys[i].key)));
    }
  }
  return out;
}

std::optional<std::string> expand_extra_tag(const std::string& tag, const EnvLookup& env) {
  std::string out;
  for (std::size_t i = 0; i < tag.size();) {
    if (tag[i] != '$') {
      out += tag[i++];
      continue;
    }
    std::string name;
    std::size_t end = i + 1;
    if (end < tag.size() && tag[end] == '{') {
      const std::size_t close = tag.find('}', end);
      if (close == std::string::npos) {
        return std::nullopt;
      }
      name = tag.substr(end + 1, close - end - 1);
      end = close + 1;
    } else {
      while (end < tag.size() &&
             (std::isalnum(static_cast<unsigned char>(tag[end])) != 0 || tag[end] == '_')) {
        name += tag[end++];
      }
    }
    std::optional<std::string> value = name.empty() ? std::nullopt : env(name);
    if (!value || value->empty()) {
      return std::nullopt;
    }
    out += *value;
    i = end;
  }
  for (char& c : out) {
    c = c == '/' ? '-' : c;
  }
  if (out.empty() || out.size() > 128) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!tag_char(out[i], i == 0)) {
      return std::nullopt;
    }
  }
  return out;
}

TaskOutcome ImageExecutor::execute(graph::TaskId id, const std::atomic<bool>& cancel) {
  const graph::TaskNode& node = setup_.tasks.node(id);
  if (setup_.registry.empty() || !is_image_task(setup_.ws, node) ||
      !setup_.registry[id.value].has_value()) {
    return process_.execute(id, cancel);
  }
  const std::string reference =
      graph::image_reference(setup_.ws.config().images, setup_.ws.service(node.service).image->name,
                             graph::content_tag(setup_.keys[id.value].key));
  const RegistryAnswer& answer = *setup_.registry[id.value];
  if (answer.state == RegistryAnswer::State::present) {
    TaskOutcome outcome;
    outcome.status = TaskOutcome::Status::cached;
    outcome.log = "ripple: the registry has " + reference +
                  (answer.digest.empty() ? "" : " (" + answer.digest + ")") + "; not rebuilt\n";
    std::lock_guard lock(mutex_);
    pushed_[setup_.ws.service(node.service).name] =
        PushedImage{reference, answer.digest, false, {}};
    return outcome;
  }
  return build_and_push(id, reference, cancel);
}

TaskOutcome ImageExecutor::build_and_push(graph::TaskId id, const std::string& reference,
                                          const std::atomic<bool>& cancel) {
  const graph::ServiceSpec& service = setup_.ws.service(setup_.tasks.node(id).service);
  TaskOutcome outcome = process_.execute(id, cancel);
  if (outcome.status != TaskOutcome::Status::ran) {
    return outcome;
  }
  std::vector<std::string> targets = {reference};
  for (const std::string& tag : service.image->extra_tags) {
    if (auto expanded = expand_extra_tag(tag, setup_.env)) {
      targets.push_back(with_tag(reference, *expanded));
    } else {
      outcome.log += "ripple: extra tag '" + tag +
                     "' left out: a variable in it is unset or empty, or it is no valid tag\n";
    }
  }
  for (const std::string& target : targets) {
    auto command = graph::image_push_command(setup_.ws.config().images, reference, target);
    if (!command) {  // checked before the run; kept for a caller that did not
      outcome.status = TaskOutcome::Status::failed;
      outcome.note = command.error().message;
      return outcome;
    }
    TaskOutcome push = process_.run(id, *command, cancel);
    outcome.log += push.log;
    outcome.seconds += push.seconds;
    outcome.process_end_ns = push.process_end_ns;
    if (push.status != TaskOutcome::Status::ran) {
      outcome.status = TaskOutcome::Status::failed;
      outcome.exit_code = push.exit_code;
      outcome.note = "the push of " + target + " failed: " + push.note;
      return outcome;
    }
  }
  PushedImage pushed{reference, "", true, {targets.begin() + 1, targets.end()}};
  auto ref = parse_image_ref(reference);
  std::vector<RegistryAnswer> answer;
  if (ref) {
    answer = check_registry({*ref}, setup_.env, setup_.fs);
  }
  if (!answer.empty() && answer.front().state == RegistryAnswer::State::present) {
    pushed.digest = answer.front().digest;
    outcome.log += "ripple: pushed " + reference + " (" + pushed.digest + ")\n";
  } else {
    outcome.log += "ripple: pushed " + reference + ", but the registry does not show its digest" +
                   (answer.empty() ? std::string() : ": " + answer.front().error) + "\n";
  }
  std::lock_guard lock(mutex_);
  pushed_[service.name] = std::move(pushed);
  return outcome;
}

std::map<std::string, PushedImage> ImageExecutor::pushed() const {
  std::lock_guard lock(mutex_);
  return pushed_;
}

}  // namespace ripple
