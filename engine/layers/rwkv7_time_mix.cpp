#include "engine/layers/rwkv7_time_mix.h"

#include "engine/cpu/scratch_floats.h"

#include <algorithm>
#include <cmath>

namespace linea::layers {

namespace {

// e^{-0.5}: the decay w = exp(−e^{−0.5}·σ(·)) lies in (exp(−e^{−0.5}), 1) ≈ (0.545, 1).
const float kDecayScale = std::exp(-0.5f);

cpu::ScratchFloats buffer(std::int64_t size) { return cpu::ScratchFloats(static_cast<std::size_t>(size)); }

}  // namespace

void Rwkv7TimeMix::apply(cpu::ThreadPool& pool, std::span<const float> x_normed, std::int64_t positions, State state,
                         std::span<float> v_first, std::span<float> out) const {
  const std::int64_t C = n_embd;
  const std::int64_t TC = positions * C;
  const std::int64_t H = head_count;
  const std::int64_t N = head_size;
  // The element-wise stages below run on position ranges on every pool thread: each position's
  // values depend only on its own row (and, for the token shift, the row before it).

  // Token shift: each mix blends a position with the one before it (the carried state for the first).
  cpu::ScratchFloats xr = buffer(TC), xw = buffer(TC), xk = buffer(TC), xv = buffer(TC), xa = buffer(TC),
                     xg = buffer(TC);
  cpu::for_position_ranges(pool, positions, [&](std::int64_t begin, std::int64_t end) {
    const std::span<const float> x = cpu::position_rows(x_normed, C, begin, end);
    const std::span<const float> carry =
        begin == 0 ? std::span<const float>(state.shift) : cpu::position_rows(x_normed, C, begin - 1, begin);
    cpu::token_shift(x, C, mix_r, carry, cpu::position_rows(xr, C, begin, end));
    cpu::token_shift(x, C, mix_w, carry, cpu::position_rows(xw, C, begin, end));
    cpu::token_shift(x, C, mix_k, carry, cpu::position_rows(xk, C, begin, end));
    cpu::token_shift(x, C, mix_v, carry, cpu::position_rows(xv, C, begin, end));
    cpu::token_shift(x, C, mix_a, carry, cpu::position_rows(xa, C, begin, end));
    cpu::token_shift(x, C, mix_g, carry, cpu::position_rows(xg, C, begin, end));
  });
  std::copy_n(x_normed.end() - C, C, state.shift.begin());

  // The projections that read only the shifted inputs go to the pool as one batch, the low-rank
  // ones' second halves as another (one wake-up of the threads each instead of one per product).
  cpu::ScratchFloats r = buffer(TC), k = buffer(TC), v = buffer(TC);  // [T, C]
  cpu::ScratchFloats w = buffer(TC), a = buffer(TC), g = buffer(TC), mix;
  struct LowRank {
    const LowRankProjection* projection;
    std::span<const float> x;
    std::span<float> out;
    cpu::ScratchFloats hidden;
  };
  std::vector<LowRank> low_rank;  // built by push_back: an initializer list would copy the buffers
  low_rank.push_back({&decay, xw, w, {}});
  low_rank.push_back({&in_context_rate, xa, a, {}});
  low_rank.push_back({&gate, xg, g, {}});
  if (value_residual) {
    mix = buffer(TC);
    low_rank.push_back({&*value_residual, xv, mix, {}});
  }
  std::vector<cpu::MatmulTask> tasks = {{&receptance, xr, r}, {&key, xk, k}, {&value, xv, v}};
  for (LowRank& projection : low_rank) {
    projection.hidden = buffer(positions * projection.projection->rank());
    tasks.push_back(projection.projection->down_task(projection.x, projection.hidden));
  }
  cpu::matmul_batch(pool, positions, tasks);
  tasks.clear();
  for (LowRank& projection : low_rank) {
    projection.projection->activate(projection.hidden);
    tasks.push_back(projection.projection->up_task(projection.hidden, projection.out));
  }
  cpu::matmul_batch(pool, positions, tasks);

  cpu::ScratchFloats removal = buffer(TC), replacement = buffer(TC);
  cpu::for_position_ranges(pool, positions, [&](std::int64_t begin, std::int64_t end) {
    for (LowRank& projection : low_rank)
      projection.projection->add_bias(cpu::position_rows(projection.out, C, begin, end));

    // Decay w = exp(−e^{−0.5}·σ(w0 + tanh(xw·w1)·w2)), kept in fp32.
    const std::span<float> w_rows = cpu::position_rows(w, C, begin, end);
    cpu::sigmoid(w_rows);
    for (float& value_w : w_rows) value_w *= -kDecayScale;
    cpu::exp(w_rows);

    // In-context learning rate a = σ(a0 + (xa·a1)·a2).
    cpu::sigmoid(cpu::position_rows(a, C, begin, end));

    // Output gate g = σ(xg·g1)·g2 (g as the projection leaves it).

    // Value residual: the first layer's values are remembered; later layers lerp toward them.
    if (!value_residual) {
      std::ranges::copy(cpu::position_rows(v, C, begin, end), cpu::position_rows(v_first, C, begin, end).begin());
    } else {
      cpu::sigmoid(cpu::position_rows(mix, C, begin, end));
      for (std::int64_t i = begin * C; i < end * C; ++i) v[i] += (v_first[i] - v[i]) * mix[i];
    }

    // kk = normalize_per_head(k ⊙ k_k); the state update removes along −kk and writes back kk ⊙ a.
    for (std::int64_t t = begin; t < end; ++t) {
      for (std::int64_t h = 0; h < H; ++h) {
        const std::int64_t base = t * C + h * N;
        float* kk = removal.data() + base;
        double squares = 0;
        for (std::int64_t j = 0; j < N; ++j) {
          kk[j] = k[base + j] * k_k[h * N + j];
          squares += static_cast<double>(kk[j]) * kk[j];
        }
        const float inv_norm = 1.0f / std::max(static_cast<float>(std::sqrt(squares)), 1e-12f);
        for (std::int64_t j = 0; j < N; ++j) {
          kk[j] *= inv_norm;
          replacement[base + j] = kk[j] * a[base + j];
          kk[j] = -kk[j];
        }
      }
      // k = k ⊙ (1 + (a − 1) ⊙ k_a)
      for (std::int64_t c = 0; c < C; ++c) k[t * C + c] *= 1.0f + (a[t * C + c] - 1.0f) * k_a[c];
    }
  });

  cpu::ScratchFloats y = buffer(TC);
  cpu::wkv7(pool, positions, H, N, {r, w, k, v, removal, replacement}, state.wkv, y);

  cpu::ScratchFloats normed = buffer(TC);
  cpu::for_position_ranges(pool, positions, [&](std::int64_t begin, std::int64_t end) {
    cpu::group_norm(cpu::position_rows(y, C, begin, end), C, H, group_norm_weight, group_norm_bias, group_norm_eps,
                    cpu::position_rows(normed, C, begin, end));
    // Bonus: per head, (Σ_j r·k·r_k) times the head's value (with the modified k and v).
    for (std::int64_t t = begin; t < end; ++t) {
      for (std::int64_t h = 0; h < H; ++h) {
        const std::int64_t base = t * C + h * N;
        float sum = 0;
        for (std::int64_t j = 0; j < N; ++j) sum += r[base + j] * k[base + j] * r_k[h * N + j];
        for (std::int64_t j = 0; j < N; ++j) normed[base + j] += sum * v[base + j];
      }
    }
    for (std::int64_t i = begin * C; i < end * C; ++i) normed[i] *= g[i];
  });
  cpu::matmul(pool, output, normed, positions, out);
}

}  // namespace linea::layers
