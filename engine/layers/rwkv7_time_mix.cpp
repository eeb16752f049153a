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
  // Token shift: each mix blends a position with the one before it (the carried state for the first).
  // It runs on position ranges on every pool thread: a position's values depend only on its own row
  // and the one before it.
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

  // The projections that read only the shifted inputs go to the pool as one batch (one wake-up of
  // the threads instead of one per product).
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
  for (LowRank& projection : low_rank) projection.projection->activate(projection.hidden);
  // The low-rank projections' second halves: a head's channels are rows of their up matrices, so in
  // decode each range of heads below computes its own rows (one wake-up of the threads fewer). In
  // prefill they run as one batch first: there every range would quantize all positions' hidden
  // values again for the integer product.
  const bool up_rows_per_head_range = positions == 1;
  if (!up_rows_per_head_range) {
    tasks.clear();
    for (const LowRank& projection : low_rank)
      tasks.push_back({&projection.projection->up, projection.hidden, projection.out});
    cpu::matmul_batch(pool, positions, tasks);
  }

  // Everything after these products up to the output projection touches a head's channels only: the
  // decay, rates and value mix per channel, and the kk normalization, state update, GroupNorm group
  // and bonus per head. So each range of heads runs all of it in one pool job: no serial pass over
  // C, and a head's values are still in cache from one step to the next.
  cpu::ScratchFloats removal = buffer(TC), replacement = buffer(TC), y = buffer(TC), normed = buffer(TC);
  const cpu::Wkv7Inputs wkv_inputs{r, w, k, v, removal, replacement};
  // In decode every head costs the same, and its state (N·N floats) and up rows come from memory:
  // one run of adjacent heads per thread keeps those reads sequential, where ranges of 2 heads taken
  // in turn interleaved them (the job took ~0.8× the time, 16 heads of 64, 2 threads).
  const std::int64_t heads_per_range = up_rows_per_head_range
                                           ? (H + pool.thread_count() - 1) / pool.thread_count()
                                           : cpu::wkv7_heads_per_range(positions, N);
  pool.parallel_for(H, heads_per_range, [&](std::int64_t head_begin, std::int64_t head_end) {
    if (up_rows_per_head_range)
      for (const LowRank& projection : low_rank)
        cpu::matmul_rows(projection.projection->up, projection.hidden, positions, projection.out, head_begin * N,
                         head_end * N);
    for (std::int64_t h = head_begin; h < head_end; ++h) {
      const std::int64_t first = h * N;  // the head's first channel
      const auto slice = [&](std::span<float> rows, std::int64_t t) { return rows.subspan(t * C + first, N); };
      for (std::int64_t t = 0; t < positions; ++t) {
        for (LowRank& projection : low_rank) projection.projection->add_bias(slice(projection.out, t), first);

        // Decay w = exp(−e^{−0.5}·σ(w0 + tanh(xw·w1)·w2)), kept in fp32.
        const std::span<float> w_head = slice(w, t);
        cpu::sigmoid(w_head);
        for (float& value_w : w_head) value_w *= -kDecayScale;
        cpu::exp(w_head);

        // In-context learning rate a = σ(a0 + (xa·a1)·a2).
        const std::span<float> a_head = slice(a, t);
        cpu::sigmoid(a_head);

        // Output gate g = σ(xg·g1)·g2 (g as the projection leaves it).

        // Value residual: the first layer's values are remembered; later layers lerp toward them.
        const std::span<float> v_head = slice(v, t), v_first_head = v_first.subspan(t * C + first, N);
        if (!value_residual) {
          std::ranges::copy(v_head, v_first_head.begin());
        } else {
          const std::span<float> mix_head = slice(mix, t);
          cpu::sigmoid(mix_head);
          for (std::int64_t j = 0; j < N; ++j) v_head[j] += (v_first_head[j] - v_head[j]) * mix_head[j];
        }

        // kk = normalize(k ⊙ k_k) over the head; the state update removes along −kk and writes back kk ⊙ a.
        const std::span<float> k_head = slice(k, t), kk = slice(removal, t), written = slice(replacement, t);
        double squares = 0;
        for (std::int64_t j = 0; j < N; ++j) {
          kk[j] = k_head[j] * k_k[first + j];
          squares += static_cast<double>(kk[j]) * kk[j];
        }
        const float inv_norm = 1.0f / std::max(static_cast<float>(std::sqrt(squares)), 1e-12f);
        for (std::int64_t j = 0; j < N; ++j) {
          kk[j] *= inv_norm;
          written[j] = kk[j] * a_head[j];
          kk[j] = -kk[j];
        }
        // k = k ⊙ (1 + (a − 1) ⊙ k_a)
        for (std::int64_t j = 0; j < N; ++j) k_head[j] *= 1.0f + (a_head[j] - 1.0f) * k_a[first + j];
      }

      cpu::wkv7_heads(positions, H, N, wkv_inputs, state.wkv, y, h, h + 1);

      for (std::int64_t t = 0; t < positions; ++t) {
        // GroupNorm: the head is its group.
        const std::span<float> out_head = slice(normed, t);
        cpu::layer_norm(slice(y, t), N, std::span(group_norm_weight).subspan(first, N),
                        std::span(group_norm_bias).subspan(first, N), group_norm_eps, out_head);
        // Bonus: (Σ_j r·k·r_k) times the head's value (with the modified k and v).
        const std::span<float> r_head = slice(r, t), k_head = slice(k, t), v_head = slice(v, t), g_head = slice(g, t);
        float sum = 0;
        for (std::int64_t j = 0; j < N; ++j) sum += r_head[j] * k_head[j] * r_k[first + j];
        for (std::int64_t j = 0; j < N; ++j) out_head[j] = (out_head[j] + sum * v_head[j]) * g_head[j];
      }
    }
  });
  cpu::matmul(pool, output, normed, positions, out);
}

}  // namespace linea::layers
