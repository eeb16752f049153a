// Softmax attention with grouped-query heads, rotary embedding on the first rotary_dim values of each
// head (NeoX / rotate-half), optional q/k/v biases (Qwen2) and a KV cache that grows with the
// context (model-spec §1.5). Shared by MiniMax's softmax layers and plain Llama / Qwen2 decoders.
#pragma once

#include "engine/core/growable_floats.h"
#include "engine/cpu/thread_pool.h"
#include "engine/cpu/weight_view.h"

#include <cstdint>
#include <span>
#include <vector>

namespace linea::layers {

// Keys and values of every position seen so far, [positions, kv_heads, head_dim] each, fp32.
struct KvCache {
  std::int64_t width = 0;  // kv_heads · head_dim
  std::int64_t positions = 0;
  GrowableFloats keys;
  GrowableFloats values;

  void clear() {
    positions = 0;
    keys.clear();
    values.clear();
  }
};

// inverse_frequencies[i] = 1 / theta^(2i / rotary_dim), computed in fp32 as the references do.
std::vector<float> rotary_inverse_frequencies(double theta, std::int64_t rotary_dim);

struct SoftmaxAttention {
  std::int64_t heads = 0;
  std::int64_t kv_heads = 0;
  std::int64_t head_dim = 0;
  std::int64_t rotary_dim = 0;  // 0: no rotary embedding
  std::vector<float> inverse_frequencies;  // [rotary_dim / 2]
  float scale = 1.0f;                       // usually 1/sqrt(head_dim)
  cpu::WeightView query;                    // [heads·D, C]
  cpu::WeightView key;                      // [kv_heads·D, C]
  cpu::WeightView value;                    // [kv_heads·D, C]
  cpu::WeightView output;                   // [C, heads·D]
  std::vector<float> query_bias, key_bias, value_bias;  // empty when the model has none

  std::int64_t kv_width() const { return kv_heads * head_dim; }

  // out [positions, C] from x_normed [positions, C]; the new positions follow cache.positions and
  // are appended to the cache.
  void apply(cpu::ThreadPool& pool, std::span<const float> x_normed, std::int64_t positions, KvCache& cache,
             std::span<float> out) const;
};

}  // namespace linea::layers
