#include "rules/compose_env.h"

#include <cctype>

namespace ripple::rules {
namespace {

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

Result<std::string> interpolate(std::string_view value,
                                const std::map<std::string, std::string>* env,
                                std::set<std::string>& used) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '$' || i + 1 >= value.size()) {
      out += value[i];
      continue;
    }
    const char next = value[i + 1];
    if (next == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (name_start(next)) {  // $VAR
      std::size_t end = i + 1;
      while (end < value.size() && name_char(value[end])) {
        ++end;
      }
      const std::string name(value.substr(i + 1, end - i - 1));
      used.insert(name);
      if (env != nullptr) {
        if (auto it = env->find(name); it != env->end()) {
          out += it->second;
        }
      }
      i = end - 1;
      continue;
    }
    if (next != '{') {
      out += '$';
      continue;
    }
    // ${...}: find the matching brace (defaults may hold ${...} themselves).
    std::size_t depth = 0;
    std::size_t end = i + 1;
    for (; end < value.size(); ++end) {
      if (value[end] == '{') {
        ++depth;
      } else if (value[end] == '}' && --depth == 0) {
        break;
      }
    }
    if (end >= value.size()) {
      return input_error("unclosed '${' in '" + std::string(value) + "'");
    }
    const std::string_view inner = value.substr(i + 2, end - i - 2);
    std::size_t n = 0;
    while (n < inner.size() && name_char(inner[n])) {
      ++n;
    }
    const std::string name(inner.substr(0, n));
    if (name.empty() || !name_start(name[0])) {
      return input_error("'${" + std::string(inner) + "}' does not start with a variable name");
    }
    used.insert(name);
    const std::string_view rest = inner.substr(n);
    const std::string* set = nullptr;
    if (env != nullptr) {
      if (auto it = env->find(name); it != env->end()) {
        set = &it->second;
      }
    }
    const bool colon = rest.starts_with(':');
    const std::string_view op = colon ? rest.substr(1) : rest;
    const bool missing = set == nullptr || (colon && set->empty());
    if (op.starts_with('-') || op.starts_with('?') || op.starts_with('+')) {
      auto arg = interpolate(op.substr(1), env, used);
      if (!arg) {
        return arg;
      }
      if (op[0] == '-') {
        out += missing ? *arg : *set;
      } else if (op[0] == '+') {
        out += missing ? std::string() : *arg;
      } else if (missing && env != nullptr) {
        return input_error("variable " + name + " is required" +
                           (arg->empty() ? std::string() : ": " + *arg) + " (set it in .env)");
      } else if (!missing) {
        out += *set;
      }
    } else if (!rest.empty()) {
      return input_error("'${" + std::string(inner) + "}' is not a form Compose knows");
    } else if (set != nullptr) {
      out += *set;
    }
    i = end;
  }
  return out;
}

std::map<std::string, std::string> parse_dotenv(std::string_view text) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      line.remove_prefix(1);
    }
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    if (line.empty() || line.front() == '#') {
      continue;
    }
    if (line.starts_with("export ")) {
      line.remove_prefix(7);
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      continue;
    }
    std::string name(line.substr(0, eq));
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) {
      name.pop_back();
    }
    std::string_view value = line.substr(eq + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    std::string parsed;
    if (value.starts_with('\'') && value.find('\'', 1) != std::string_view::npos) {
      parsed = std::string(value.substr(1, value.find('\'', 1) - 1));
    } else if (value.starts_with('"')) {
      for (std::size_t i = 1; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
          const char c = value[++i];
          parsed += c == 'n' ? '\n' : c;
        } else {
          parsed += value[i];
        }
      }
    } else {
      if (auto hash = value.find(" #"); hash != std::string_view::npos) {
        value = value.substr(0, hash);
      }
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
        value.remove_suffix(1);
      }
      parsed = std::string(value);
    }
    if (!name.empty()) {
      out[name] = std::move(parsed);
    }
  }
  return out;
}

}  // namespace ripple::rules
