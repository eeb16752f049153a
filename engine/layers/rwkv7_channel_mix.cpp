#include "engine/layers/rwkv7_channel_mix.h"

#include "engine/cpu/scratch_floats.h"

#include <algorithm>

namespace linea::layers {

void Rwkv7ChannelMix::apply(cpu::ThreadPool& pool, std::span<const float> x_normed, std::int64_t positions,
                            std::span<float> shift, std::span<float> out) const {
  const std::int64_t C = n_embd, F = key.rows;
  cpu::ScratchFloats mixed(static_cast<std::size_t>(positions * C));
  cpu::for_position_ranges(pool, positions, [&](std::int64_t begin, std::int64_t end) {
    const std::span<const float> carry =
        begin == 0 ? std::span<const float>(shift) : cpu::position_rows(x_normed, C, begin - 1, begin);
    cpu::token_shift(cpu::position_rows(x_normed, C, begin, end), C, mix_k, carry,
                     cpu::position_rows(mixed, C, begin, end));
  });
  std::copy_n(x_normed.end() - C, C, shift.begin());

  cpu::ScratchFloats hidden(static_cast<std::size_t>(positions * F));  // [T, F]
  cpu::matmul(pool, key, mixed, positions, hidden);
  cpu::for_position_ranges(pool, positions, [&](std::int64_t begin, std::int64_t end) {
    cpu::relu_squared(cpu::position_rows(hidden, F, begin, end));
  });
  cpu::matmul(pool, value, hidden, positions, out);
}

}  // namespace linea::layers
