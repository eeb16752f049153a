// The feed-forward halves of decoder layers: a SwiGLU MLP (Llama / Qwen2, and each MoE expert) and a
// Mixtral-style mixture of experts with an optional gated shared expert (model-spec §1.6, §5).
#pragma once

#include "engine/cpu/thread_pool.h"
#include "engine/cpu/weight_view.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace linea::layers {

// out = (silu(x Wgateᵀ) ⊙ x Wupᵀ) Wdownᵀ
struct SwiGluMlp {
  cpu::WeightView gate;  // [I, C]
  cpu::WeightView up;    // [I, C]
  cpu::WeightView down;  // [C, I]

  // out [positions, C] from x [positions, C].
  void apply(cpu::ThreadPool& pool, std::span<const float> x, std::int64_t positions, std::span<float> out) const;
};

struct MixtureOfExperts {
  cpu::WeightView router;  // [E, C], no bias
  std::vector<SwiGluMlp> experts;
  std::int64_t top_k = 2;
  bool renormalize = true;  // divide the chosen probabilities by their sum
  // Qwen-MoE style shared expert: out += σ(x·w_gate) · shared(x) (the gate is optional).
  std::optional<SwiGluMlp> shared_expert;
  std::optional<cpu::WeightView> shared_expert_gate;  // [1, C]

  // out [positions, C] from x [positions, C]. Router softmax and top-k in fp32; each expert runs
  // once over the positions routed to it.
  void apply(cpu::ThreadPool& pool, std::span<const float> x, std::int64_t positions, std::span<float> out) const;
};

}  // namespace linea::layers
