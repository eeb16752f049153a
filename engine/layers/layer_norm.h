// LayerNorm parameters held as f32 (a few KiB per layer, converted once at load) and applied over
// rows of activations.
#pragma once

#include "engine/cpu/ops.h"

#include <cstdint>
#include <span>
#include <vector>

namespace linea::layers {

struct LayerNorm {
  std::vector<float> weight;  // [n]
  std::vector<float> bias;    // [n] or empty
  float eps = 1e-5f;

  std::int64_t size() const { return static_cast<std::int64_t>(weight.size()); }

  // out [positions, n] = LayerNorm(x [positions, n]).
  void apply(std::span<const float> x, std::span<float> out) const {
    cpu::layer_norm(x, size(), weight, bias, eps, out);
  }
};

}  // namespace linea::layers
