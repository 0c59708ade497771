#include "orchestrator/platform/interrupt.h"

#include <signal.h>

#include <cassert>
#include <iterator>

namespace ripple {
namespace {

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// What the handler may touch: lock-free atomics only.
std::atomic<std::atomic<bool>*> g_cancel{nullptr};
std::atomic<bool> g_received{false};
struct sigaction g_previous[std::size(kStopSignals)];

void on_stop_signal(int) {
  g_received.store(true);
  if (std::atomic<bool>* cancel = g_cancel.load(); cancel != nullptr) {
    cancel->store(true);
  }
}

}  // namespace

StopSignals::StopSignals(std::atomic<bool>& cancel) {
  [[maybe_unused]] std::atomic<bool>* before = g_cancel.exchange(&cancel);
  assert(before == nullptr && "one StopSignals at a time");
  g_received.store(false);
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
    sigaction(kStopSignals[i], &sa, &g_previous[i]);
  }
}

StopSignals::~StopSignals() {
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
    sigaction(kStopSignals[i], &g_previous[i], nullptr);
  }
  g_cancel.store(nullptr);
}

bool StopSignals::received() const { return g_received.load(); }

}  // namespace ripple
