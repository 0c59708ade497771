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

// Records a failure to start as the task's own output, so it reaches the log like any other.
ProcessResult start_failure(ProcessResult result, const ProcessSpec& spec, std::string message) {
  result.exit_code = 127;
  result.output = "ripple: " + message + "\n";
  result.stderr_text = result.output;
  if (spec.on_output) {
    spec.on_output(OutputStream::err, result.output);
  }
  result.end_ns = now_ns();
  return result;
}

}  // namespace

ProcessResult PosixProcessRunner::run(const ProcessSpec& spec, const std::atomic<bool>& cancel) {
  ProcessResult result;
  result.start_ns = now_ns();
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    return start_failure(std::move(result), spec,
                         std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return start_failure(std::move(result), spec,
                         std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
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
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return start_failure(std::move(result), spec,
                         "cannot start the task in " + spec.cwd + ": " + std::strerror(rc));
  }

  auto deadline = spec.timeout_seconds ? std::optional(std::chrono::steady_clock::now() +
                                                       std::chrono::seconds(*spec.timeout_seconds))
                                       : std::nullopt;
  std::optional<std::chrono::steady_clock::time_point> kill_at;
  struct pollfd polled[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_count = 2;
  char buf[1 << 14];
  while (open_count > 0) {
    int ready = poll(polled, 2, 100);
    for (int i = 0; ready > 0 && i < 2; ++i) {
      if (polled[i].fd < 0 || polled[i].revents == 0) {
        continue;
      }
      ssize_t n = read(polled[i].fd, buf, sizeof buf);
      if (n > 0) {
        std::string_view chunk(buf, static_cast<std::size_t>(n));
        OutputStream which = i == 0 ? OutputStream::out : OutputStream::err;
        result.output.append(chunk);
        (which == OutputStream::out ? result.stdout_text : result.stderr_text).append(chunk);
        if (spec.on_output) {
          spec.on_output(which, chunk);
        }
      } else if (n == 0 || errno != EINTR) {
        close(polled[i].fd);  // every writer of this pipe is gone
        polled[i].fd = -1;
        --open_count;
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
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.end_ns = now_ns();
  return result;
}

}  // namespace ripple
