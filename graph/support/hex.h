#pragma once

// Lowercase hexadecimal, the one spelling of ids and digests everywhere (git ids, xxh3-128,
// SHA-256 keys). Header-only: a loop per byte, inlined where ids are formatted by the thousand.

#include <cstddef>
#include <string>

namespace ripple {

inline constexpr char kHexDigits[] = "0123456789abcdef";

// Writes the 2*n hex digits of bytes[0..n), most significant nibble first, to out[0..2n); no
// terminator.
inline void hex_into(char* out, const unsigned char* bytes, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kHexDigits[bytes[i] >> 4];
    out[2 * i + 1] = kHexDigits[bytes[i] & 0xf];
  }
}

// The 2*n hex digits of bytes[0..n).
inline std::string to_hex(const unsigned char* bytes, std::size_t n) {
  std::string out(2 * n, '\0');
  hex_into(out.data(), bytes, n);
  return out;
}

}  // namespace ripple
