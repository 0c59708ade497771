#include "orchestrator/platform/orphans.h"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <string>
#include <thread>

namespace ripple {
namespace {

// Every child of this process, from each of its threads' /proc children list.
std::set<pid_t> children() {
  std::set<pid_t> out;
  DIR* tasks = opendir("/proc/self/task");
  if (tasks == nullptr) {
    return out;
  }
  while (dirent* e = readdir(tasks)) {
    if (e->d_name[0] == '.') {
      continue;
    }
    std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/children");
    for (pid_t pid = 0; in >> pid;) {
      out.insert(pid);
    }
  }
  closedir(tasks);
  return out;
}

// Reaps the ones of `pids` that have ended; returns those still running.
std::set<pid_t> reap(const std::set<pid_t>& pids) {
  std::set<pid_t> left;
  for (pid_t pid : pids) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == 0) {
      left.insert(pid);
    }
  }
  return left;
}

}  // namespace

OrphanCatcher::OrphanCatcher() { enabled_ = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0; }

OrphanCatcher::~OrphanCatcher() {
  if (enabled_) {
    prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
  }
}

std::size_t OrphanCatcher::stop_all(std::chrono::milliseconds grace) {
  std::set<pid_t> left = reap(children());
  const std::size_t found = left.size();
  for (pid_t pid : left) {
    kill(pid, SIGTERM);
  }
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    left = reap(left);
  }
  for (pid_t pid : left) {
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
  }
  return found;
}

}  // namespace ripple
