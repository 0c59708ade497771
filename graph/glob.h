#pragma once

// Glob matching over workspace paths ('/'-separated, relative). Pure string work.
//
//   *      any run of characters within one path segment
//   ?      one character within a segment
//   [abc]  one of the listed characters; [a-z] ranges; [!a] negation
//   **     as a whole segment: any number of segments, including none
//
// A pattern matches a path when it matches the whole path. Leading "./" is not special here;
// callers normalise patterns first.

#include <string_view>

#include "graph/support/error.h"

namespace ripple::graph::glob {

bool match(std::string_view pattern, std::string_view path);

// One segment against one name (no '/' in either); `**` behaves like `*` here.
bool match_segment(std::string_view pattern, std::string_view name);

bool has_wildcard(std::string_view pattern);

// Rejects patterns that cannot mean anything: an unclosed '[', an empty pattern.
Status validate(std::string_view pattern);

// True when some path below `dir` (a directory path) could match `pattern`, so a directory walk
// may prune directories for which this is false.
bool may_match_below(std::string_view pattern, std::string_view dir);

}  // namespace ripple::graph::glob
