// MiniMax's lightning attention layer (model-spec §1.4): silu(x Wqkvᵀ) split per head into q | k | v,
// linear attention with a fixed per-head decay (block form for prefill, recurrence for decode),
// one RMSNorm over all heads, a sigmoid output gate from the layer input, and the output projection.
#pragma once

#include "engine/cpu/attention_ops.h"
#include "engine/cpu/thread_pool.h"
#include "engine/cpu/weight_view.h"
#include "engine/layers/rms_norm.h"

#include <cstdint>
#include <span>
#include <vector>

namespace linea::layers {

// The ALiBi slopes MiniMax uses as decay rates (model-spec §1.4.2), before the per-layer factor:
// a power-of-two head count h gives start^(i+1) with start = 2^(−8/h); other counts interleave the
// slopes of the neighbouring powers of two.
std::vector<double> alibi_slopes(std::int64_t heads);

struct LightningAttention {
  std::int64_t heads = 0;
  std::int64_t head_dim = 0;
  std::int64_t block_size = 256;
  std::vector<float> slopes;   // [heads]: decay rate s of each head in this layer (λ = exp(−s))
  cpu::WeightView qkv;         // [3·heads·head_dim, C], rows per head: q | k | v
  cpu::WeightView output_gate; // [heads·head_dim, C]
  cpu::WeightView output;      // [C, heads·head_dim]
  RmsNorm norm;                // over heads·head_dim

  std::int64_t width() const { return heads * head_dim; }
  std::int64_t state_size() const { return heads * head_dim * head_dim; }

  // out [positions, C] from x_normed [positions, C], continuing from `state` [heads, D, D].
  void apply(cpu::ThreadPool& pool, std::span<const float> x_normed, std::int64_t positions, std::span<float> state,
             std::span<float> out, cpu::LightningForm form = cpu::LightningForm::automatic) const;
};

}  // namespace linea::layers
