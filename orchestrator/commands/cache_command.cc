#include "orchestrator/commands/cache_command.h"

#include <cctype>
#include <cstring>
#include <limits>
#include <ostream>

#include "cache/cache_dir.h"
#include "cache/local_store.h"
#include "cache/remote_probe.h"
#include "orchestrator/command_setup.h"
#include "orchestrator/run/run_stores.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

std::optional<std::uint64_t> parse_size(const std::string& text) {
  std::size_t i = 0;
  std::uint64_t value = 0;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
    const auto digit = static_cast<std::uint64_t>(text[i] - '0');
    if (value > (kMax - digit) / 10) {
      return std::nullopt;  // more than 2^64 - 1 bytes
    }
    value = value * 10 + digit;
    ++i;
  }
  if (i == 0) {
    return std::nullopt;
  }
  std::string unit = text.substr(i);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) {
    unit.pop_back();  // "500MB", "2GiB", "3kb"
    if (!unit.empty() && unit.back() == 'i') {
      unit.pop_back();
    }
  }
  static const std::string kUnits = "KMGT";
  if (unit.empty()) {
    return value;
  }
  if (unit.size() != 1) {
    return std::nullopt;
  }
  auto pos = kUnits.find(static_cast<char>(std::toupper(static_cast<unsigned char>(unit[0]))));
  if (pos == std::string::npos) {
    return std::nullopt;
  }
  const unsigned shift = static_cast<unsigned>(10 * (pos + 1));
  if (value > (kMax >> shift)) {
    return std::nullopt;  // 16777216T and the like overflow 64 bits
  }
  return value << shift;
}

namespace {

// `cache doctor`: the local cache's size, and the remote's checks (remote_probe.h). Exit 0 when
// every check that applies passed, 3 otherwise.
int run_doctor(const CommandContext& ctx, const LoadedWorkspace& loaded) {
  const std::string dir = local_cache_dir(loaded);
  ctx.out << "local cache " << dir << ": ";
  if (auto store = cache::LocalStore::open_read_only(dir); store) {
    auto s = (*store)->stats();
    ctx.out << (s ? std::to_string(s->entries) + " entries, " + std::to_string(s->blob_bytes) +
                        " blob bytes"
                  : s.error().message)
            << "\n";
  } else {
    ctx.out << "none yet\n";
  }
  const auto& config = loaded.workspace.config().cache.remote;
  if (!config) {
    ctx.out << "remote cache: none configured (cache.remote in ripple.yaml; "
               "docs/remote-cache.md)\n";
    return 0;
  }
  auto options = remote_options_for(ctx, loaded, *config, StoreChoice{});
  if (!options) {
    return report_failure(ctx, options.error());
  }
  if (!*options) {
    return 3;  // off for this run: said why
  }
  const cache::RemoteOptions& o = **options;
  ctx.out << "remote cache " << o.shown_url << " (" << o.protocol.name() << ")\n"
          << "  mode: " << config->mode << "; this run "
          << (o.read && o.write ? "reads and writes"
              : o.read          ? "only reads"
                                : "only writes")
          << "\n  token: "
          << (config->token_env
                  ? *config->token_env + (ctx.env(*config->token_env) ? " (set)" : " (not set)")
                  : std::string("none configured"))
          << "\n  signing: " << (o.signing_key ? "on" : "off") << "\n";
  bool ok = true;
  for (const cache::ProbeLine& line : cache::probe_remote(o)) {
    ctx.out << "  " << line.name << ": " << (line.ok ? "ok — " : "FAILED — ") << line.detail
            << "\n";
    ok = ok && line.ok;
  }
  return ok ? 0 : 3;
}

}  // namespace

int run_cache_command(const CommandContext& ctx, const CacheOptions& options) {
  auto fail = [&](const Error& e) { return report_failure(ctx, e); };
  auto loaded = load_workspace_for(ctx);
  if (!loaded) {
    return fail(loaded.error());
  }
  if (options.action == "doctor") {
    return run_doctor(ctx, *loaded);
  }
  const std::string dir = local_cache_dir(*loaded);
  std::optional<std::uint64_t> max_bytes;
  if (options.action == "prune") {
    max_bytes = parse_size(options.max_size);
    if (!max_bytes) {
      return fail(Error{ErrorKind::input,
                        "--max-size '" + options.max_size +
                            "' is not a size up to 16 EiB; write e.g. 500M, 2G or 1048576"});
    }
  }
  if (options.action == "clear") {
    // Files removed, RocksDB never opened: a cache it cannot open any more is cleared too.
    auto others = cache::clear_cache_dir(dir, options.lock_timeout,
                                         [&](const std::string& m) { ctx.reporter.info(m); });
    if (!others) {
      return fail(others.error());
    }
    ctx.reporter.info("cleared " + dir +
                      (*others == 0   ? std::string()
                       : *others == 1 ? "; left 1 entry there that is not the cache's"
                                      : "; left " + std::to_string(*others) +
                                            " entries there that are not the cache's"));
    return 0;
  }
  // stats and verify only read: read-only, no lock, nothing written (when there is a cache).
  const bool reads_only = options.action == "stats" || options.action == "verify";
  Result<std::unique_ptr<cache::LocalStore>> store = std::unique_ptr<cache::LocalStore>();
  if (reads_only) {
    store = cache::LocalStore::open_read_only(dir);
  }
  if (!reads_only || !store) {
    store = open_local_cache(ctx, *loaded, options.lock_timeout);
  }
  if (!store) {
    return fail(store.error());
  }
  if (options.action == "stats") {
    auto s = (*store)->stats();
    if (!s) {
      return fail(s.error());
    }
    ctx.out << "cache: " << dir << "\nentries: " << s->entries << "\nblobs: " << s->blobs
            << "\nblob bytes: " << s->blob_bytes << "\n";
    return 0;
  }
  if (options.action == "verify") {
    auto r = (*store)->verify();
    if (!r) {
      return fail(r.error());
    }
    for (const std::string& p : r->problems) {
      ctx.out << p << "\n";
    }
    ctx.reporter.info(
        "verified " + std::to_string(r->entries_checked) + " entries and " +
        std::to_string(r->blobs_checked) + " blobs: " +
        (r->problems.empty() ? "clean" : std::to_string(r->problems.size()) + " problems"));
    return r->problems.empty() ? 0 : 3;
  }
  if (options.action == "prune") {
    auto removed = (*store)->prune(*max_bytes);
    if (!removed) {
      return fail(removed.error());
    }
    ctx.reporter.info("pruned " + std::to_string(*removed) + " entries");
    return 0;
  }
  return fail(Error{ErrorKind::internal, "unknown cache action '" + options.action + "'"});
}

}  // namespace ripple
