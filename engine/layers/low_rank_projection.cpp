#include "engine/layers/low_rank_projection.h"

namespace linea::layers {

void LowRankProjection::apply(cpu::ThreadPool& pool, std::span<const float> x, std::int64_t positions,
                              std::span<float> hidden, std::span<float> out) const {
  cpu::matmul(pool, down, x, positions, hidden);
  activate(hidden);
  cpu::matmul(pool, up, hidden, positions, out);
  add_bias(out);
}

void LowRankProjection::activate(std::span<float> hidden) const {
  switch (activation) {
    case LowRankActivation::none: break;
    case LowRankActivation::tanh: cpu::tanh(hidden); break;
    case LowRankActivation::sigmoid: cpu::sigmoid(hidden); break;
  }
}

void LowRankProjection::add_bias(std::span<float> out) const {
  if (bias.empty()) return;
  const std::size_t n = bias.size();
  for (std::size_t row = 0; row < out.size(); row += n)
    for (std::size_t i = 0; i < n; ++i) out[row + i] += bias[i];
}

void LowRankProjection::add_bias(std::span<float> channels, std::int64_t first) const {
  if (bias.empty()) return;
  for (std::size_t i = 0; i < channels.size(); ++i) channels[i] += bias[static_cast<std::size_t>(first) + i];
}

}  // namespace linea::layers
