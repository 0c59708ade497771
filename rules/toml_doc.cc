#include "rules/toml_doc.h"

namespace ripple::rules {

Result<toml::table> parse_toml(std::string_view text, const std::string& file,
                               std::string_view rule) {
  try {
    return toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& e) {
    return input_error(
        at(pos_of(e.source(), file), "not valid TOML (" + std::string(e.description()) +
                                         "); fix the file, or leave the " + std::string(rule) +
                                         " rule out of 'discover:'"));
  }
}

SourcePos pos_of(const toml::source_region& region, const std::string& file) {
  if (region.begin.line == 0) {
    return SourcePos{file, 1, 1};
  }
  return SourcePos{file, static_cast<int>(region.begin.line),
                   static_cast<int>(region.begin.column)};
}

std::optional<std::string> string_of(const toml::node* node) {
  if (node == nullptr || !node->is_string()) {
    return std::nullopt;
  }
  return node->as_string()->get();
}

}  // namespace ripple::rules
