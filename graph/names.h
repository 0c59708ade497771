#pragma once

// What a service or task name may be, in one place for every parser. A name is printed on its
// own line and used in `svc#task` labels, log paths and task deps, so it is printable (no
// newline, tab, NUL or other control character) and free of the characters those forms use.
//
//   service: non-empty, not "." or "..", without '#', '^', '/', spaces or control characters;
//            or an npm scoped package name, "@scope/name", whose two parts follow that rule (one
//            '/', after a scope that starts with '@'): JS workspaces name services so
//   task:    non-empty, without '^', '#', '/', spaces or control characters

#include <optional>
#include <string>
#include <string_view>

namespace ripple::graph {

// What is wrong with `name` as a service name, as the end of a message ("service name 'a b' must
// be ..."), or nothing when it is fine.
std::optional<std::string> service_name_problem(std::string_view name);
std::optional<std::string> task_name_problem(std::string_view name);

// `text` with control characters spelled as escapes (\n, \t, \0, \x7f), so that a message
// quoting it stays on one line.
std::string printable(std::string_view text);

}  // namespace ripple::graph
