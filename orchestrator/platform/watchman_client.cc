#include "orchestrator/platform/watchman_client.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

extern char** environ;

namespace ripple {
namespace {

using nlohmann::json;

tl::unexpected<Error> failed(const std::string& what) {
  return environment_error("watchman: " + what);
}

// What `watchman get-sockname` prints, run with stdin and stderr on /dev/null.
Result<std::string> ask_for_sockname(std::chrono::milliseconds timeout) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    return failed(std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  char arg0[] = "watchman";
  char arg1[] = "--no-pretty";
  char arg2[] = "get-sockname";
  char* argv[] = {arg0, arg1, arg2, nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "watchman", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (rc != 0) {
    close(out[0]);
    return failed(std::string("cannot start 'watchman' (") + std::strerror(rc) +
                  "); install it (apt-get install watchman) or set fsmonitor: off");
  }
  std::string text;
  char buf[4096];
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    struct pollfd p {
      out[0], POLLIN, 0
    };
    if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      kill(pid, SIGKILL);
      break;
    }
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  json doc = json::parse(text, nullptr, false);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !doc.is_object() ||
      !doc.contains("sockname") || !doc["sockname"].is_string()) {
    return failed("'watchman get-sockname' did not name a socket");
  }
  return doc["sockname"].get<std::string>();
}

// The response object, or an error for an error response or a malformed one.
Result<json> checked(json doc) {
  if (!doc.is_object()) {
    return failed("malformed response");
  }
  if (auto e = doc.find("error"); e != doc.end()) {
    return failed(e->is_string() ? e->get<std::string>() : e->dump());
  }
  return doc;
}

}  // namespace

WatchmanClient::WatchmanClient(int fd) : fd_(fd) {}

WatchmanClient::WatchmanClient(WatchmanClient&& other) noexcept
    : fd_(other.fd_), pending_(std::move(other.pending_)) {
  other.fd_ = -1;
}

WatchmanClient& WatchmanClient::operator=(WatchmanClient&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      close(fd_);
    }
    fd_ = other.fd_;
    pending_ = std::move(other.pending_);
    other.fd_ = -1;
  }
  return *this;
}

WatchmanClient::~WatchmanClient() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

Result<WatchmanClient> WatchmanClient::connect(const std::string& socket_path,
                                               std::chrono::milliseconds timeout,
                                               std::string* used) {
  std::string path = socket_path;
  if (path.empty()) {
    auto named = ask_for_sockname(timeout);
    if (!named) {
      return tl::unexpected(named.error());
    }
    path = std::move(*named);
  }
  struct sockaddr_un addr {};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    return failed("socket path too long: " + path);
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return failed(std::string("cannot create a socket: ") + std::strerror(errno));
  }
  if (::connect(fd, reinterpret_cast<struct sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    close(fd);
    return failed("cannot connect to " + path + ": " + std::strerror(err));
  }
  struct timeval tv {};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (used != nullptr) {
    *used = path;
  }
  return WatchmanClient(fd);
}

Result<json> WatchmanClient::request(const json& command) {
  std::string out = command.dump() + "\n";
  for (std::size_t done = 0; done < out.size();) {
    ssize_t n = send(fd_, out.data() + done, out.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return failed(std::string("cannot send a request: ") + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  // Responses are one line each; unilateral ones (subscriptions, logs) are skipped.
  char buf[65536];
  while (true) {
    std::size_t nl = pending_.find('\n');
    if (nl != std::string::npos) {
      json doc = json::parse(std::string_view(pending_).substr(0, nl), nullptr, false);
      pending_.erase(0, nl + 1);
      if (doc.is_object() && doc.value("unilateral", false)) {
        continue;
      }
      return checked(std::move(doc));
    }
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return failed("no answer within the time limit");
    }
    if (n <= 0) {
      return failed("the service closed the connection");
    }
    pending_.append(buf, static_cast<std::size_t>(n));
  }
}

Result<WatchedRoot> WatchmanClient::watch_project(const std::string& dir) {
  auto doc = request(json::array({"watch-project", dir}));
  if (!doc) {
    return tl::unexpected(doc.error());
  }
  auto watch = doc->find("watch");
  if (watch == doc->end() || !watch->is_string()) {
    return failed("watch-project named no root");
  }
  WatchedRoot root{watch->get<std::string>(), ""};
  if (auto rel = doc->find("relative_path"); rel != doc->end() && rel->is_string()) {
    root.relative = rel->get<std::string>();
  }
  return root;
}

Result<std::string> WatchmanClient::clock(const WatchedRoot& root) {
  auto doc = request(json::array({"clock", root.root, {{"sync_timeout", 20000}}}));
  if (!doc) {
    return tl::unexpected(doc.error());
  }
  auto clock = doc->find("clock");
  if (clock == doc->end() || !clock->is_string()) {
    return failed("clock answered without a clock");
  }
  return clock->get<std::string>();
}

Result<WatchmanChanges> WatchmanClient::changes_since(
    const WatchedRoot& root, const std::string& since,
    const std::vector<std::string>& excluded_dirs) {
  json query = {{"since", since},
                {"fields", json::array({"name"})},
                {"empty_on_fresh_instance", true},
                {"sync_timeout", 20000}};
  if (!root.relative.empty()) {
    query["relative_root"] = root.relative;
  }
  if (!excluded_dirs.empty()) {
    json any = json::array({"anyof"});
    for (const std::string& d : excluded_dirs) {
      any.push_back(json::array({"dirname", d}));
      any.push_back(json::array({"name", d, "wholename"}));
    }
    query["expression"] = json::array({"not", any});
  }
  auto doc = request(json::array({"query", root.root, query}));
  if (!doc) {
    return tl::unexpected(doc.error());
  }
  WatchmanChanges changes;
  auto clock = doc->find("clock");
  auto files = doc->find("files");
  if (clock == doc->end() || !clock->is_string() || files == doc->end() || !files->is_array()) {
    return failed("query answered without a clock or files");
  }
  changes.clock = clock->get<std::string>();
  changes.fresh_instance = doc->value("is_fresh_instance", false);
  changes.names.reserve(files->size());
  for (const json& f : *files) {
    if (!f.is_string()) {
      return failed("query answered a file that is not a name");
    }
    changes.names.push_back(f.get<std::string>());
  }
  return changes;
}

}  // namespace ripple
