// Overflow-checked unsigned arithmetic for sizes read from untrusted files: a shape whose product
// wraps around must be an error, never a small allocation followed by an out-of-bounds read.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace linea::io {

inline std::optional<std::uint64_t> checked_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

inline std::optional<std::uint64_t> checked_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

// Product of all dims (1 for none), or nullopt when the product of the non-zero dims passes
// 2^63 − 1. Shapes become int64 (TensorInfo), and a zero dimension must not hide others whose
// partial products overflow there: element_count() multiplies them in order.
inline std::optional<std::uint64_t> checked_product(std::span<const std::uint64_t> dims) {
  constexpr std::uint64_t kLargest = 0x7fff'ffff'ffff'ffffull;
  std::uint64_t product = 1;
  bool empty = false;
  for (std::uint64_t d : dims) {
    if (d == 0) {
      empty = true;
      continue;
    }
    const auto next = checked_mul(product, d);
    if (!next || *next > kLargest) return std::nullopt;
    product = *next;
  }
  return empty ? 0 : product;
}

// `value` rounded up to a multiple of `alignment` (a power of two), or nullopt on overflow.
inline std::optional<std::uint64_t> checked_align_up(std::uint64_t value, std::uint64_t alignment) {
  const auto bumped = checked_add(value, alignment - 1);
  if (!bumped) return std::nullopt;
  return *bumped & ~(alignment - 1);
}

}  // namespace linea::io
