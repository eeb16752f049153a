#include "engine/layers/softmax_attention.h"

#include "engine/cpu/attention_ops.h"
#include "engine/cpu/ops.h"

#include <cmath>
#include <stdexcept>

namespace linea::layers {

std::vector<float> rotary_inverse_frequencies(double theta, std::int64_t rotary_dim) {
  std::vector<float> frequencies(static_cast<std::size_t>(rotary_dim / 2));
  const auto base = static_cast<float>(theta);
  for (std::int64_t i = 0; i < rotary_dim / 2; ++i)
    frequencies[static_cast<std::size_t>(i)] =
        1.0f / std::pow(base, static_cast<float>(2 * i) / static_cast<float>(rotary_dim));
  return frequencies;
}

namespace {

void add_bias(std::span<float> rows, const std::vector<float>& bias) {
  if (bias.empty()) return;
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] += bias[i % bias.size()];
}

}  // namespace

void SoftmaxAttention::apply(cpu::ThreadPool& pool, std::span<const float> x_normed, std::int64_t positions,
                             KvCache& cache, std::span<float> out) const {
  if (cache.width != kv_width())
    throw std::invalid_argument("softmax attention: the KV cache was not made for this layer");
  const std::int64_t first = cache.positions;
  const std::int64_t width = heads * head_dim;

  std::vector<float> q(static_cast<std::size_t>(positions * width));
  cpu::matmul(pool, query, x_normed, positions, q);
  add_bias(q, query_bias);

  // New keys and values go straight into the cache's storage.
  const auto old_size = static_cast<std::size_t>(first * kv_width());
  const auto new_size = static_cast<std::size_t>((first + positions) * kv_width());
  cache.keys.resize(new_size);
  cache.values.resize(new_size);
  const std::span<float> new_keys = cache.keys.view().subspan(old_size);
  const std::span<float> new_values = cache.values.view().subspan(old_size);
  try {
    cpu::matmul(pool, key, x_normed, positions, new_keys);
    cpu::matmul(pool, value, x_normed, positions, new_values);
  } catch (...) {
    cache.keys.resize(old_size);
    cache.values.resize(old_size);
    throw;
  }
  add_bias(new_keys, key_bias);
  add_bias(new_values, value_bias);
  if (rotary_dim > 0) {
    cpu::rotary_embedding(q, positions, heads, head_dim, rotary_dim, first, inverse_frequencies);
    cpu::rotary_embedding(new_keys, positions, kv_heads, head_dim, rotary_dim, first, inverse_frequencies);
  }
  cache.positions = first + positions;

  std::vector<float> attended(q.size());
  cpu::causal_attention(pool, positions, first, heads, kv_heads, head_dim, scale, q, cache.keys.view(), cache.values.view(),
                        attended);
  cpu::matmul(pool, output, attended, positions, out);
}

}  // namespace linea::layers
