#pragma once

// A `.dockerignore` file as BuildKit reads it (docs/inference.md), and the same exclusions as
// service input patterns (graph/input_matcher.h), so that a change to an ignored file affects no
// image that would not see it.
//
// BuildKit's reading: '#' starts a comment line; each line is trimmed; a leading '!' makes an
// exception (the file is sent after all); the pattern is cleaned (Go's filepath.Clean: "./",
// "a/../", duplicate and trailing '/' gone) and a leading '/' dropped. Patterns are relative to
// the context root (not matched at any depth, unlike .gitignore): `*` and `?` never cross a '/',
// `[a-z]` classes, `\` escapes, `**` as a whole segment any number of directories. A pattern
// matches a path when it matches the path or one of its parent directories (an excluded
// directory excludes what is under it); the last pattern that matches decides. Pure.

#include <string>
#include <string_view>
#include <vector>

namespace ripple::rules {

struct DockerignorePattern {
  std::string glob;        // cleaned, context-relative
  bool exception = false;  // written with a leading '!'
  int line = 0;
};

// The patterns of `text`, in order. A pattern that can match nothing in the context (one that
// climbs out of it with "..", or is the context itself, ".") is left out.
std::vector<DockerignorePattern> dockerignore_patterns(std::string_view text);

// The same patterns as input patterns, workspace-relative for a context at `context` ("" for the
// workspace root), to follow a service's positive inputs: gitignore-style lists where the last
// match decides and '!' excludes, so each excluded pattern P becomes "!context/P/**" (P and
// everything under it) and each exception "context/P/**". A P ending in "/**" stands for what is
// under it only, as Docker's does: "P'/*/**" instead. A pattern with an unclosed '[' is left
// out (Docker refuses the file at build time; ripple does not fail at plan time).
std::vector<std::string> dockerignore_inputs(const std::vector<DockerignorePattern>& patterns,
                                             const std::string& context);

// The effective ignore file for a Dockerfile (workspace-relative) built from `context`: BuildKit
// takes "<Dockerfile>.dockerignore" beside the Dockerfile first, then "<context>/.dockerignore".
std::vector<std::string> dockerignore_candidates(const std::string& dockerfile,
                                                 const std::string& context);

}  // namespace ripple::rules
