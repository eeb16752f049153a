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

inline std::string sizes(std::size_t found, std::int64_t expected) {
  return "got " + std::to_string(found) + " values, expected " + std::to_string(expected);
}

}  // namespace linea::cpu::checks
