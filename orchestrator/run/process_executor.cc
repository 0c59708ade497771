#include "orchestrator/run/process_executor.h"

#include "graph/image_task.h"

namespace ripple {

TaskOutcome ProcessExecutor::execute(graph::TaskId id, const std::atomic<bool>& cancel) {
  const graph::TaskNode& node = setup_.tasks.node(id);
  const graph::TaskSpec& spec = setup_.ws.service(node.service).tasks.at(node.name);
  if (spec.run.empty()) {
    TaskOutcome outcome;
    outcome.status = TaskOutcome::Status::noop;
    return outcome;  // a grouping task: nothing to run
  }
  return run(id, spec.run, cancel);
}

TaskOutcome ProcessExecutor::run(graph::TaskId id, const std::string& command,
                                 const std::atomic<bool>& cancel) {
  const graph::TaskNode& node = setup_.tasks.node(id);
  const graph::ServiceSpec& service = setup_.ws.service(node.service);
  const graph::TaskSpec& spec = service.tasks.at(node.name);
  TaskOutcome outcome;
  ProcessSpec process;
  process.command = command;
  process.cwd = setup_.root + "/" + service.dir.str();
  process.env = {{"RIPPLE_SERVICE", service.name},
                 {"RIPPLE_TASK", node.name},
                 {"RIPPLE_KEY", setup_.keys[id.value].key}};
  if (service.image && node.name == graph::kImageTask) {
    // The image it builds, tagged by the task's key (graph/image_task.h).
    const std::string tag = graph::content_tag(setup_.keys[id.value].key);
    process.env.emplace_back("RIPPLE_IMAGE", graph::image_reference(setup_.ws.config().images,
                                                                    service.image->name, tag));
    process.env.emplace_back("RIPPLE_IMAGE_TAG", tag);
    process.env.emplace_back("RIPPLE_DOCKERFILE", service.image->dockerfile);
    process.env.emplace_back("RIPPLE_CONTEXT", service.image->context);
  }
  process.timeout_seconds = spec.timeout_seconds;
  if (setup_.printer != nullptr && setup_.printer->streams()) {
    process.on_output = [this, id](OutputStream stream, std::string_view chunk) {
      setup_.printer->output(id, stream, chunk);
    };
  }
  ProcessResult result = setup_.runner.run(process, cancel);
  outcome.exit_code = result.exit_code;
  outcome.seconds = static_cast<double>(result.end_ns - result.start_ns) / 1e9;
  if (result.exit_code == 0 && !result.timed_out && !result.cancelled) {
    outcome.status = TaskOutcome::Status::ran;
  } else {
    outcome.status = TaskOutcome::Status::failed;
    outcome.note = result.timed_out
                       ? "timed out after " + std::to_string(*spec.timeout_seconds) + " s"
                   : result.cancelled ? "stopped: another task failed or the run was interrupted"
                                      : "exit code " + std::to_string(result.exit_code);
  }
  outcome.log = std::move(result.output);
  outcome.stdout_text = std::move(result.stdout_text);
  outcome.stderr_text = std::move(result.stderr_text);
  outcome.process_start_ns = result.start_ns;
  outcome.process_end_ns = result.end_ns;
  return outcome;
}

}  // namespace ripple
