#pragma once

// Small text helpers shared by every module: suggestions for misspelled names and joining.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ripple {

// Levenshtein distance between two strings (bytes).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be a plausible typo (distance at most
// max(1, size/3), and less than the
// whole word); ties go to the first candidate in order. Empty when nothing is close.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> candidates);

// " (did you mean 'x'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

std::string join(std::span<const std::string> parts, std::string_view separator);

}  // namespace ripple
