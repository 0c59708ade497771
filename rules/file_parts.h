#pragma once

// Parts of a shared file a service names in its `inputs:` (docs/config.md, `file#part`), so that
// it depends on those parts only, not on the whole file. Pure.
//
//   compose.yaml#services.cart     a YAML file's node at a dotted path (keys, or list indexes),
//                                  as canonical YAML: comments, layout, quoting, key order
//                                  outside it make no difference; anchors and `<<` merges
//                                  resolved;
//   .env#CART_*                    a dotenv file's variables whose names match the glob, each
//                                  a part of its own (`.env#CART_TAG`), by value.
// A dotenv file is one named `.env`, `*.env` or `.env.*`; every other file is read as YAML.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ripple::rules {

// Whether `file` (a path) is read as a dotenv file.
bool dotenv_file(std::string_view file);

// Part name ("<file>#<selector>", or "<file>#<VAR>" for each dotenv variable) → its canonical
// content, for `selector` in `text` (the file `file`). A YAML path that is not there is one part
// with an empty content (its appearing is a change); nothing when `text` is no YAML.
std::optional<std::map<std::string, std::string>> file_parts(std::string_view text,
                                                             const std::string& file,
                                                             const std::string& selector);

}  // namespace ripple::rules
