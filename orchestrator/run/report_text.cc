#include "orchestrator/run/report_text.h"

#include <cstdint>
#include <cstdio>

namespace ripple {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the valid UTF-8 sequence at `s[i]`, or 0 when it is not one (overlong forms,
// surrogates and code points past U+10FFFF are not).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (b < 0x80) {
    return 1;
  } else if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
    cp = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    cp = b & 0x0F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    cp = b & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) {
    return 0;
  }
  return n;
}

// The length of the terminal escape sequence at `s[i]` (an ESC): CSI (ESC [ ... final byte),
// OSC (ESC ] ... BEL or ESC \) or a two-byte escape.
std::size_t escape_length(std::string_view s, std::size_t i) {
  if (i + 1 >= s.size()) {
    return 1;
  }
  if (s[i + 1] == '[') {
    std::size_t k = i + 2;
    while (k < s.size() && !(s[k] >= 0x40 && s[k] <= 0x7E)) {
      ++k;
    }
    return k < s.size() ? k + 1 - i : s.size() - i;
  }
  if (s[i + 1] == ']') {
    for (std::size_t k = i + 2; k < s.size(); ++k) {
      if (s[k] == '\a') {
        return k + 1 - i;
      }
      if (s[k] == '\x1b' && k + 1 < s.size() && s[k + 1] == '\\') {
        return k + 2 - i;
      }
    }
    return s.size() - i;
  }
  return 2;
}

}  // namespace

std::string clean_log_text(std::string_view log) {
  std::string out;
  out.reserve(log.size());
  std::size_t i = 0;
  while (i < log.size()) {
    const unsigned char c = static_cast<unsigned char>(log[i]);
    if (c == '\x1b') {
      i += escape_length(log, i);
    } else if (c == '\r') {
      ++i;
    } else if (c == '\n' || c == '\t') {
      out += static_cast<char>(c);
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      out += kReplacement;
      ++i;
    } else if (std::size_t n = utf8_length(log, i); n == 0) {
      out += kReplacement;
      ++i;
    } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(log[i + 1]) < 0xA0) {
      out += kReplacement;  // C1 control characters (U+0080..U+009F)
      i += n;
    } else {
      out.append(log, i, n);
      i += n;
    }
  }
  return out;
}

std::string_view tail_within(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return text;
  }
  std::size_t from = text.size() - max_bytes;
  if (std::size_t nl = text.find('\n', from > 0 ? from - 1 : 0);
      nl != std::string_view::npos && nl + 1 < text.size()) {
    return text.substr(nl + 1);
  }
  while (from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) {
    ++from;
  }
  return text.substr(from);
}

std::string format_bytes(std::size_t bytes) {
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof buf, "%zu bytes", bytes);
  } else if (bytes < 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024 * 1024));
  }
  return buf;
}

double reported_seconds(const TaskOutcome& outcome) {
  if (outcome.seconds > 0) {
    return outcome.seconds;
  }
  return outcome.end_ms > outcome.start_ms
             ? static_cast<double>(outcome.end_ms - outcome.start_ms) / 1000
             : 0;
}

const char* cache_source(const RunRecord& run, graph::TaskId id) {
  const TaskOutcome& o = run.outcomes[id.value];
  if (o.status == TaskOutcome::Status::cached) {
    return o.remote_hit ? "remote" : "local";
  }
  const graph::TaskNode& n = run.tasks.node(id);
  const graph::TaskSpec& spec = run.ws.service(n.service).tasks.at(n.name);
  if (spec.run.empty()) {
    return "";
  }
  return run.cache_on && spec.cache ? "miss" : "off";
}

}  // namespace ripple
