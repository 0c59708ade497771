#include "orchestrator/run/caching_executor.h"

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

void CachingExecutor::warn_once(const std::string& message) {
  std::lock_guard lock(warn_mutex_);
  if (!warned_) {
    warned_ = true;
    setup_.reporter.warning(message + "; going on without the cache for it");
  }
}

std::vector<std::string> CachingExecutor::collect_outputs(const std::string& service_dir,
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

std::optional<TaskOutcome> CachingExecutor::try_restore(graph::TaskId id) {
  const graph::TaskNode& node = setup_.tasks.node(id);
  const std::string dir = setup_.root + "/" + setup_.ws.service(node.service).dir.str();
  auto entry = setup_.store.get(setup_.keys[id.value].key, node.label);
  if (!entry) {
    if (!entry.error().is_miss()) {
      warn_once(entry.error().detail);
    }
    return std::nullopt;
  }
  const cache::ActionRecord& record = entry->record;
  // Check everything before writing anything: a bad entry is a miss, not half a restore. Small
  // blobs are read and verified here; a large one is checked to be there, and verified as it is
  // streamed into place (only a blob damaged since it was stored fails there: the outputs
  // before it are then restored, each whole, and the task runs over them).
  std::vector<std::pair<const cache::OutputRecord*, cache::BlobReader>> files;
  for (const cache::OutputRecord& o : record.outputs) {
    if (!safe_output_path(dir, o.path)) {
      setup_.reporter.warning("cache entry for " + node.label + " names output '" + o.path +
                              "' outside the service directory; refused, running the task instead");
      return std::nullopt;
    }
    if (auto it = entry->blobs.find(o.digest.hash); it != entry->blobs.end()) {
      files.emplace_back(&o, cache::BlobReader::of_bytes(it->second));
      continue;
    }
    auto blob = setup_.store.open_blob(o.digest);
    if (!blob) {
      return std::nullopt;
    }
    files.emplace_back(&o, std::move(*blob));
  }
  // Never through a link a pull request planted, and every byte or not at all (beneath.h): a
  // restore that cannot write an output is a miss, and the task runs.
  for (auto& [o, reader] : files) {
    const unsigned mode = o->mode != 0 ? o->mode : o->executable ? 0755 : 0644;
    if (auto st = write_file_beneath(
            dir, o->path, [&reader = reader] { return reader.next(); }, mode);
        !st) {
      setup_.reporter.warning("cannot restore " + node.label + ": " + st.error().message +
                              "; running the task instead");
      return std::nullopt;
    }
  }
  TaskOutcome outcome;
  outcome.status = TaskOutcome::Status::cached;
  outcome.remote_hit = entry->tier == cache::Tier::remote;
  for (auto [digest, stream] : {std::pair{&record.stdout_digest, OutputStream::out},
                                std::pair{&record.stderr_digest, OutputStream::err}}) {
    auto in_hand = entry->blobs.find(digest->hash);
    auto log = in_hand != entry->blobs.end() ? cache::Fetched<std::string>(in_hand->second)
                                             : setup_.store.get_blob(*digest);
    if (log && !log->empty()) {
      if (setup_.printer != nullptr) {
        setup_.printer->output(id, stream, *log);
      }
      outcome.log += *log;
    }
  }
  outcome.saved_seconds = static_cast<double>(record.end_ns - record.start_ns) / 1e9;
  return outcome;
}

void CachingExecutor::store_result(graph::TaskId id, const TaskOutcome& ran) {
  const graph::TaskNode& node = setup_.tasks.node(id);
  const graph::TaskSpec& spec = setup_.ws.service(node.service).tasks.at(node.name);
  const std::string dir = setup_.root + "/" + setup_.ws.service(node.service).dir.str();
  cache::ActionRecord record;
  // Outputs are read in chunks as they are stored, never whole (cache/local_store.h). Nothing
  // back means the store stores no more (it said why, once).
  cache::EntryBlobs blobs = setup_.store.entry_blobs();
  auto add =
      [&](Result<std::optional<cache::BlobDigest>> added) -> std::optional<cache::BlobDigest> {
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
  auto out_digest = add(blobs.add(ran.stdout_text));
  auto err_digest = out_digest ? add(blobs.add(ran.stderr_text)) : std::nullopt;
  if (!err_digest) {
    return;
  }
  record.stdout_digest = std::move(*out_digest);
  record.stderr_digest = std::move(*err_digest);
  record.exit_code = ran.exit_code;
  record.start_ns = ran.process_start_ns;
  record.end_ns = ran.process_end_ns;
  std::string notes = setup_.notes ? setup_.notes(id) : std::string();
  if (auto st = setup_.store.put(setup_.keys[id.value].key, record, std::move(blobs),
                                 notes.empty() ? std::string() : node.label, notes);
      !st) {
    warn_once(st.error().message);
  }
}

TaskOutcome CachingExecutor::execute(graph::TaskId id, const std::atomic<bool>& cancel) {
  const graph::TaskNode& node = setup_.tasks.node(id);
  const graph::TaskSpec& spec = setup_.ws.service(node.service).tasks.at(node.name);
  const bool cacheable = !spec.run.empty() && spec.cache;
  if (cacheable) {
    if (auto restored = try_restore(id)) {
      return *restored;
    }
  }
  TaskOutcome outcome = inner_.execute(id, cancel);
  if (cacheable && outcome.status == TaskOutcome::Status::ran) {
    store_result(id, outcome);
  }
  return outcome;
}

}  // namespace ripple
