// RWKV-7 "time mix": the attention replacement of one layer (model-spec §3.2). Token shift, the
// r/k/v projections, the LoRA-driven decay, in-context learning rate, value residual and gate, the
// generalized delta-rule state update, GroupNorm, the r·k bonus and the output projection.
// Processes a run of positions at once: every projection is one matmul over all of them; only the
// state update scans them in order.
#pragma once

#include "engine/cpu/ops.h"
#include "engine/cpu/weight_view.h"
#include "engine/layers/low_rank_projection.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace linea::layers {

struct Rwkv7TimeMix {
  std::int64_t n_embd = 0;      // C
  std::int64_t head_count = 0;  // H
  std::int64_t head_size = 0;   // N, H·N = C

  // Token-shift mix coefficients, [C] each.
  std::vector<float> mix_r, mix_w, mix_k, mix_v, mix_a, mix_g;

  cpu::WeightView receptance;  // [C, C]
  cpu::WeightView key;         // [C, C]
  cpu::WeightView value;       // [C, C]
  cpu::WeightView output;      // [C, C]

  LowRankProjection decay;                          // tanh inside, bias w0
  LowRankProjection in_context_rate;                // no activation, bias a0
  std::optional<LowRankProjection> value_residual;  // no activation, bias v0; absent in layer 0
  LowRankProjection gate;                           // sigmoid inside, no bias

  std::vector<float> k_k;  // [C] key scaling before the per-head normalization
  std::vector<float> k_a;  // [C] how much the in-context rate scales the key
  std::vector<float> r_k;  // [H·N] bonus weights

  std::vector<float> group_norm_weight;  // [C]  (ln_x)
  std::vector<float> group_norm_bias;    // [C]
  float group_norm_eps = 64e-5f;

  // The per-sequence state this layer carries between calls.
  struct State {
    std::span<float> shift;  // [C]     the normed input of the previous position
    std::span<float> wkv;    // [H, N, N] fp32, S[h][i][j]: i = value row, j = key column
  };

  // out [positions, C] from x_normed [positions, C] (the LayerNormed residual stream).
  // v_first [positions, C]: the first layer writes its values there; later layers mix toward them.
  void apply(cpu::ThreadPool& pool, std::span<const float> x_normed, std::int64_t positions, State state,
             std::span<float> v_first, std::span<float> out) const;
};

}  // namespace linea::layers
