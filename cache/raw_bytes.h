#pragma once

// Fixed-size values copied to and from byte strings in the machine's own byte order, for
// ripple's local state files and records (read back only on the machine that wrote them).

#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace ripple::cache {

template <typename T>
void append_raw(std::string& out, T v) {
  static_assert(std::is_trivially_copyable_v<T>);
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}

// Reads a T from the front of `in` and drops it; false when `in` is too short.
template <typename T>
bool read_raw(std::string_view& in, T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (in.size() < sizeof(T)) {
    return false;
  }
  std::memcpy(&v, in.data(), sizeof(T));
  in.remove_prefix(sizeof(T));
  return true;
}

}  // namespace ripple::cache
