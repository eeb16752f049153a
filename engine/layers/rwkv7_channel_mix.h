// RWKV-7 "channel mix": the feed-forward half of a layer (model-spec §3.2): token shift with one
// mix, a squared-ReLU hidden layer, and the projection back.
#pragma once

#include "engine/cpu/ops.h"
#include "engine/cpu/weight_view.h"

#include <cstdint>
#include <span>
#include <vector>

namespace linea::layers {

struct Rwkv7ChannelMix {
  std::int64_t n_embd = 0;   // C
  std::vector<float> mix_k;  // [C]
  cpu::WeightView key;       // [F, C]
  cpu::WeightView value;     // [C, F]

  // out [positions, C] from x_normed [positions, C]; `shift` [C] carries the previous position's input.
  void apply(cpu::ThreadPool& pool, std::span<const float> x_normed, std::int64_t positions, std::span<float> shift,
             std::span<float> out) const;
};

}  // namespace linea::layers
