#include "tests/support/process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace fs = boost::filesystem;

namespace ripple::testing {
namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p.string(), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

bool process_running(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) {
    return false;  // no such process
  }
  // "pid (comm) S ...": the name may hold spaces and parentheses, the state follows the last ')'.
  std::size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) {
    throw std::runtime_error("cannot read the state in /proc/" + std::to_string(pid) + "/stat");
  }
  const char state = stat[close + 2];
  return state != 'Z' && state != 'X';
}

bool wait_until_stopped(int pid, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (!process_running(pid)) {
      return true;
    }
    usleep(50'000);
  }
  return !process_running(pid);
}

int flip_bytes(const std::string& dir, const std::string& glob, int offset, int step) {
  return run_shell("for f in " + glob +
                       "; do sz=$(stat -c %s \"$f\"); off=" + std::to_string(offset) +
                       "; while [ $off -lt $sz ]; do printf '\\132' | dd of=\"$f\" bs=1 "
                       "seek=$off conv=notrunc status=none || exit 1; off=$((off+" +
                       std::to_string(step) + ")); done; done",
                   dir)
      .exit_code;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

CommandResult run_shell(const std::string& command, const std::string& cwd) {
  TempDir capture;
  fs::path out = fs::path(capture.path()) / "out";
  fs::path err = fs::path(capture.path()) / "err";
  std::string full = "cd " + shell_quote(cwd) + " && (" + command + ") >" +
                     shell_quote(out.string()) + " 2>" + shell_quote(err.string()) + " </dev/null";
  int status = std::system(full.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = slurp(out);
  result.err = slurp(err);
  return result;
}

TempDir::TempDir() {
  fs::path p = fs::temp_directory_path() / fs::unique_path("ripple-test-%%%%-%%%%-%%%%");
  fs::create_directories(p);
  path_ = fs::canonical(p).string();
}

TempDir::~TempDir() {
  boost::system::error_code ec;
  fs::remove_all(path_, ec);
}

void TempDir::write(const std::string& rel, const std::string& content) const {
  fs::path p = fs::path(path_) / rel;
  fs::create_directories(p.parent_path());
  std::ofstream out(p.string(), std::ios::binary);
  out << content;
  if (!out) {
    throw std::runtime_error("cannot write " + p.string());
  }
}

std::string TempDir::read(const std::string& rel) const {
  const fs::path p = fs::path(path_) / rel;
  std::ifstream in(p.string(), std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + p.string());
  }
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace ripple::testing
