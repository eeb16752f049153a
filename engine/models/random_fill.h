// Reproducible random numbers for benchmark weights and tests.
#pragma once

#include <cstdint>
#include <vector>

namespace linea {

// A small, fast generator (splitmix64): benchmark weights need speed and reproducibility, not quality.
class RandomFill {
 public:
  explicit RandomFill(std::uint64_t seed) : state_(seed) {}

  float uniform(float low, float high) {
    state_ += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return low + (high - low) * static_cast<float>(z >> 40) * (1.0f / 16777216.0f);
  }

  std::vector<float> values(std::int64_t count, float low, float high) {
    std::vector<float> out(static_cast<std::size_t>(count));
    for (float& value : out) value = uniform(low, high);
    return out;
  }

 private:
  std::uint64_t state_;
};

}  // namespace linea
