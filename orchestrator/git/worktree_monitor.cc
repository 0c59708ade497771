#include "orchestrator/git/worktree_monitor.h"

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "orchestrator/git/worktree_recheck.h"
#include "orchestrator/platform/atomic_file.h"
#include "orchestrator/platform/watchman_client.h"

namespace ripple::git {
namespace {

using nlohmann::json;

constexpr int kStateVersion = 1;
constexpr std::chrono::milliseconds kWatchmanTimeout{30000};

// The saved state of the last scan.
struct MonitorState {
  std::string root;         // snap.root it was taken for
  std::string watch;        // watchman's root
  std::string relative;     // and the workspace below it
  std::string fingerprint;  // see fingerprint()
  std::string clock;
  std::vector<std::string> pending;  // not clean at the last scan
  std::string socket;                // watchman's, so the next run need not ask for it
};

std::string stat_text(const std::string& path) {
  struct stat st;
  if (path.empty() || stat(path.c_str(), &st) != 0) {
    return "-";
  }
  return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_ctim.tv_sec) + "." +
         std::to_string(st.st_ctim.tv_nsec) + ":" + std::to_string(st.st_ino);
}

// The stat data of everything besides the work tree that decides a scan's answer: the index,
// the config files (core.filemode, core.autocrlf, core.excludesFile…), the exclude files, the
// attributes file. Any difference means the saved state is not used.
std::string fingerprint(git_repository* repo) {
  std::string git_dir = git_repository_path(repo);
  std::string common = git_repository_commondir(repo);
  std::string excludes = config_path(repo, "core.excludesfile");
  if (excludes.empty()) {
    excludes = home_file("git/ignore");
  }
  const std::string files[] = {git_dir + "index",
                               common + "config",
                               common + "info/exclude",
                               common + "info/attributes",
                               found(git_config_find_global),
                               found(git_config_find_xdg),
                               found(git_config_find_system),
                               excludes,
                               config_path(repo, "core.attributesfile")};
  std::string out;
  for (const std::string& f : files) {
    out.append(f).append("=").append(stat_text(f)).append(";");
  }
  return out;
}

// Whether the index the scan reads is the one `fingerprint` describes.
bool index_unchanged_since(git_repository* repo, const IndexSnapshot& snap) {
  struct stat st;
  std::string index = std::string(git_repository_path(repo)) + "index";
  return stat(index.c_str(), &st) == 0 && st.st_mtim.tv_sec == snap.index_mtime.tv_sec &&
         st.st_mtim.tv_nsec == snap.index_mtime.tv_nsec;
}

std::optional<MonitorState> load_state(const std::string& path) {
  auto text = read_whole_file(path);
  if (!text) {
    return std::nullopt;
  }
  json doc = json::parse(*text, nullptr, false);
  if (!doc.is_object() || doc.value("version", 0) != kStateVersion) {
    return std::nullopt;
  }
  MonitorState s;
  try {
    s.root = doc.at("root").get<std::string>();
    s.watch = doc.at("watch").get<std::string>();
    s.relative = doc.at("relative").get<std::string>();
    s.fingerprint = doc.at("fingerprint").get<std::string>();
    s.clock = doc.at("clock").get<std::string>();
    s.pending = doc.at("pending").get<std::vector<std::string>>();
    s.socket = doc.value("socket", "");
  } catch (const json::exception&) {
    return std::nullopt;  // damaged: a full scan writes it anew
  }
  return s;
}

Status save_state(const std::string& path, const MonitorState& s) {
  json doc = {{"version", kStateVersion},
              {"root", s.root},
              {"watch", s.watch},
              {"relative", s.relative},
              {"fingerprint", s.fingerprint},
              {"clock", s.clock},
              {"pending", s.pending},
              {"socket", s.socket}};
  return write_file_atomically(path, doc.dump());
}

// Paths that were not clean: they must be looked at again even if nothing touches them.
std::vector<std::string> not_clean(const IndexSnapshot& snap, const Scan& scan) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scan.tracked.size(); ++i) {
    if (scan.tracked[i].state != FileState::clean) {
      out.emplace_back(snap.entries[i].path);
    }
  }
  out.insert(out.end(), scan.untracked.begin(), scan.untracked.end());
  return out;
}

// A change to the rules that decide what is ignored or how bytes compare affects files nobody
// touched.
bool touches_rules(const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    std::string_view base = n;
    if (auto slash = base.rfind('/'); slash != std::string_view::npos) {
      base.remove_prefix(slash + 1);
    }
    if (base == ".gitignore" || base == ".gitattributes") {
      return true;
    }
  }
  return false;
}

