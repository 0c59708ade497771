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

std::string direct_sentence(const AffectedService& s) {
  switch (s.reason) {
    case Reason::changed:
      return "changed (" + evidence(s) + ")";
    case Reason::config:
      return "config changed (" + evidence(s) + ")";
    case Reason::global:
      return "global input changed (" + evidence(s) + ")";
    case Reason::unowned:
      return "a file no service owns changed (" + evidence(s) + "; unowned: all)";
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
    case Reason::unowned:
      return "unowned " + evidence(s) + " changed";
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
      more = s.chain_length > s.chain.size() ? s.chain_length - s.chain.size() : 0;
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

std::string format_affected_matrix(std::span<const graph::AffectedService> matrix) {
  nlohmann::ordered_json include = nlohmann::ordered_json::array();
  for (const auto& s : matrix) {
    include.push_back({{"service", s.name}, {"dir", s.dir.str()}});
  }
  nlohmann::ordered_json doc;
  doc["include"] = std::move(include);
  // One line: $GITHUB_OUTPUT takes `name=value` lines, and JSON escapes any newline in a name.
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string format_affected_github_output(std::span<const graph::AffectedService> matrix) {
  std::string out = "matrix=" + format_affected_matrix(matrix);
  out += std::string("any=") + (matrix.empty() ? "false" : "true") + "\n";
  out += "count=" + std::to_string(matrix.size()) + "\n";
  return out;
}

std::string format_affected_explain(const graph::Workspace& ws, const graph::AffectedSet& set) {
  // Entries by service id, so that each line finds its origin without a search: output stays
  // linear in the number of services.
  std::vector<const AffectedService*> by_id(ws.graph().size(), nullptr);
  for (const auto& s : set.services) {
    if (s.id) {
      by_id[s.id->value] = &s;
    }
  }
  std::string out;
  for (const auto& s : set.services) {
    out += s.name + ": ";
    if (s.reason != Reason::dependency) {
      out += direct_sentence(s) + "\n";
      continue;
    }
    out += "dependency";
    for (std::size_t i = 0; i < s.chain.size(); ++i) {
      if (i + 1 == s.chain.size() && s.chain_length > s.chain.size()) {
        out += " \u2192 \u2026 (" + std::to_string(s.chain_length - s.chain.size()) + " more)";
      }
      out += " \u2192 " + ws.graph().name(s.chain[i]);
    }
    if (!s.chain.empty()) {
      if (const AffectedService* origin = by_id[s.chain.back().value]) {
        out += " (" + origin_sentence(*origin) + ")";
      }
    }
    out += "\n";
  }
  return out;
}

std::string format_change_source(const graph::ChangeSet& c, const std::string& head,
                                 const std::string& source) {
  return head + " vs " + c.base_ref + " (" + source + ", merge-base " + c.merge_base.substr(0, 10) +
         ")" + (c.includes_worktree ? " + work tree" : "") + ": " + std::to_string(c.files.size()) +
         (c.files.size() == 1 ? " changed file" : " changed files");
}

std::string format_unowned(const graph::AffectedSet& set) {
  std::vector<RepoPath> files = graph::unowned_files(set);
  if (files.empty()) {
    return {};
  }
  std::string out = std::to_string(files.size()) +
                    (files.size() == 1 ? " changed file belongs" : " changed files belong") +
                    " to no service: ";
  for (std::size_t i = 0; i < files.size() && i < graph::kMaxEvidencePaths; ++i) {
    out += (i > 0 ? ", " : "") + files[i].str();
  }
  if (files.size() > graph::kMaxEvidencePaths) {
    out += " and " + std::to_string(files.size() - graph::kMaxEvidencePaths) + " more";
  }
  return out;
}

std::string format_nothing_affected(const graph::AffectedSet& set) {
  if (set.files.empty()) {
    return "nothing affected (no changed files)";
  }
  using Kind = graph::FileOutcome::Kind;
  std::size_t ignored = 0;
  std::size_t unowned = 0;
  std::size_t excluded = 0;
  std::size_t outputs = 0;
  std::size_t shared = 0;
  for (const auto& f : set.files) {
    ignored += f.kind == Kind::ignored ? 1 : 0;
    unowned += f.kind == Kind::unowned ? 1 : 0;
    excluded += f.kind == Kind::excluded ? 1 : 0;
    outputs += f.kind == Kind::output ? 1 : 0;
    shared += f.kind == Kind::shared ? 1 : 0;
  }
  std::string out = "nothing affected (" + std::to_string(set.files.size()) +
                    (set.files.size() == 1 ? " changed file: " : " changed files: ");
  std::string parts;
  auto part = [&](std::size_t n, const char* what) {
    if (n > 0) {
      parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
    }
  };
  part(ignored, "ignored");
  part(unowned, "owned by no service");
  part(excluded, "not an input of its service");
  part(outputs, outputs == 1 ? "task output" : "task outputs");
  part(shared, shared == 1 ? "shared file with no service's part changed"
                           : "shared files with no service's part changed");
  return out + parts + ")";
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
      case Kind::output:
        out += " (a task output of " + ws.graph().name(f.services.front()) + ")";
        break;
      case Kind::excluded:
        out += " (not an input of " + ws.graph().name(f.services.front()) + ")";
        break;
      case Kind::shared:
        if (f.services.empty()) {
          out += " (shared: no service's part changed)";
          break;
        }
        [[fallthrough]];
      case Kind::service_config:
      case Kind::input: {
        out += " ->";
        for (std::size_t i = 0; i < f.services.size(); ++i) {
          out += (i > 0 ? ", " : " ") + ws.graph().name(f.services[i]);
        }
        if (f.kind == Kind::service_config) {
          out += " (service config)";
        } else if (f.kind == Kind::shared) {
          out += " (their part of a shared file)";
        }
        break;
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace ripple
