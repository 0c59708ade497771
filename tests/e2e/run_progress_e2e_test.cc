// The live status line of `ripple run` on a real terminal: ripple runs in a pane of a private
// tmux server, and the test reads the screen with `capture-pane`, as a person would see it.

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/git_repo.h"

using namespace ripple::testing;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

// Columns a UTF-8 line takes (each code point one column).
std::size_t columns(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    n += (c & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

// A detached tmux session of `width` x 20 on its own server, running `command` in `dir` through
// sh, which ignores SIGINT itself so that it lives to write ripple's exit code to `exit_file`.
class Pane {
 public:
  Pane(const std::string& dir, const std::string& command, int width) {
    const std::string script = "trap '' INT; " + command + "; echo $? > " + shell_quote(exit_file());
    tmux("new-session -d -s t -x " + std::to_string(width) + " -y 20 -c " + shell_quote(dir) + " " +
         shell_quote("sh -c " + shell_quote(script) + "; sleep 600"));
  }
  ~Pane() { tmux("kill-server"); }

  // The screen, row by row; `joined`: with rows the terminal wrapped joined into their line.
  std::string screen(bool joined = false) const {
    return tmux(std::string("capture-pane -p ") + (joined ? "-J " : "") + "-t t").out;
  }
  void keys(const std::string& keys) const { tmux("send-keys -t t " + keys); }

  // Waits (bounded) until the screen holds a line for which `want` is true; that line.
  template <typename F>
  std::string wait_for_line(F want) const {
    for (int i = 0; i < 600; ++i) {
      for (const std::string& line : lines_of(screen())) {
        if (want(line)) {
          return line;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("the screen never showed the expected line:\n" << screen());
    return {};
  }
  // ripple's exit code, once it has ended (bounded wait).
  int exit_code() const {
    for (int i = 0; i < 600; ++i) {
      std::ifstream in(exit_file());
      int code = -1;
      if (in >> code) {
        return code;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("ripple never ended:\n" << screen());
    return -1;
  }

 private:
  std::string exit_file() const { return files_.path() + "/exit"; }
  CommandResult tmux(const std::string& args) const {
    return run_shell("tmux -S " + shell_quote(files_.path() + "/sock") + " " + args);
  }

  TempDir files_;
};

// Three tasks that wait (at most 60 s) until the file `go` exists at the root.
void waiting_workspace(const GitRepo& repo) {
  repo.write("ripple.yaml",
             "services: [s/*]\ntasks:\n  t: { run: 'echo started; i=0; while [ ! -e ../../go ]; "
             "do i=$((i+1)); [ $i -gt 600 ] && exit 1; sleep 0.1; done; echo done', "
             "cache: false }\n");
  for (const char* s : {"alpha-service", "beta-service", "gamma-service"}) {
    repo.write(std::string("s/") + s + "/service.yaml", "");
  }
  repo.write(".gitignore", "go\n");
  repo.commit("ws");
}

// ripple in a clean environment with a terminal type, as a developer would run it.
std::string ripple_command(const std::string& args) {
  return ripple_command_line(args, "TERM=xterm");
}

}  // namespace

TEST_CASE("run progress: a status line under the logs says what runs, then gives way") {
  GitRepo repo;
  waiting_workspace(repo);
  Pane pane(repo.path(), ripple_command("run t --all -j 3"), 160);
  const std::string status = pane.wait_for_line([](const std::string& l) {
    return l.find("beta-service#t") != std::string::npos &&
           l.find("gamma-service#t") != std::string::npos;
  });
  CHECK_THAT(status, Catch::StartsWith("[0/3] running: "));
  CHECK_THAT(status, Catch::Matches(".*alpha-service#t [0-9]+\\.[0-9]s.*"));
  // Streamed lines scroll above the status line.
  pane.wait_for_line([](const std::string& l) { return l == "alpha-service:t: started"; });
  run_shell("touch go", repo.path());
  CHECK(pane.exit_code() == 0);
  const std::string end = pane.screen();
  INFO(end);
  CHECK_THAT(end, Catch::Contains("alpha-service:t: done"));
  CHECK_THAT(end, Catch::Contains("ripple: Tasks: 3 (0 cached, 3 ran, 0 failed)"));
  CHECK_THAT(end, !Catch::Contains("running:"));  // erased, not left behind
}

TEST_CASE("run progress: on a 40-column terminal the line is cut, never wrapped, and Ctrl-C clears it") {
  GitRepo repo;
  waiting_workspace(repo);
  Pane pane(repo.path(), ripple_command("run t --all -j 3"), 40);
  const std::string status =
      pane.wait_for_line([](const std::string& l) { return l.rfind("[0/3] running:", 0) == 0; });
  CHECK(columns(status) <= 37);  // room for the "^C" the terminal echoes after it
  CHECK_THAT(status, Catch::EndsWith("\u2026"));
  for (const std::string& line : lines_of(pane.screen())) {
    CHECK(columns(line) <= 40);
  }
  pane.keys("C-c");
  CHECK(pane.exit_code() == 130);
  const std::string end = pane.screen(true);
  INFO(end);
  CHECK_THAT(end, Catch::Contains("ripple: Tasks: 3 (0 cached, 0 ran, 3 failed)"));
  CHECK_THAT(end, Catch::Contains("ripple: interrupted: the tasks still running were stopped"));
  CHECK_THAT(end, !Catch::Contains("running:"));
  CHECK_THAT(end, !Catch::Contains("failed (stopped"));  // no recap of what Ctrl-C stopped
}

TEST_CASE("run progress: no status line in CI or off a terminal") {
  GitRepo repo;
  repo.write("ripple.yaml", "services: [s/*]\ntasks:\n  t: { run: 'echo hi' }\n");
  repo.write("s/a/service.yaml", "");
  repo.commit("ws");
  auto piped = repo.ripple("run t --all");
  CHECK(piped.exit_code == 0);
  CHECK_THAT(piped.err, !Catch::Contains("running:"));
  CHECK_THAT(piped.err, !Catch::Contains("\x1b[K"));
  Pane pane(repo.path(),
            ripple_command_line("run t --all", "TERM=xterm CI=true"),
            100);
  CHECK(pane.exit_code() == 0);
  CHECK_THAT(pane.screen(), Catch::Contains("── a#t: cached"));
  CHECK_THAT(pane.screen(), !Catch::Contains("[0/1]"));
}
