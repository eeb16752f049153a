// RMSNorm parameters held as f32 and applied over rows of activations (model-spec §1.3: normalise
// in fp32, then multiply by the weight).
#pragma once

#include "engine/cpu/attention_ops.h"

#include <cstdint>
#include <span>
#include <vector>

namespace linea::layers {

struct RmsNorm {
  std::vector<float> weight;  // [n]
  float eps = 1e-6f;

  std::int64_t size() const { return static_cast<std::int64_t>(weight.size()); }

  // out [positions, n] = RMSNorm(x [positions, n]); out may be x.
  void apply(std::span<const float> x, std::span<float> out) const { cpu::rms_norm(x, size(), weight, eps, out); }
};

}  // namespace linea::layers
