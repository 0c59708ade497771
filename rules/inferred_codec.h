#pragma once

// What a rule found in one manifest, as bytes, so that the orchestrator can keep it beside the
// manifest's stat data (a StatSnapshot, as parsed service.yaml files are kept) and skip reading
// and parsing the manifest while it is unchanged. The bytes start with a format tag; bytes of
// another format, or damaged, decode to nothing (the caller parses the file again).

#include <optional>
#include <string>
#include <string_view>

#include "rules/inferred.h"

namespace ripple::rules {

std::string encode_inferred(const std::optional<InferredService>& found);
// `file` and `dir` are the manifest's, as handed to the rule (they are not stored). The outer
// optional is nothing when `bytes` do not decode; the inner one is what the rule found (nothing:
// the manifest is no service, e.g. a package without a name).
std::optional<std::optional<InferredService>> decode_inferred(std::string_view bytes,
                                                              const std::string& file,
                                                              const RepoPath& dir);

}  // namespace ripple::rules
