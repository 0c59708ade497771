#include "orchestrator/run/process_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>

extern char** environ;

namespace ripple {
namespace {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> build_env(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv = *e;
    std::size_t eq = kv.find('=');
    if (eq != std::string::npos) {
      vars[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  for (const auto& [k, v] : extra) {
    vars[k] = v;
  }
  std::vector<std::string> out;
  for (const auto& [k, v] : vars) {
    out.push_back(k + "=" + v);
  }
  return out;
}

}  // namespace

ProcessResult PosixProcessRunner::run(const ProcessSpec& spec, const std::atomic<bool>& cancel) {
  ProcessResult result;
  result.start_ns = now_ns();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    result.exit_code = 127;
    result.output = std::string("ripple: cannot create a pipe: ") + std::strerror(errno) + "\n";
    result.end_ns = now_ns();
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addchdir_np(&actions, spec.cwd.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group, so that terminating the task reaches everything it started.
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);

  std::vector<std::string> env = build_env(spec.env);
  std::vector<char*> envp;
  for (auto& e : env) {
    envp.push_back(e.data());
  }
  envp.push_back(nullptr);
  std::string sh = "/bin/sh";
  std::string dash_c = "-c";
  std::string command = spec.command;
  char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    result.exit_code = 127;
    result.output =
        "ripple: cannot start the task in " + spec.cwd + ": " + std::strerror(rc) + "\n";
    result.end_ns = now_ns();
    return result;
  }

  auto deadline = spec.timeout_seconds ? std::optional(std::chrono::steady_clock::now() +
                                                       std::chrono::seconds(*spec.timeout_seconds))
                                       : std::nullopt;
  std::optional<std::chrono::steady_clock::time_point> kill_at;
  bool open = true;
  char buf[1 << 14];
  while (open) {
    struct pollfd p {
      fds[0], POLLIN, 0
    };
    int ready = poll(&p, 1, 100);
    if (ready > 0) {
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n > 0) {
        result.output.append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        open = false;  // every writer is gone
      }
    }
    auto now = std::chrono::steady_clock::now();
    if (!kill_at && ((deadline && now >= *deadline) || cancel.load())) {
      result.timed_out = deadline && now >= *deadline;
      result.cancelled = !result.timed_out;
      kill(-pid, SIGTERM);
      kill_at = now + std::chrono::milliseconds(grace_ms_);
    }
    if (kill_at && now >= *kill_at) {
      kill(-pid, SIGKILL);
      kill_at = now + std::chrono::hours(24);  // once
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.end_ns = now_ns();
  return result;
}

}  // namespace ripple