void tell(const std::function<void(const std::string&)>& sink, const std::string& text) {
  if (sink) {
    sink(text);
  }
}

}  // namespace

Result<Scan> scan_worktree_with(git_repository* repo, const IndexSnapshot& snap,
                                cache::StatCache* cache, const ContentHasher& hasher,
                                const ScanShortcuts& aids) {
  if (aids.monitor == nullptr) {
    return scan_worktree(repo, snap, cache, hasher, aids.listings);
  }
  const FsMonitorOptions& opt = *aids.monitor;
  auto full_scan_because = [&](const std::string& why) {
    tell(opt.trace, "fsmonitor: full scan (" + why + ")");
    return scan_worktree(repo, snap, cache, hasher, aids.listings);
  };
  std::optional<MonitorState> saved = load_state(opt.state_path);
  // The socket the last run used spares asking `watchman get-sockname` (a process) each time.
  Result<WatchmanClient> client = environment_error("");
  std::string socket = opt.socket;
  if (socket.empty() && saved && !saved->socket.empty()) {
    client = WatchmanClient::connect(saved->socket, kWatchmanTimeout);
    if (client) {
      socket = saved->socket;
    }
  }
  if (!client) {
    socket = opt.socket;
    client = WatchmanClient::connect(socket, kWatchmanTimeout, &socket);
  }
  std::optional<WatchedRoot> root;
  if (client) {
    std::string dir = snap.root.substr(0, snap.root.size() - 1);  // without the final '/'
    auto watched = client->watch_project(dir);
    if (!watched) {
      client = tl::unexpected(watched.error());
    } else {
      root = std::move(*watched);
    }
  }
  if (!client) {
    tell(opt.warn, client.error().message + "; scanning every file of the work tree");
    unlink(opt.state_path.c_str());  // its clock could not be followed
    return full_scan_because("watchman unavailable");
  }

  const std::string print = fingerprint(repo);
  const bool index_as_read = index_unchanged_since(repo, snap);
  std::optional<Scan> scan;
  std::string clock;
  std::string why = "no saved clock";
  if (saved && index_as_read) {
    if (saved->root != snap.root || saved->watch != root->root ||
        saved->relative != root->relative) {
      why = "the saved clock is for another watch";
    } else if (saved->fingerprint != print) {
      why = "the index or git's config changed";
    } else if (auto changes = client->changes_since(*root, saved->clock, {".ripple"}); !changes) {
      why = changes.error().message;
    } else if (changes->fresh_instance) {
      why = "watchman cannot vouch for the saved clock";
    } else if (touches_rules(changes->names)) {
      why = "a .gitignore or .gitattributes changed";
    } else if (changes->names.size() > snap.entries.size() / 4 + 64) {
      why = std::to_string(changes->names.size()) + " paths changed";
    } else {
      const std::size_t named = changes->names.size();
      std::vector<std::string> candidates = std::move(changes->names);
      candidates.insert(candidates.end(), saved->pending.begin(), saved->pending.end());
      auto rechecked = recheck_worktree(repo, snap, cache, hasher, std::move(candidates));
      if (!rechecked) {
        return tl::unexpected(rechecked.error());
      }
      tell(opt.trace, "fsmonitor: re-checked " + std::to_string(named) + " changed and " +
                          std::to_string(saved->pending.size()) + " pending paths");
      scan = std::move(*rechecked);
      clock = std::move(changes->clock);
    }
  } else if (!index_as_read) {
    why = "the index changed while it was read";
  }

  if (!scan) {
    // The clock comes first: whatever changes while the scan runs is named next time.
    auto now = client->clock(*root);
    auto full = full_scan_because(why);
    if (!full || !now) {
      if (!now) {
        tell(opt.warn, now.error().message + "; the next scan covers every file again");
        unlink(opt.state_path.c_str());
      }
      return full;
    }
    scan = std::move(*full);
    clock = std::move(*now);
  }
  if (index_as_read) {
    MonitorState next{snap.root,        root->root,
                      root->relative,   print,
                      std::move(clock), not_clean(snap, *scan),
                      std::move(socket)};
    if (auto st = save_state(opt.state_path, next); !st) {
      tell(opt.warn, st.error().message + "; the next scan covers every file again");
    }
  }
  return std::move(*scan);
}

}  // namespace ripple::git
