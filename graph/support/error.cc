#include "graph/support/error.h"

namespace ripple {

int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::input:
      return 2;
    case ErrorKind::environment:
    case ErrorKind::internal:
      return 3;
  }
  return 3;
}

std::string format_pos(const SourcePos& pos) {
  std::string out = pos.file;
  if (pos.line > 0) {
    out += ":" + std::to_string(pos.line);
    if (pos.column > 0) {
      out += ":" + std::to_string(pos.column);
    }
  }
  return out;
}

std::string at(const SourcePos& pos, std::string_view message) {
  std::string out = format_pos(pos);
  if (!out.empty()) {
    out += ": ";
  }
  out += message;
  return out;
}

}  // namespace ripple
