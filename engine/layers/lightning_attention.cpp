#include "engine/layers/lightning_attention.h"

#include "engine/cpu/ops.h"
#include "engine/cpu/scratch_floats.h"

#include <bit>
#include <cmath>

namespace linea::layers {

namespace {

std::vector<double> power_of_two_slopes(std::int64_t heads) {
  const double start = std::pow(2.0, -std::pow(2.0, -(std::log2(static_cast<double>(heads)) - 3.0)));
  std::vector<double> slopes(static_cast<std::size_t>(heads));
  for (std::int64_t i = 0; i < heads; ++i) slopes[static_cast<std::size_t>(i)] = std::pow(start, i + 1);
  return slopes;
}

}  // namespace

std::vector<double> alibi_slopes(std::int64_t heads) {
  const auto count = static_cast<std::uint64_t>(heads);
  if (std::has_single_bit(count)) return power_of_two_slopes(heads);
  const auto lower = static_cast<std::int64_t>(std::bit_floor(count));
  std::vector<double> slopes = power_of_two_slopes(lower);
  const std::vector<double> upper = power_of_two_slopes(2 * lower);
  for (std::size_t i = 0; static_cast<std::int64_t>(slopes.size()) < heads; i += 2) slopes.push_back(upper[i]);
  return slopes;
}

void LightningAttention::apply(cpu::ThreadPool& pool, std::span<const float> x_normed, std::int64_t positions,
                               std::span<float> state, std::span<float> out, cpu::LightningForm form) const {
  const std::int64_t W = width();
  cpu::ScratchFloats qkv_values(static_cast<std::size_t>(positions * 3 * W));
  cpu::ScratchFloats gate(static_cast<std::size_t>(positions * W));
  // Both projections of x_normed in one pool job (one wake-up; prefill regroups x_normed once).
  const cpu::MatmulTask projections[] = {{&qkv, x_normed, qkv_values}, {&output_gate, x_normed, gate}};
  cpu::matmul_batch(pool, positions, projections);
  cpu::for_position_ranges(pool, positions, [&](std::int64_t begin, std::int64_t end) {
    cpu::silu(cpu::position_rows(qkv_values, 3 * W, begin, end));  // on q, k and v alike
  });

  cpu::ScratchFloats attended(static_cast<std::size_t>(positions * W));
  cpu::lightning_attention(pool, positions, heads, head_dim, qkv_values, slopes, block_size, state, attended, form);
  norm.apply(attended, attended);

  cpu::for_position_ranges(pool, positions, [&](std::int64_t begin, std::int64_t end) {
    cpu::sigmoid(cpu::position_rows(gate, W, begin, end));
    for (std::int64_t i = begin * W; i < end * W; ++i) attended[i] *= gate[i];
  });
  cpu::matmul(pool, output, attended, positions, out);
}

}  // namespace linea::layers
