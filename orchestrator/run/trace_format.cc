#include "orchestrator/run/trace_format.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>

#include "orchestrator/run/report_text.h"

namespace ripple {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kPid = 1;
constexpr int kRippleTid = 1;
constexpr int kFirstWorkerTid = 2;

Json thread_name(int tid, const std::string& name) {
  return {{"name", "thread_name"}, {"ph", "M"},  {"ts", 0},
          {"pid", kPid},           {"tid", tid}, {"args", {{"name", name}}}};
}

bool in_trace(TaskOutcome::Status s) {
  return s == TaskOutcome::Status::ran || s == TaskOutcome::Status::cached ||
         s == TaskOutcome::Status::failed;
}

}  // namespace

std::vector<int> assign_tracks(std::span<const std::pair<std::int64_t, std::int64_t>> intervals) {
  std::vector<std::size_t> order(intervals.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return intervals[a].first < intervals[b].first;
  });
  std::vector<int> track(intervals.size(), 0);
  std::vector<std::int64_t> free_at;  // by track: when its last interval ends
  for (std::size_t i : order) {
    auto [start, end] = intervals[i];
    end = std::max(start, end);
    std::size_t t = 0;
    while (t < free_at.size() && free_at[t] > start) {
      ++t;
    }
    if (t == free_at.size()) {
      free_at.push_back(end);
    } else {
      free_at[t] = end;
    }
    track[i] = static_cast<int>(t);
  }
  return track;
}

std::string format_trace(const RunRecord& run, std::span<const TracePhase> phases) {
  std::vector<graph::TaskId> shown;
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  for (graph::TaskId id : run.tasks.topo_order()) {
    if (id.value >= run.outcomes.size()) {
      continue;  // no outcome: nothing ran
    }
    const TaskOutcome& o = run.outcomes[id.value];
    if (in_trace(o.status) && o.start_ms > 0) {
      shown.push_back(id);
      spans.emplace_back((o.start_ms - run.start_ms) * 1000,
                         (std::max(o.end_ms, o.start_ms) - run.start_ms) * 1000);
    }
  }
  const std::vector<int> tracks = assign_tracks(spans);
  const int workers = tracks.empty() ? 0 : *std::max_element(tracks.begin(), tracks.end()) + 1;

  Json events = Json::array();
  events.push_back({{"name", "process_name"},
                    {"ph", "M"},
                    {"ts", 0},
                    {"pid", kPid},
                    {"tid", kRippleTid},
                    {"args", {{"name", "ripple run"}}}});
  events.push_back(thread_name(kRippleTid, "ripple"));
  for (int w = 0; w < workers; ++w) {
    events.push_back(thread_name(kFirstWorkerTid + w, "worker " + std::to_string(w + 1)));
  }
  for (const TracePhase& p : phases) {
    events.push_back({{"name", p.name},
                      {"cat", "ripple"},
                      {"ph", "X"},
                      {"ts", p.start_us},
                      {"dur", std::max<std::int64_t>(0, p.end_us - p.start_us)},
                      {"pid", kPid},
                      {"tid", kRippleTid}});
  }
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const graph::TaskId id = shown[i];
    const TaskOutcome& o = run.outcomes[id.value];
    const graph::TaskNode& n = run.tasks.node(id);
    Json args = {{"key", id.value < run.keys.size() ? run.keys[id.value].key : ""},
                 {"cache", cache_source(run, id)},
                 {"exit_code", o.exit_code}};
    if (o.status == TaskOutcome::Status::failed && !o.note.empty()) {
      args["note"] = o.note;
    }
    events.push_back({{"name", n.label},
                      {"cat", status_name(o.status)},
                      {"ph", "X"},
                      {"ts", spans[i].first},
                      {"dur", spans[i].second - spans[i].first},
                      {"pid", kPid},
                      {"tid", kFirstWorkerTid + tracks[i]},
                      {"args", std::move(args)}});
  }
  Json doc;
  doc["traceEvents"] = std::move(events);
  doc["displayTimeUnit"] = "ms";
  return doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace ripple
