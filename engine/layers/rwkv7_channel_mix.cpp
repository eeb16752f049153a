#include "engine/layers/rwkv7_channel_mix.h"

#include <algorithm>

namespace linea::layers {

void Rwkv7ChannelMix::apply(cpu::ThreadPool& pool, std::span<const float> x_normed, std::int64_t positions,
                            std::span<float> shift, std::span<float> out) const {
  const std::int64_t C = n_embd;
  std::vector<float> mixed(static_cast<std::size_t>(positions * C));
  cpu::token_shift(x_normed, C, mix_k, shift, mixed);
  std::copy_n(x_normed.end() - C, C, shift.begin());

  std::vector<float> hidden(static_cast<std::size_t>(positions * key.rows));  // [T, F]
  cpu::matmul(pool, key, mixed, positions, hidden);
  cpu::relu_squared(hidden);
  cpu::matmul(pool, value, hidden, positions, out);
}

}  // namespace linea::layers
