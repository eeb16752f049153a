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
  // and bonus per head.
  cpu::ScratchFloats removal = buffer(TC), replacement = buffer(TC), y = buffer(TC), normed = buffer(TC);
  const cpu::Wkv7Inputs wkv_inputs{r, w, k, v, removal, replacement};
  // Channels [first, first + count) (whole heads) of position t, before the state update.
  const auto prepare = [&](std::int64_t t, std::int64_t first, std::int64_t count) {
    const auto slice = [&](std::span<float> rows) { return rows.subspan(t * C + first, count); };
    for (LowRank& projection : low_rank) projection.projection->add_bias(slice(projection.out), first);

    // Decay w = exp(−e^{−0.5}·σ(w0 + tanh(xw·w1)·w2)), kept in fp32.
    const std::span<float> w_part = slice(w);
    cpu::sigmoid(w_part);
    for (float& value_w : w_part) value_w *= -kDecayScale;
    cpu::exp(w_part);

    // In-context learning rate a = σ(a0 + (xa·a1)·a2).
    const std::span<float> a_part = slice(a);
    cpu::sigmoid(a_part);

    // Output gate g = σ(xg·g1)·g2 (g as the projection leaves it).

    // Value residual: the first layer's values are remembered; later layers lerp toward them.
    const std::span<float> v_part = slice(v), v_first_part = v_first.subspan(t * C + first, count);
    if (!value_residual) {
      std::ranges::copy(v_part, v_first_part.begin());
    } else {
      const std::span<float> mix_part = slice(mix);
      cpu::sigmoid(mix_part);
      for (std::int64_t j = 0; j < count; ++j) v_part[j] += (v_first_part[j] - v_part[j]) * mix_part[j];
    }

    // kk = normalize(k ⊙ k_k) over each head; the state update removes along −kk and writes back kk ⊙ a.
    const std::span<float> k_part = slice(k), kk = slice(removal), written = slice(replacement);
    for (std::int64_t h0 = 0; h0 < count; h0 += N) {
      double squares = 0;
      for (std::int64_t j = h0; j < h0 + N; ++j) {
        kk[j] = k_part[j] * k_k[first + j];
        squares += static_cast<double>(kk[j]) * kk[j];
      }
      const float inv_norm = 1.0f / std::max(static_cast<float>(std::sqrt(squares)), 1e-12f);
      for (std::int64_t j = h0; j < h0 + N; ++j) {
        kk[j] *= inv_norm;
        written[j] = kk[j] * a_part[j];
        kk[j] = -kk[j];
      }
    }
    // k = k ⊙ (1 + (a − 1) ⊙ k_a)
    for (std::int64_t j = 0; j < count; ++j) k_part[j] *= 1.0f + (a_part[j] - 1.0f) * k_a[first + j];
  };
  // The same channels of position t after it: GroupNorm (the head is its group), then the bonus
  // (Σ_j r·k·r_k over the head, with the modified k and v) times the head's value, then the gate.
  const auto finish = [&](std::int64_t t, std::int64_t first, std::int64_t count) {
    for (std::int64_t h0 = first; h0 < first + count; h0 += N) {
      const auto slice = [&](std::span<float> rows) { return rows.subspan(t * C + h0, N); };
      const std::span<float> out_head = slice(normed);
      cpu::layer_norm(slice(y), N, std::span(group_norm_weight).subspan(h0, N),
                      std::span(group_norm_bias).subspan(h0, N), group_norm_eps, out_head);
      const std::span<float> r_head = slice(r), k_head = slice(k), v_head = slice(v), g_head = slice(g);
      float sum = 0;
      for (std::int64_t j = 0; j < N; ++j) sum += r_head[j] * k_head[j] * r_k[h0 + j];
      for (std::int64_t j = 0; j < N; ++j) out_head[j] = (out_head[j] + sum * v_head[j]) * g_head[j];
    }
  };

  if (up_rows_per_head_range) {
    // Decode: in decode every head costs the same, and its state (N·N floats) and up rows come from
    // memory: one run of adjacent heads per thread keeps those reads sequential, where ranges of 2
    // heads taken in turn interleaved them (the job took ~0.8× the time, 16 heads of 64, 2 threads).
    pool.parallel_for(H, (H + pool.thread_count() - 1) / pool.thread_count(),
                      [&](std::int64_t head_begin, std::int64_t head_end) {
                        for (const LowRank& projection : low_rank)
                          cpu::matmul_rows(projection.projection->up, projection.hidden, positions, projection.out,
                                           head_begin * N, head_end * N);
                        prepare(0, head_begin * N, (head_end - head_begin) * N);
                        cpu::wkv7_heads(positions, H, N, wkv_inputs, state.wkv, y, head_begin, head_end);
                        finish(0, head_begin * N, (head_end - head_begin) * N);
                      });
  } else {
    // Prefill: the per-channel steps on whole rows (position ranges), the state update on heads. A
    // head's channels of one position are N floats, C apart from the next position's: going through
    // them head by head, position after position, read 256 bytes per 4 KiB row (every row on the same
    // few cache sets) and took longer than the state update itself.
    cpu::for_position_ranges(pool, positions, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t t = begin; t < end; ++t) prepare(t, 0, C);
    });
    cpu::wkv7(pool, positions, H, N, wkv_inputs, state.wkv, y);
    cpu::for_position_ranges(pool, positions, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t t = begin; t < end; ++t) finish(t, 0, C);
    });
  }
  cpu::matmul(pool, output, normed, positions, out);
}

}  // namespace linea::layers
