#include "orchestrator/run/live_status.h"

#include <sys/ioctl.h>

#include <algorithm>
#include <cstdio>

namespace ripple {
namespace {

constexpr const char* kErase = "\r\x1b[K";
constexpr auto kTick = std::chrono::milliseconds(200);

// Columns a UTF-8 string takes, counting each code point as one.
std::size_t columns(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    n += (c & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

// The longest prefix of `s` that takes at most `width` columns, cut between code points.
std::string_view prefix_of_width(std::string_view s, std::size_t width) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && n++ == width) {
      return s.substr(0, i);
    }
  }
  return s;
}

}  // namespace

LiveStatus::LiveStatus(Reporter& out, int fd, std::size_t total)
    : out_(out), fd_(fd), total_(total) {
  ticker_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopped_) {
      draw();
      wake_.wait_for(lock, kTick);
    }
  });
}

LiveStatus::~LiveStatus() { stop(); }

void LiveStatus::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) {
      return;
    }
    stopped_ = true;
    if (drawn_) {
      out_.raw(kErase);
      drawn_ = false;
    }
  }
  wake_.notify_all();
  if (ticker_.joinable()) {
    ticker_.join();
  }
}

std::size_t LiveStatus::width() const {
  struct winsize ws {};
  if (ioctl(fd_, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    return ws.ws_col;
  }
  return 80;
}

std::string LiveStatus::render(std::size_t done, std::size_t total,
                               const std::vector<std::pair<std::string, double>>& running,
                               std::size_t width) {
  std::string line = "[" + std::to_string(done) + "/" + std::to_string(total) + "]";
  if (!running.empty()) {
    line += " running:";
    for (std::size_t i = 0; i < running.size(); ++i) {
      char secs[32];
      std::snprintf(secs, sizeof secs, " %.1fs", running[i].second);
      line += (i == 0 ? " " : ", ") + running[i].first + secs;
    }
  }
  // Two columns stay free beside the cursor's: the terminal echoes Ctrl-C as "^C" where the
  // cursor is, and a line that wrapped there could no longer be erased as one row.
  const std::size_t room = width > 3 ? width - 3 : 1;
  if (columns(line) <= room) {
    return line;
  }
  std::string cut(prefix_of_width(line, room - 1));
  return cut + "\u2026";
}

void LiveStatus::draw() {
  if (stopped_) {
    return;
  }
  std::vector<std::pair<std::chrono::steady_clock::time_point, const std::string*>> order;
  for (const auto& [id, r] : running_) {
    order.emplace_back(r.since, &r.label);
  }
  std::sort(order.begin(), order.end());
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, double>> running;
  for (const auto& [since, label] : order) {
    running.emplace_back(*label, std::chrono::duration<double>(now - since).count());
  }
  out_.raw(kErase + render(done_, total_, running, width()));
  drawn_ = true;
}

template <typename F>
void LiveStatus::around(F print) {
  std::lock_guard lock(mutex_);
  if (drawn_) {
    out_.raw(kErase);
    drawn_ = false;
  }
  print();
  draw();
}

void LiveStatus::started(graph::TaskId id, const std::string& label) {
  around([&] { running_[id.value] = Running{label, std::chrono::steady_clock::now()}; });
}

void LiveStatus::finished(graph::TaskId id) {
  around([&] {
    running_.erase(id.value);
    ++done_;
  });
}

void LiveStatus::warning(std::string_view message) {
  around([&] { out_.warning(message); });
}
void LiveStatus::error(std::string_view message) {
  around([&] { out_.error(message); });
}
void LiveStatus::info(std::string_view message) {
  around([&] { out_.info(message); });
}
void LiveStatus::raw(std::string_view text) {
  around([&] { out_.raw(text); });
}

}  // namespace ripple
