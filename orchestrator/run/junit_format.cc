#include "orchestrator/run/junit_format.h"

#include <cstdio>
#include <vector>

#include "orchestrator/run/report_text.h"

namespace ripple {
namespace {

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s < 0 ? 0.0 : s);
  return buf;
}

std::string attr(const char* name, std::string_view value) {
  return std::string(" ") + name + "=\"" + xml_escape(value) + "\"";
}

// What a failed task's <failure> says in its message.
std::string failure_message(const TaskOutcome& o) {
  if (o.exit_code != 0) {
    return "exit code " + std::to_string(o.exit_code);
  }
  return o.note.empty() ? std::string("failed") : o.note;
}

// The document around the failures' log tails: everything, with tails[i] placed in the i-th
// failure.
std::string render(const RunRecord& run, const std::vector<std::string>& tails) {
  const RunTotals totals = count_outcomes(run.outcomes);
  const std::string counts =
      attr("tests", std::to_string(totals.tasks)) +
      attr("failures", std::to_string(totals.failed)) + attr("errors", "0") +
      attr("skipped", std::to_string(totals.skipped)) +
      attr("time", seconds(static_cast<double>(run.end_ms - run.start_ms) / 1000));
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attr("name", "ripple") + counts + ">\n";
  out += "  <testsuite" + attr("name", "ripple") + counts + ">\n";
  std::size_t failure = 0;
  for (graph::TaskId id : run.tasks.topo_order()) {
    if (id.value >= run.outcomes.size()) {
      continue;
    }
    const TaskOutcome& o = run.outcomes[id.value];
    if (o.status == TaskOutcome::Status::noop) {
      continue;
    }
    const graph::TaskNode& n = run.tasks.node(id);
    const graph::ServiceSpec& service = run.ws.service(n.service);
    out += "    <testcase" + attr("classname", service.name) + attr("name", n.name) +
           attr("time", seconds(reported_seconds(o))) + attr("file", service.dir.str());
    switch (o.status) {
      case TaskOutcome::Status::failed: {
        const std::string message = failure_message(o);
        out += ">\n      <failure" + attr("message", message) + attr("type", message) + ">";
        out += xml_cdata(tails[failure++]);
        out += "</failure>\n    </testcase>\n";
        break;
      }
      case TaskOutcome::Status::skipped:
        out += ">\n      <skipped" + attr("message", o.note.empty() ? "skipped" : o.note) +
               "/>\n    </testcase>\n";
        break;
      case TaskOutcome::Status::cached:
        out += std::string(">\n      <system-out>cached (") + (o.remote_hit ? "remote" : "local") +
               ")</system-out>\n    </testcase>\n";
        break;
      default:
        out += "/>\n";
    }
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  const std::string clean = clean_log_text(text);
  std::string out;
  out.reserve(clean.size());
  for (char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string xml_cdata(std::string_view text) {
  std::string out = "<![CDATA[";
  std::size_t start = 0;
  for (std::size_t end = text.find("]]>"); end != std::string_view::npos;
       end = text.find("]]>", start)) {
    // "]]" closes this section; ">" opens the next.
    out.append(text.substr(start, end + 2 - start));
    out += "]]><![CDATA[";
    start = end + 2;
  }
  out.append(text.substr(start));
  return out + "]]>";
}

std::string format_junit(const RunRecord& run, std::size_t max_bytes) {
  std::vector<std::string> tails;
  std::vector<std::string> paths;
  for (graph::TaskId id : run.tasks.topo_order()) {
    if (id.value < run.outcomes.size() &&
        run.outcomes[id.value].status == TaskOutcome::Status::failed) {
      const graph::TaskNode& n = run.tasks.node(id);
      tails.push_back(clean_log_text(log_tail(run.outcomes[id.value].log, kJunitLogLines)));
      paths.push_back(task_log_path(run.ws.service(n.service).name, n.name));
    }
  }
  if (std::string whole = render(run, tails); whole.size() <= max_bytes) {
    return whole;
  }
  const std::string skeleton = render(run, std::vector<std::string>(tails.size()));
  // Each failure gets an equal share of what the testcases leave, each cut one starting with a note
  // that says so.
  const std::size_t left = max_bytes > skeleton.size() ? max_bytes - skeleton.size() : 0;
  const std::size_t share = tails.empty() ? 0 : left / tails.size();
  for (std::size_t i = 0; i < tails.size(); ++i) {
    const std::string note = "[log tail cut to fit the report in " + format_bytes(max_bytes) +
                             "; the whole log is in " + paths[i] + "]\n";
    if (xml_cdata(tails[i]).size() <= share) {
      continue;
    }
    // Halved until it fits: a tail full of "]]>" grows when it is split across CDATA sections.
    std::string cut;
    for (std::size_t room = share > note.size() ? share - note.size() : 0;; room /= 2) {
      cut = note + std::string(tail_within(tails[i], room));
      if (xml_cdata(cut).size() <= share || room == 0) {
        break;
      }
    }
    tails[i] = std::move(cut);
  }
  return render(run, tails);
}

}  // namespace ripple
