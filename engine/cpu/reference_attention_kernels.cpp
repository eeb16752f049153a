#include "engine/cpu/reference_attention_kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace linea::cpu::reference {

void rms_norm(const float* x, std::int64_t n, const float* weight, float eps, float* out) {
  double sum_squares = 0.0;
  for (std::int64_t i = 0; i < n; ++i) sum_squares += static_cast<double>(x[i]) * x[i];
  const auto inverse = static_cast<float>(1.0 / std::sqrt(sum_squares / static_cast<double>(n) + eps));
  for (std::int64_t i = 0; i < n; ++i) out[i] = x[i] * inverse * (weight ? weight[i] : 1.0f);
}

void silu(float* x, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) x[i] = x[i] / (1.0f + std::exp(-x[i]));
}

namespace {

// exp(−slope·n) for n = 0 … count−1. Only non-positive exponents are ever formed: λ^(−j) overflows
// for the steep heads (exp(0.92·256)), while exp(−235) merely underflows to 0, which is harmless.
void decay_powers(float slope, std::int64_t count, std::vector<float>& powers) {
  powers.resize(static_cast<std::size_t>(count));
  for (std::int64_t n = 0; n < count; ++n)
    powers[static_cast<std::size_t>(n)] = static_cast<float>(std::exp(-static_cast<double>(slope) * n));
}

// out[c] += a · row[c] for c < n: the loop shape compilers vectorise without reassociating sums.
inline void add_scaled(float* out, const float* row, float a, std::int64_t n) {
  for (std::int64_t c = 0; c < n; ++c) out[c] += a * row[c];
}

}  // namespace

void lightning_recurrent_head(const LightningHeadArgs& args) {
  const std::int64_t D = args.head_dim;
  const auto decay = static_cast<float>(std::exp(-static_cast<double>(args.slope)));
  float* S = args.state;
  for (std::int64_t t = 0; t < args.positions; ++t) {
    const float* q = args.q + t * args.stride;
    const float* k = args.k + t * args.stride;
    const float* v = args.v + t * args.stride;
    float* o = args.o + t * args.o_stride;
    // Decay, then add this token, then read: the token sees itself with weight 1 (§1.4.3).
    for (std::int64_t row = 0; row < D; ++row) {
      float* s_row = S + row * D;
      for (std::int64_t c = 0; c < D; ++c) s_row[c] = decay * s_row[c] + k[row] * v[c];
    }
    std::fill(o, o + D, 0.0f);
    for (std::int64_t row = 0; row < D; ++row) add_scaled(o, S + row * D, q[row], D);
  }
}

void lightning_block_head(const LightningHeadArgs& args) {
  const std::int64_t D = args.head_dim;
  const std::int64_t B = std::max<std::int64_t>(1, args.block_size);
  thread_local std::vector<float> powers, keys_t, scores, incoming;
  decay_powers(args.slope, B + 1, powers);
  keys_t.resize(static_cast<std::size_t>(D * B));
  scores.resize(static_cast<std::size_t>(B));
  incoming.resize(static_cast<std::size_t>(D * D));
  float* S = args.state;

  for (std::int64_t start = 0; start < args.positions; start += B) {
    const std::int64_t m = std::min(B, args.positions - start);
    const float* Q = args.q + start * args.stride;
    const float* K = args.k + start * args.stride;
    const float* V = args.v + start * args.stride;
    float* O = args.o + start * args.o_stride;

    // K of the block transposed to [D][m], so q·k_j for all j is a run of row updates.
    for (std::int64_t j = 0; j < m; ++j)
      for (std::int64_t d = 0; d < D; ++d) keys_t[static_cast<std::size_t>(d * m + j)] = K[j * args.stride + d];

    for (std::int64_t i = 0; i < m; ++i) {
      const float* q = Q + i * args.stride;
      float* o = O + i * args.o_stride;
      // Inter-block: λ^(i+1) · q_i S (S is the state before this block).
      std::fill(o, o + D, 0.0f);
      for (std::int64_t row = 0; row < D; ++row) add_scaled(o, S + row * D, q[row], D);
      const float inter_decay = powers[static_cast<std::size_t>(i + 1)];
      for (std::int64_t c = 0; c < D; ++c) o[c] *= inter_decay;
      // Intra-block: Σ_{j ≤ i} λ^(i−j) (q_i·k_j) v_j.
      std::fill(scores.begin(), scores.begin() + i + 1, 0.0f);
      for (std::int64_t d = 0; d < D; ++d) add_scaled(scores.data(), keys_t.data() + d * m, q[d], i + 1);
      for (std::int64_t j = 0; j <= i; ++j)
        add_scaled(o, V + j * args.stride, scores[static_cast<std::size_t>(j)] * powers[static_cast<std::size_t>(i - j)],
                   D);
    }

    // S ← λ^m S + Σ_j λ^(m−1−j) k_jᵀ v_j: the last m key-decay factors, exact for a partial block.
    std::fill(incoming.begin(), incoming.end(), 0.0f);
    for (std::int64_t j = 0; j < m; ++j) {
      const float* k = K + j * args.stride;
      const float* v = V + j * args.stride;
      const float key_decay = powers[static_cast<std::size_t>(m - 1 - j)];
      for (std::int64_t row = 0; row < D; ++row) add_scaled(incoming.data() + row * D, v, key_decay * k[row], D);
    }
    const float block_decay = powers[static_cast<std::size_t>(m)];
    for (std::int64_t e = 0; e < D * D; ++e) S[e] = block_decay * S[e] + incoming[static_cast<std::size_t>(e)];
  }
}

