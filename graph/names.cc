#include "graph/names.h"

#include <algorithm>
#include <cstdio>

namespace ripple::graph {
namespace {

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\0') {
      out += "\\0";
    } else if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> service_name_problem(std::string_view name) {
  if (has_control(name)) {
    return "service name '" + printable(name) +
           "' must be printable: no newline, tab or other control character";
  }
  auto plain = [](std::string_view part) {
    return !part.empty() && part != "." && part != ".." &&
           part.find_first_of("#^/ ") == std::string_view::npos;
  };
  const std::size_t slash = name.find('/');
  const bool scoped = slash != std::string_view::npos && name.starts_with('@') &&
                      plain(name.substr(1, slash - 1)) && plain(name.substr(slash + 1));
  if (!scoped && !plain(name)) {
    return "service name '" + std::string(name) +
           "' must be non-empty, not '.' or '..', without '#', '^', '/' or spaces (an npm "
           "scoped name, '@scope/name', may hold one '/')";
  }
  return std::nullopt;
}

std::optional<std::string> task_name_problem(std::string_view name) {
  if (has_control(name)) {
    return "task name '" + printable(name) +
           "' must be printable: no newline, tab or other control character; rename the task";
  }
  if (name.empty() || name.find_first_of("^#/ ") != std::string_view::npos) {
    return "task name '" + std::string(name) +
           "' may not contain '^', '#', '/' or spaces; rename the task";
  }
  return std::nullopt;
}

}  // namespace ripple::graph
