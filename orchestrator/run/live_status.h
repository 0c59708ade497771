#pragma once

// The live status line of `ripple run` on a terminal:
//
//   [3/26] running: checkout#build 3.1s, web#test 0.4s
//
// kept as the bottom line of the terminal and redrawn in place (carriage return, erase line)
// five times a second, so the elapsed times tick; everything else the run prints (task logs,
// warnings) scrolls above it. It never wraps: cut to the terminal's width, read again at each
// redraw (a resized window is followed), with room left for the "^C" a terminal echoes. stop() erases it, so the footer is the last thing left
// on the screen, after Ctrl-C too.
//
// LiveStatus is a Reporter that wraps the run's own: every message goes through it, so that the
// line is erased before the message and drawn again after it. Only for a terminal (the caller
// decides: stderr is a TTY, not CI, TERM is not "dumb"). Thread-safe.

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "graph/task_graph.h"
#include "orchestrator/reporter.h"

namespace ripple {

class LiveStatus final : public Reporter {
 public:
  // `out` is where everything goes (the terminal's reporter); `fd` the terminal, for its width;
  // `total` the tasks the line counts (those with a command).
  LiveStatus(Reporter& out, int fd, std::size_t total);
  ~LiveStatus() override;
  LiveStatus(const LiveStatus&) = delete;
  LiveStatus& operator=(const LiveStatus&) = delete;

  // Task `id` began / ended (ran, cached, failed or skipped: each counts once towards done).
  void started(graph::TaskId id, const std::string& label);
  void finished(graph::TaskId id);
  // Stops redrawing and erases the line. Idempotent.
  void stop();

  void warning(std::string_view message) override;
  void error(std::string_view message) override;
  void info(std::string_view message) override;
  void raw(std::string_view text) override;

  // The line for `width` columns (pure, for tests): "[done/total] running: a 3.1s, b 0.4s", cut
  // with "…" to at most width - 3 columns, so that neither the cursor nor a "^C" the terminal
  // echoes after it ever wraps.
  static std::string render(std::size_t done, std::size_t total,
                            const std::vector<std::pair<std::string, double>>& running,
                            std::size_t width);

 private:
  struct Running {
    std::string label;
    std::chrono::steady_clock::time_point since;
  };
  template <typename F>
  void around(F print);      // erase the line, print, draw it again (mutex held)
  void draw();               // mutex held
  std::size_t width() const;

  Reporter& out_;
  int fd_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::map<std::uint32_t, Running> running_;  // by TaskId: in plan order, not start order
  bool drawn_ = false;
  bool stopped_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread ticker_;
};

}  // namespace ripple