void attention_head(const AttentionHeadArgs& args) {
  constexpr std::int64_t kQueryTile = 16;
  constexpr std::int64_t kKeyTile = 128;
  const std::int64_t D = args.head_dim;
  thread_local std::vector<float> keys_t, scores, running_max, running_sum;
  keys_t.resize(static_cast<std::size_t>(D * kKeyTile));
  scores.resize(static_cast<std::size_t>(kQueryTile * kKeyTile));
  running_max.resize(kQueryTile);
  running_sum.resize(kQueryTile);

  for (std::int64_t q0 = 0; q0 < args.queries; q0 += kQueryTile) {
    const std::int64_t rows = std::min(kQueryTile, args.queries - q0);
    // Causal: the last row's own position; otherwise the last key.
    const std::int64_t last_key = args.causal ? args.first_position + q0 + rows - 1 : args.key_count - 1;
    std::fill(running_max.begin(), running_max.end(), -std::numeric_limits<float>::infinity());
    std::fill(running_sum.begin(), running_sum.end(), 0.0f);
    for (std::int64_t r = 0; r < rows; ++r) std::fill_n(args.o + (q0 + r) * args.q_stride, D, 0.0f);

    for (std::int64_t k0 = 0; k0 <= last_key; k0 += kKeyTile) {
      const std::int64_t cols = std::min(kKeyTile, last_key + 1 - k0);
      for (std::int64_t j = 0; j < cols; ++j)
        for (std::int64_t d = 0; d < D; ++d)
          keys_t[static_cast<std::size_t>(d * cols + j)] = args.k[(k0 + j) * args.kv_stride + d];

      for (std::int64_t r = 0; r < rows; ++r) {
        const std::int64_t position = args.first_position + q0 + r;
        const std::int64_t visible = args.causal ? std::min(cols, position + 1 - k0) : cols;  // causal: keys ≤ position
        if (visible <= 0) continue;
        const float* q = args.q + (q0 + r) * args.q_stride;
        float* s = scores.data() + r * kKeyTile;
        std::fill(s, s + visible, 0.0f);
        for (std::int64_t d = 0; d < D; ++d) add_scaled(s, keys_t.data() + d * cols, q[d], visible);

        float tile_max = -std::numeric_limits<float>::infinity();
        for (std::int64_t j = 0; j < visible; ++j) {
          s[j] *= args.scale;
          tile_max = std::max(tile_max, s[j]);
        }
        // Online softmax: rescale what was accumulated under the old maximum.
        const float new_max = std::max(running_max[static_cast<std::size_t>(r)], tile_max);
        const float correction = std::exp(running_max[static_cast<std::size_t>(r)] - new_max);
        float* o = args.o + (q0 + r) * args.q_stride;
        float tile_sum = 0.0f;
        for (std::int64_t c = 0; c < D; ++c) o[c] *= correction;
        for (std::int64_t j = 0; j < visible; ++j) {
          const float p = std::exp(s[j] - new_max);
          tile_sum += p;
          add_scaled(o, args.v + (k0 + j) * args.kv_stride, p, D);
        }
        running_sum[static_cast<std::size_t>(r)] = running_sum[static_cast<std::size_t>(r)] * correction + tile_sum;
        running_max[static_cast<std::size_t>(r)] = new_max;
      }
    }
    for (std::int64_t r = 0; r < rows; ++r) {
      float* o = args.o + (q0 + r) * args.q_stride;
      const float inverse = 1.0f / running_sum[static_cast<std::size_t>(r)];
      for (std::int64_t c = 0; c < D; ++c) o[c] *= inverse;
    }
  }
}

}  // namespace linea::cpu::reference
