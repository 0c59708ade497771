#include "orchestrator/commands/key_diff_command.h"

#include <boost/filesystem.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "orchestrator/command_setup.h"
#include "orchestrator/inputs/key_notes.h"

namespace ripple {
namespace {

constexpr std::size_t kMinPrefix = 8;

// The one stored key `text` names (whole or a unique prefix), with its notes.
Result<std::pair<std::string, std::string>> find_key(cache::KeyHistory& store,
                                                     const std::string& text,
                                                     const std::string& cache_dir) {
  const std::string hint =
      "; task keys are in `ripple run --summary F` and `ripple run --dry-run`, and only keys "
      "this cache stored (at " +
      cache_dir + ") can be compared";
  if (text.size() < kMinPrefix || text.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return tl::unexpected(Error{ErrorKind::input, "'" + text +
                                                      "' is not a task key: write its first " +
                                                      std::to_string(kMinPrefix) +
                                                      " or more lowercase hex characters" + hint});
  }
  auto keys = store.keys_with_prefix(text, 3);
  if (!keys) {
    return tl::unexpected(keys.error());
  }
  if (keys->empty()) {
    return tl::unexpected(
        Error{ErrorKind::input, "no task key starting with '" + text + "' in the cache" + hint});
  }
  if (keys->size() > 1) {
    return tl::unexpected(
        Error{ErrorKind::input, "'" + text + "' is ambiguous (" + (*keys)[0].substr(0, 16) + ", " +
                                    (*keys)[1].substr(0, 16) + (keys->size() > 2 ? ", …" : "") +
                                    "); give more characters"});
  }
  auto notes = store.notes(keys->front());
  if (!notes) {
    return tl::unexpected(notes.error());
  }
  return std::pair{keys->front(), notes->value_or("")};
}

std::string task_of(const std::string& notes) {
  auto doc = nlohmann::json::parse(notes, nullptr, false);
  return doc.is_object() ? doc.value("task", "?") : "?";
}

}  // namespace

int run_key_diff_command(const CommandContext& ctx, const std::string& key_a,
                         const std::string& key_b) {
  auto fail = [&](const Error& e) { return report_failure(ctx, e); };
  auto loaded = load_workspace_for(ctx);
  if (!loaded) {
    return fail(loaded.error());
  }
  const std::string dir = local_cache_dir(*loaded);
  if (!boost::filesystem::exists(dir)) {
    return fail(Error{ErrorKind::input, "there is no local cache at " + dir +
                                            " yet: run tasks first (`ripple run …`)"});
  }
  auto store = cache::LocalStore::open_read_only(dir);  // only read: no lock to wait for
  if (!store) {
    return fail(store.error());
  }
  auto a = find_key(**store, key_a, dir);
  if (!a) {
    return fail(a.error());
  }
  auto b = find_key(**store, key_b, dir);
  if (!b) {
    return fail(b.error());
  }
  ctx.out << "a: " << a->first << "  " << task_of(a->second) << "\n"
          << "b: " << b->first << "  " << task_of(b->second) << "\n";
  std::vector<std::string> lines = diff_key_notes(a->second, b->second);
  if (lines.empty()) {
    ctx.out << "the manifests are the same\n";
  }
  for (const std::string& line : lines) {
    ctx.out << line << "\n";
  }
  return 0;
}

}  // namespace ripple
