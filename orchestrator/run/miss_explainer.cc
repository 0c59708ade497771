#include "orchestrator/run/miss_explainer.h"

#include "orchestrator/inputs/key_notes.h"

namespace ripple {

std::vector<MissExplanation> explain_misses(
    cache::Store& answers, cache::KeyHistory& history, const graph::TaskGraph& tasks,
    const std::vector<TaskKey>& keys, const std::function<bool(graph::TaskId)>& cacheable,
    const std::function<std::string(graph::TaskId)>& notes) {
  std::vector<MissExplanation> out;
  for (graph::TaskId id : tasks.topo_order()) {
    if (!cacheable(id) || answers.has(keys[id.value].key)) {
      continue;
    }
    MissExplanation miss{id, {}, {}};
    auto latest = history.latest_key(tasks.node(id).label);
    if (latest && latest->has_value()) {
      miss.previous_key = **latest;
    }
    if (miss.previous_key == keys[id.value].key) {
      miss.reasons = {
          "this very key was cached here before; its entry is gone (pruned or "
          "cleared)"};
    } else if (!miss.previous_key.empty()) {
      auto before = history.notes(miss.previous_key);
      if (before && before->has_value()) {
        miss.reasons = diff_key_notes(**before, notes(id));
      } else {
        miss.reasons = {"the notes of the earlier key are no longer in the cache (pruned?)"};
      }
      if (miss.reasons.empty()) {
        miss.reasons = {
            "nothing in the manifest differs, but the earlier entry is gone "
            "(pruned or cleared)"};
      }
    }
    out.push_back(std::move(miss));
  }
  return out;
}

std::string format_miss(const graph::TaskGraph& tasks, const std::vector<TaskKey>& keys,
                        const MissExplanation& miss) {
  const std::string& label = tasks.node(miss.task).label;
  const std::string key = keys[miss.task.value].key.substr(0, 12);
  if (miss.previous_key.empty()) {
    return "cache miss " + label + " (key " + key +
           "): no earlier key for this task in the local cache\n";
  }
  std::string text =
      "cache miss " + label + " (key " + key + ", last " + miss.previous_key.substr(0, 12) + "):\n";
  for (const std::string& reason : miss.reasons) {
    text += "  " + reason + "\n";
  }
  return text;
}

}  // namespace ripple
