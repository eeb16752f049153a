// The argument checks the threaded op fronts (ops.cpp, attention_ops.cpp) share: a failed check
// throws std::invalid_argument naming the op and what was wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace linea::cpu::checks {

inline void require(bool condition, const char* op, const std::string& what) {
  if (!condition) throw std::invalid_argument(std::string(op) + ": " + what);
}

// A size check's two numbers; the message is built only when the check fails (decode runs these
// checks a few hundred times per token).
struct Sizes {
  std::size_t found;
  std::int64_t expected;
};
inline Sizes sizes(std::size_t found, std::int64_t expected) { return {found, expected}; }

inline void require(bool condition, const char* op, const char* what, Sizes sizes) {
  if (!condition)
    throw std::invalid_argument(std::string(op) + ": " + what + ": got " + std::to_string(sizes.found) +
                                " values, expected " + std::to_string(sizes.expected));
}

}  // namespace linea::cpu::checks
