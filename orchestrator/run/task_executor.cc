#include "orchestrator/run/task_executor.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>

#include "graph/glob.h"
#include "orchestrator/platform/beneath.h"

namespace fs = boost::filesystem;

namespace ripple {
namespace {

// True when `rel` is a plain relative path that stays inside its base and no existing directory
// on its way under `base` is a symlink (which could point anywhere). A link at the output itself
// is fine: the restore replaces it (beneath.h). A check before writing anything, so that a bad
// entry is a miss rather than half a restore; write_file_beneath enforces it again as it writes.
bool safe_output_path(const std::string& base, const std::string& rel) {
  if (rel.empty() || rel.front() == '/') {
    return false;
  }
  auto parsed = RepoPath::parse(rel);
  if (!parsed || parsed->str() != rel) {
    return false;  // "..", ".", "//" or a trailing '/': never written as given
  }
  std::string at = base;
  std::size_t start = 0;
  while (start < rel.size()) {
    std::size_t slash = rel.find('/', start);
    if (slash == std::string::npos) {
      break;  // the output itself
    }
    at += "/" + rel.substr(start, slash - start);
    struct stat st;
    if (lstat(at.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      return false;
    }
    start = slash + 1;
  }
  return true;
}

}  // namespace

TaskExecutor::TaskExecutor(ExecutorSetup setup) : s_(std::move(setup)) {}

void TaskExecutor::warn_once(const std::string& message) {
  std::lock_guard lock(warn_mutex_);
  if (!warned_) {
    warned_ = true;
    s_.reporter.warning(message + "; going on without the cache for it");
  }
}

std::vector<std::string> TaskExecutor::collect_outputs(const std::string& service_dir,
                                                       const std::vector<std::string>& globs) {
  std::vector<std::string> out;
  if (globs.empty()) {
    return out;
  }
  boost::system::error_code ec;
  fs::recursive_directory_iterator it(service_dir, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    fs::file_status st = it->symlink_status(ec);
    if (fs::is_directory(st)) {
      continue;
    }
    // Lexically: fs::relative() resolves symlinks, which named a link by its target's path
    // (a link to a file beside it was listed twice, under the file's name, and never as itself).
    std::string rel = it->path().lexically_relative(service_dir).generic_string();
    for (const std::string& g : globs) {
      if (graph::glob::match(g, rel)) {
        out.push_back(rel);
        break;
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<TaskOutcome> TaskExecutor::try_restore(graph::TaskId id) {
  const graph::TaskNode& node = s_.tasks.node(id);
  const std::string dir = s_.root + "/" + s_.ws.service(node.service).dir.str();
  auto entry = s_.store->get(s_.keys[id.value].key, node.label);
  if (!entry) {
    warn_once(entry.error().message);
    return std::nullopt;
  }
  if (!entry->has_value()) {
    return std::nullopt;
  }
  const cache::ActionRecord& record = **entry;
  // Check everything before writing anything: a bad entry is a miss, not half a restore. Small
  // blobs are read and verified here; a large one is checked to be there, and verified as it is
  // streamed into place (only a blob damaged since it was stored fails there: the outputs
  // before it are then restored, each whole, and the task runs over them).
  std::vector<std::pair<const cache::OutputRecord*, cache::BlobReader>> files;
  for (const cache::OutputRecord& o : record.outputs) {
    if (!safe_output_path(dir, o.path)) {
      s_.reporter.warning("cache entry for " + node.label + " names output '" + o.path +
                          "' outside the service directory; refused, running the task instead");
      return std::nullopt;
    }
    auto blob = s_.store->open_blob(o.digest);
    if (!blob || !blob->has_value()) {
      return std::nullopt;
    }
    files.emplace_back(&o, std::move(**blob));
  }
  // Never through a link a pull request planted, and every byte or not at all (beneath.h): a
  // restore that cannot write an output is a miss, and the task runs.
  for (auto& [o, reader] : files) {
    const unsigned mode = o->mode != 0 ? o->mode : o->executable ? 0755 : 0644;
    if (auto st = write_file_beneath(
            dir, o->path, [&reader = reader] { return reader.next(); }, mode);
        !st) {
      s_.reporter.warning("cannot restore " + node.label + ": " + st.error().message +
                          "; running the task instead");
      return std::nullopt;
    }
  }
  TaskOutcome outcome;
  outcome.status = TaskOutcome::Status::cached;
  for (auto [digest, stream] : {std::pair{&record.stdout_digest, OutputStream::out},
                                std::pair{&record.stderr_digest, OutputStream::err}}) {
    auto log = s_.store->get_blob(*digest);
    if (log && log->has_value() && !(*log)->empty()) {
      if (s_.printer != nullptr) {
        s_.printer->output(id, stream, **log);
      }
      outcome.log += **log;
    }
  }
  outcome.saved_seconds = static_cast<double>(record.end_ns - record.start_ns) / 1e9;
  return outcome;
}

void TaskExecutor::store_result(graph::TaskId id, const ProcessResult& result) {
  const graph::TaskNode& node = s_.tasks.node(id);
  const graph::TaskSpec& spec = s_.ws.service(node.service).tasks.at(node.name);
  const std::string dir = s_.root + "/" + s_.ws.service(node.service).dir.str();
  cache::ActionRecord record;
  // Outputs are read in chunks as they are stored, never whole (cache/local_store.h). Nothing
  // back means the store stores no more (it said why, once).
  cache::EntryBlobs blobs = s_.store->entry_blobs();
  auto add = [&](Result<std::optional<cache::BlobDigest>> added) -> std::optional<cache::BlobDigest> {
    if (!added) {
      warn_once(added.error().message);
      return std::nullopt;
    }
    return *added;
  };
  for (const std::string& rel : collect_outputs(dir, spec.outputs)) {
    std::string full = dir + "/" + rel;
    struct stat st;
    if (lstat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      continue;  // symlinks among outputs are not cached (yet): they could point anywhere
    }
    auto digest = add(blobs.add_file(full));
    if (!digest) {
      return;
    }
    record.outputs.push_back(cache::OutputRecord{rel, std::move(*digest),
                                                 (st.st_mode & S_IXUSR) != 0,
                                                 static_cast<unsigned>(st.st_mode & 07777)});
  }
  auto out_digest = add(blobs.add(result.stdout_text));
  auto err_digest = out_digest ? add(blobs.add(result.stderr_text)) : std::nullopt;
  if (!err_digest) {
    return;
  }
  record.stdout_digest = std::move(*out_digest);
  record.stderr_digest = std::move(*err_digest);
  record.exit_code = result.exit_code;
  record.start_ns = result.start_ns;
  record.end_ns = result.end_ns;
  std::string notes = s_.notes ? s_.notes(id) : std::string();
  if (auto st = s_.store->put(s_.keys[id.value].key, record, std::move(blobs),
                              notes.empty() ? std::string() : node.label, notes);
      !st) {
    warn_once(st.error().message);
  }
}

TaskOutcome TaskExecutor::execute(graph::TaskId id, const std::atomic<bool>& cancel) {
  const graph::TaskNode& node = s_.tasks.node(id);
  const graph::ServiceSpec& service = s_.ws.service(node.service);
  const graph::TaskSpec& spec = service.tasks.at(node.name);
  if (spec.run.empty()) {
    TaskOutcome outcome;
    outcome.status = TaskOutcome::Status::noop;
    return outcome;  // a grouping task: nothing to run
  }
  if (s_.store != nullptr && spec.cache) {
    if (auto restored = try_restore(id)) {
      write_log(id, restored->log);
      return *restored;
    }
  }
  ProcessSpec process;
  process.command = spec.run;
  process.cwd = s_.root + "/" + service.dir.str();
  process.env = {{"RIPPLE_SERVICE", service.name},
                 {"RIPPLE_TASK", node.name},
                 {"RIPPLE_KEY", s_.keys[id.value].key}};
  process.timeout_seconds = spec.timeout_seconds;
  if (s_.printer != nullptr && s_.printer->streams()) {
    process.on_output = [this, id](OutputStream stream, std::string_view chunk) {
      s_.printer->output(id, stream, chunk);
    };
  }
  ProcessResult result = s_.runner.run(process, cancel);
  TaskOutcome outcome;
  outcome.exit_code = result.exit_code;
  outcome.seconds = static_cast<double>(result.end_ns - result.start_ns) / 1e9;
  write_log(id, result.output);
  if (result.exit_code == 0 && !result.timed_out && !result.cancelled) {
    outcome.status = TaskOutcome::Status::ran;
    if (s_.store != nullptr && spec.cache) {
      store_result(id, result);
    }
  } else {
    outcome.status = TaskOutcome::Status::failed;
    outcome.note = result.timed_out
                       ? "timed out after " + std::to_string(*spec.timeout_seconds) + " s"
                   : result.cancelled ? "stopped: another task failed or the run was interrupted"
                                      : "exit code " + std::to_string(result.exit_code);
  }
  outcome.log = std::move(result.output);
  return outcome;
}

void TaskExecutor::write_log(graph::TaskId id, const std::string& log) {
  if (s_.log_dir.empty()) {
    return;
  }
  const graph::TaskNode& node = s_.tasks.node(id);
  // Beneath the log directory, as outputs are: a committed .ripple/logs link is never followed.
  boost::system::error_code ec;
  fs::create_directories(s_.log_dir, ec);
  const std::string rel = s_.ws.service(node.service).name + "/" + node.name + ".log";
  if (auto st = write_file_beneath(s_.log_dir, rel, log, 0644, Replace::in_place); !st) {
    s_.reporter.warning("cannot keep the log of " + node.label + ": " + st.error().message);
  }
}

}  // namespace ripple
