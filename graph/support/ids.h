#pragma once

// Dense ids: indexes into the vectors of a sealed graph, never owning pointers.

#include <cstdint>
#include <functional>

namespace ripple {

struct ServiceId {
  std::uint32_t value = 0;
  friend bool operator==(ServiceId, ServiceId) = default;
  friend auto operator<=>(ServiceId, ServiceId) = default;
};

}  // namespace ripple

template <>
struct std::hash<ripple::ServiceId> {
  std::size_t operator()(ripple::ServiceId id) const noexcept { return id.value; }
};
