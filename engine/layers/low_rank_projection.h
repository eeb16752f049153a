// A low-rank ("LoRA") projection as RWKV-7 uses them for its data-dependent decay, in-context
// learning rate, value-residual mix and output gate:  out = act(x · downᵀ) · upᵀ + bias.
// Both matrices are nn.Linear-shaped ([out, in]) and used in place from the weights file.
#pragma once

#include "engine/cpu/ops.h"
#include "engine/cpu/weight_view.h"

#include <cstdint>
#include <span>
#include <vector>

namespace linea::layers {

enum class LowRankActivation { none, tanh, sigmoid };

struct LowRankProjection {
  cpu::WeightView down;     // [rank, in]
  cpu::WeightView up;       // [out, rank]
  std::vector<float> bias;  // [out] or empty
  LowRankActivation activation = LowRankActivation::none;

  std::int64_t rank() const { return down.rows; }

  // out [positions, up.rows] from x [positions, down.cols]; `hidden` is scratch of positions·rank.
  void apply(cpu::ThreadPool& pool, std::span<const float> x, std::int64_t positions, std::span<float> hidden,
             std::span<float> out) const;

  // The same in steps, so that a layer can batch the products of several projections and split
  // the second ones by output rows (cpu::matmul_batch, cpu::matmul_rows): hidden = x·downᵀ, then
  // activate(hidden), then out = hidden·upᵀ, then add_bias(out).
  cpu::MatmulTask down_task(std::span<const float> x, std::span<float> hidden) const { return {&down, x, hidden}; }
  void activate(std::span<float> hidden) const;
  void add_bias(std::span<float> out) const;
  // bias[first + i] added to channels[i]: a slice of one output row.
  void add_bias(std::span<float> channels, std::int64_t first) const;
};

}  // namespace linea::layers
