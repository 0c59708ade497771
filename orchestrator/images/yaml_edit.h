#pragma once

// Edits of YAML text that keep every byte they do not change: comments, key order, quoting and
// blank lines of the rest of the file stay as they were (the GitOps writers, gitops_write.h).
// yaml-cpp finds the nodes and their positions; the edits are made in the text. Block style is
// edited in place; a flow collection (`{...}`, `[...]`) on the way is an input error asking for
// block style, except an empty list `[]`, which becomes a block list.
//
// Every function returns the new text, equal to `text` when nothing had to change, or an input
// error "file:line:col: ..." for text that is not YAML or a node of the wrong kind.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/error.h"

namespace ripple {

// A value to write under `key`; nothing removes the key.
struct YamlField {
  std::string key;
  std::optional<std::string> value;
  bool quoted = false;  // always written in double quotes (tags: "r-…" stays a string)
};

// Where the edit happens: keys from the document's root mapping, each one optionally followed
// (`entry`) by the item, of the block list under that key, whose name is `entry`.
struct YamlStep {
  std::string key;
  std::optional<std::string> entry;
};

// The name of a list item: a mapping's `name`, or for a scalar in kustomize's image override
// form ("name=new:tag@digest", "name:tag", "name@digest") the part naming the image.
std::string yaml_entry_name(std::string_view scalar);

// Sets `fields` in the mapping at `path`, creating the mappings, lists and list items on the
// way (a new list item starts with `name: <entry>`; items are inserted where they keep a sorted
// list sorted, else at its end). A field already holding the value is left as written.
Result<std::string> yaml_set_fields(std::string_view text, std::string_view file,
                                    const std::vector<YamlStep>& path,
                                    const std::vector<YamlField>& fields);

// Sets the scalar item named `name` (yaml_entry_name) of the list at `path` to `value`, adding
// it (sorted, as above) when missing.
Result<std::string> yaml_set_list_scalar(std::string_view text, std::string_view file,
                                         const std::vector<YamlStep>& path, const std::string& name,
                                         const std::string& value);

// `value` as a YAML scalar: plain when that reads back as the same string, double-quoted
// otherwise or when `quoted`.
std::string yaml_scalar(const std::string& value, bool quoted);

}  // namespace ripple
