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
#include <thread>

#include "orchestrator/platform/task_watchdog.h"

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

// After the task's own process ended, how long its pipes are still read for what is left in
// them (and for leftovers to go, after they were told to).
constexpr int kDrainMs = 200;

// Joins two streams into one log a line at a time: a line is only ever added whole, so one
// stream's partial line is never cut by the other's. What is left unended is added at the end.
class LineJoiner {
 public:
  explicit LineJoiner(std::string& out) : out_(out) {}
  void add(int stream, std::string_view chunk) {
    std::string& pending = pending_[stream];
    pending.append(chunk);
    std::size_t end = pending.rfind('\n');
    if (end != std::string::npos) {
      out_.append(pending, 0, end + 1);
      pending.erase(0, end + 1);
    }
  }
  void finish() {
    for (std::string& pending : pending_) {
      out_ += pending;
      pending.clear();
    }
  }

 private:
  std::string& out_;
  std::string pending_[2];
};

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
  if (watchdog_ != nullptr) {
    watchdog_->watch(pid);  // its own process group: pgid == pid
  }

  // No optional here: GCC 12 sees a maybe-uninitialized time in one (-Werror in CI).
  const bool has_deadline = spec.timeout_seconds.has_value();
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(spec.timeout_seconds.value_or(0));
  std::optional<std::chrono::steady_clock::time_point> kill_at;
  // Once the task's own process has ended, what is left of its group (`cmd &`, a double fork)
  // is stopped, and its pipes are read only until then: a leftover that keeps stdout open must
  // not hold the run.
  std::optional<int> status;
  std::optional<std::chrono::steady_clock::time_point> stop_reading_at;
  struct pollfd polled[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_count = 2;
  LineJoiner lines(result.output);
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
        lines.add(i, chunk);
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
    if (!status) {
      int st = 0;
      if (waitpid(pid, &st, WNOHANG) == pid) {
        status = st;
        // Leftovers in its process group get what a cancelled task gets.
        if (kill(-pid, SIGTERM) == 0) {
          kill_at = now + std::chrono::milliseconds(grace_ms_);
        }
        stop_reading_at =
            now + std::chrono::milliseconds(kill_at ? grace_ms_ + kDrainMs : kDrainMs);
      }
    }
    if (!status && !kill_at && ((has_deadline && now >= deadline) || cancel.load())) {
      result.timed_out = has_deadline && now >= deadline;
      result.cancelled = !result.timed_out;
      kill(-pid, SIGTERM);
      kill_at = now + std::chrono::milliseconds(grace_ms_);
    }
    if (kill_at && now >= *kill_at) {
      kill(-pid, SIGKILL);
      kill_at = now + std::chrono::hours(24);  // once
    }
    if (stop_reading_at && now >= *stop_reading_at) {
      // Only a process outside the group (setsid) can still hold the pipes: stop listening.
      for (auto& p : polled) {
        if (p.fd >= 0) {
          close(p.fd);
          p.fd = -1;
        }
      }
      open_count = 0;
    }
  }
  lines.finish();
  if (!status) {
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    status = st;
  }
  // The pipes may close before the task's process is seen to end, and leftovers that write
  // elsewhere (`cmd > /dev/null &`) never held them: whatever is still in the group now is told
  // to go, and killed when it has not after the grace period.
  if (!kill_at && kill(-pid, SIGTERM) == 0) {
    kill_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms_);
  }
  if (kill_at) {
    // Leftovers ripple adopted (it is a subreaper during a run) stay zombies, still in the group,
    // until reaped: reap those of this group as they go.
    auto reap = [&] {
      int st = 0;
      while (waitpid(-pid, &st, WNOHANG) > 0) {
      }
    };
    for (reap(); kill(-pid, 0) == 0 && std::chrono::steady_clock::now() < *kill_at; reap()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(-pid, SIGKILL);  // ESRCH when the group is gone
    reap();
  }
  result.exit_code = WIFEXITED(*status) ? WEXITSTATUS(*status) : 128 + WTERMSIG(*status);
  if (watchdog_ != nullptr) {
    watchdog_->unwatch(pid);
  }
  result.end_ns = now_ns();
  return result;
}

}  // namespace ripple
