#pragma once

// Errors and results, the vocabulary every module returns instead of throwing.
// No exception crosses a module boundary: adapters translate library exceptions and status
// codes into an Error once, keeping the file, line and column where there is one.

#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace ripple {

enum class ErrorKind {
  input,        // the user's config or arguments: exit code 2
  environment,  // git, disk, network, locks: exit code 3
  internal,     // a bug in ripple: exit code 3
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;  // complete, user-facing: names the thing, the place and the way out
};

template <typename T>
using Result = tl::expected<T, Error>;

using Status = Result<void>;

inline tl::unexpected<Error> input_error(std::string message) {
  return tl::unexpected(Error{ErrorKind::input, std::move(message)});
}
inline tl::unexpected<Error> environment_error(std::string message) {
  return tl::unexpected(Error{ErrorKind::environment, std::move(message)});
}
inline tl::unexpected<Error> internal_error(std::string message) {
  return tl::unexpected(Error{ErrorKind::internal, std::move(message)});
}

// The process exit code for an error of this kind (DESIGN.md §5).
int exit_code_for(ErrorKind kind);

// A place in a text file. Lines and columns count from 1; 0 means "unknown".
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

// "file:line:col", "file:line" or "file", whichever parts are known.
std::string format_pos(const SourcePos& pos);

// "file:line:col: message".
std::string at(const SourcePos& pos, std::string_view message);

// A value together with where it was written.
template <typename T>
struct Located {
  T value{};
  SourcePos pos;
};

// A non-fatal finding (a cycle of services, a glob matching nothing) handed up for reporting.
struct Diagnostic {
  std::string message;
};

}  // namespace ripple
