#include "orchestrator/affected_format.h"

#include <nlohmann/json.hpp>

namespace ripple {
namespace {

using graph::AffectedService;
using graph::Reason;

std::string evidence(const AffectedService& s) {
  std::string out;
  for (std::size_t i = 0; i < s.paths.size(); ++i) {
    out += (i > 0 ? ", " : "") + s.paths[i];
  }
  if (s.path_count > s.paths.size()) {
    out += " and " + std::to_string(s.path_count - s.paths.size()) + " more";
  }
  return out;
}

const AffectedService* find_entry(const graph::AffectedSet& set, ServiceId id) {
  for (const auto& s : set.services) {
    if (s.id && *s.id == id) {
      return &s;
    }
  }
  return nullptr;
}

std::string direct_sentence(const AffectedService& s) {
  switch (s.reason) {
    case Reason::changed:
      return "changed (" + evidence(s) + ")";
    case Reason::config:
      return "config changed (" + evidence(s) + ")";
    case Reason::global:
      return "global input changed (" + evidence(s) + ")";
    case Reason::removed:
      return "removed (" + evidence(s) + " deleted)";
    case Reason::no_base:
      return "no base to compare against (--fallback=all)";
    case Reason::dependency:
      break;
  }
  return "dependency";
}

// What made the end of a dependency chain affected, said briefly.
std::string origin_sentence(const AffectedService& s) {
  switch (s.reason) {
    case Reason::changed:
      return evidence(s) + " changed";
    case Reason::config:
      return "config " + evidence(s) + " changed";
    case Reason::global:
      return "global input " + evidence(s) + " changed";
    default:
      return direct_sentence(s);
  }
}

}  // namespace

std::string format_affected_text(const graph::AffectedSet& set) {
  std::string out;
  for (const auto& s : set.services) {
    out += s.name + "\n";
  }
  return out;
}

std::string format_affected_json(const graph::Workspace& ws, const graph::AffectedSet& set) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::array();
  for (const auto& s : set.services) {
    nlohmann::ordered_json e;
    e["name"] = s.name;
    e["dir"] = s.dir.str();
    e["reason"] = graph::reason_name(s.reason);
    nlohmann::ordered_json because = nlohmann::ordered_json::array();
    std::size_t more = 0;
    if (s.reason == Reason::dependency) {
      for (ServiceId id : s.chain) {
        because.push_back(ws.graph().name(id));
      }
    } else {
      for (const auto& p : s.paths) {
        because.push_back(p);
      }
      more = s.path_count > s.paths.size() ? s.path_count - s.paths.size() : 0;
    }
    e["because"] = std::move(because);
    e["more"] = more;
    doc.push_back(std::move(e));
  }
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string format_affected_matrix(const graph::AffectedSet& set) {
  nlohmann::ordered_json include = nlohmann::ordered_json::array();
  for (const auto& s : set.services) {
    if (s.reason != Reason::removed) {
      include.push_back({{"service", s.name}, {"dir", s.dir.str()}});
    }
  }
  nlohmann::ordered_json doc;
  doc["include"] = std::move(include);
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string format_affected_explain(const graph::Workspace& ws, const graph::AffectedSet& set) {
  std::string out;
  for (const auto& s : set.services) {
    out += s.name + ": ";
    if (s.reason != Reason::dependency) {
      out += direct_sentence(s) + "\n";
      continue;
    }
    out += "dependency";
    for (ServiceId id : s.chain) {
      out += " \u2192 " + ws.graph().name(id);
    }
    if (!s.chain.empty()) {
      if (const AffectedService* origin = find_entry(set, s.chain.back())) {
        out += " (" + origin_sentence(*origin) + ")";
      }
    }
    out += "\n";
  }
  return out;
}

std::string format_changed_files(const graph::Workspace& ws, const graph::AffectedSet& set) {
  std::string out;
  for (const auto& f : set.files) {
    char mark = f.change == graph::ChangeKind::added     ? 'A'
                : f.change == graph::ChangeKind::deleted ? 'D'
                                                         : 'M';
    out += std::string(1, mark) + " " + f.path.str();
    using Kind = graph::FileOutcome::Kind;
    switch (f.kind) {
      case Kind::config:
        out += " (workspace config: every service)";
        break;
      case Kind::ignored:
        out += " (ignored)";
        break;
      case Kind::global:
        out += " (global input: every service)";
        break;
      case Kind::unowned:
        out += " (no service)";
        break;
      case Kind::excluded:
        out += " (not an input of " + ws.graph().name(f.services.front()) + ")";
        break;
      case Kind::service_config:
      case Kind::input: {
        out += " ->";
        for (std::size_t i = 0; i < f.services.size(); ++i) {
          out += (i > 0 ? ", " : " ") + ws.graph().name(f.services[i]);
        }
        if (f.kind == Kind::service_config) {
          out += " (service config)";
        }
        break;
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace ripple
