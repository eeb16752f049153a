// Loads and stores of little-endian integers and floats at any (possibly unaligned) address: model
// files are little-endian and their fields are not aligned. The hosts we build for are little-endian.
#pragma once

#include <bit>
#include <cstddef>
#include <cstring>
#include <type_traits>

namespace linea::io {

static_assert(std::endian::native == std::endian::little, "Linea's file readers assume a little-endian host");

template <typename T>
T load_le(const std::byte* source) {
  static_assert(std::is_trivially_copyable_v<T>);
  T value;
  std::memcpy(&value, source, sizeof(T));
  return value;
}

template <typename T>
void store_le(std::byte* destination, T value) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::memcpy(destination, &value, sizeof(T));
}

}  // namespace linea::io
