#include "engine/cpu/attention_ops.h"

#include "engine/cpu/kernels.h"
#include "engine/cpu/op_checks.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace linea::cpu {

using checks::require;
using checks::sizes;

void rms_norm(std::span<const float> x, std::int64_t n, std::span<const float> weight, float eps,
              std::span<float> out) {
  require(n > 0 && x.size() % static_cast<std::size_t>(n) == 0 && out.size() == x.size(), "rms_norm", "shape");
  require(weight.empty() || static_cast<std::int64_t>(weight.size()) == n, "rms_norm", "weight",
          sizes(weight.size(), n));
  const Kernels& kernels = active_kernels();
  const std::int64_t rows = static_cast<std::int64_t>(x.size()) / n;
  for (std::int64_t t = 0; t < rows; ++t)
    kernels.rms_norm(x.data() + t * n, n, weight.empty() ? nullptr : weight.data(), eps, out.data() + t * n);
}

void silu(std::span<float> x) { active_kernels().silu(x.data(), static_cast<std::int64_t>(x.size())); }

void lightning_attention(ThreadPool& pool, std::int64_t positions, std::int64_t heads, std::int64_t head_dim,
                         std::span<const float> qkv, std::span<const float> slopes, std::int64_t block_size,
                         std::span<float> state, std::span<float> out, LightningForm form) {
  const std::int64_t width = heads * head_dim;
  require(static_cast<std::int64_t>(qkv.size()) == positions * 3 * width, "lightning_attention", "qkv",
          sizes(qkv.size(), positions * 3 * width));
  require(static_cast<std::int64_t>(out.size()) == positions * width, "lightning_attention", "out",
          sizes(out.size(), positions * width));
  require(static_cast<std::int64_t>(state.size()) == heads * head_dim * head_dim, "lightning_attention", "state",
          sizes(state.size(), heads * head_dim * head_dim));
  require(static_cast<std::int64_t>(slopes.size()) == heads, "lightning_attention", "slopes",
          sizes(slopes.size(), heads));
  require(block_size > 0, "lightning_attention", "block size must be positive");
  if (positions == 0) return;
  const Kernels& kernels = active_kernels();
  const bool block = form == LightningForm::block || (form == LightningForm::automatic && positions > 1);
  pool.parallel_for(heads, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t h = begin; h < end; ++h) {
      LightningHeadArgs args;
      args.positions = positions;
      args.head_dim = head_dim;
      args.stride = 3 * width;
      args.o_stride = width;
      args.block_size = block_size;
      args.slope = slopes[static_cast<std::size_t>(h)];
      args.q = qkv.data() + h * 3 * head_dim;
      args.k = args.q + head_dim;
      args.v = args.q + 2 * head_dim;
      args.state = state.data() + h * head_dim * head_dim;
      args.o = out.data() + h * head_dim;
      (block ? kernels.lightning_block_head : kernels.lightning_recurrent_head)(args);
    }
  });
}

void rotary_embedding(std::span<float> x, std::int64_t positions, std::int64_t heads, std::int64_t head_dim,
                      std::int64_t rotary_dim, std::int64_t first_position,
                      std::span<const float> inverse_frequencies) {
  require(static_cast<std::int64_t>(x.size()) == positions * heads * head_dim, "rotary_embedding", "x",
          sizes(x.size(), positions * heads * head_dim));
  require(rotary_dim > 0 && rotary_dim % 2 == 0 && rotary_dim <= head_dim, "rotary_embedding",
          "rotary_dim " + std::to_string(rotary_dim) + " must be even and at most head_dim");
  const std::int64_t half = rotary_dim / 2;
  require(static_cast<std::int64_t>(inverse_frequencies.size()) == half, "rotary_embedding", "inverse_frequencies",
          sizes(inverse_frequencies.size(), half));
  std::vector<float> cosines(static_cast<std::size_t>(half)), sines(static_cast<std::size_t>(half));
  for (std::int64_t t = 0; t < positions; ++t) {
    const auto position = static_cast<float>(first_position + t);
    for (std::int64_t i = 0; i < half; ++i) {
      const float angle = position * inverse_frequencies[static_cast<std::size_t>(i)];  // fp32, as the references
      cosines[static_cast<std::size_t>(i)] = static_cast<float>(std::cos(static_cast<double>(angle)));
      sines[static_cast<std::size_t>(i)] = static_cast<float>(std::sin(static_cast<double>(angle)));
    }
    for (std::int64_t h = 0; h < heads; ++h) {
      float* head = x.data() + (t * heads + h) * head_dim;
      for (std::int64_t i = 0; i < half; ++i) {
        const float a = head[i], b = head[i + half];
        const float c = cosines[static_cast<std::size_t>(i)], s = sines[static_cast<std::size_t>(i)];
        head[i] = a * c - b * s;
        head[i + half] = b * c + a * s;
      }
    }
  }
}

namespace {

// Work items: (head, run of query rows). Runs keep each item's cost similar at long context.
void attention_items(ThreadPool& pool, std::int64_t queries, std::int64_t heads, std::int64_t kv_heads,
                     const AttentionHeadArgs& shape, std::span<const float> q, std::span<const float> keys,
                     std::span<const float> values, std::span<float> out) {
  const Kernels& kernels = active_kernels();
  const std::int64_t group = heads / kv_heads, head_dim = shape.head_dim;
  constexpr std::int64_t kRowsPerItem = 64;
  const std::int64_t runs = (queries + kRowsPerItem - 1) / kRowsPerItem;
  pool.parallel_for(heads * runs, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t item = begin; item < end; ++item) {
      const std::int64_t h = item % heads;
      const std::int64_t first_row = (item / heads) * kRowsPerItem;
      AttentionHeadArgs args = shape;
      args.queries = std::min(kRowsPerItem, queries - first_row);
      args.first_position = shape.first_position + first_row;
      args.q_stride = heads * head_dim;
      args.kv_stride = kv_heads * head_dim;
      args.q = q.data() + first_row * args.q_stride + h * head_dim;
      args.k = keys.data() + (h / group) * head_dim;
      args.v = values.data() + (h / group) * head_dim;
      args.o = out.data() + first_row * args.q_stride + h * head_dim;
      kernels.attention_head(args);
    }
  });
}

}  // namespace

void causal_attention(ThreadPool& pool, std::int64_t queries, std::int64_t first_position, std::int64_t heads,
                      std::int64_t kv_heads, std::int64_t head_dim, float scale, std::span<const float> q,
                      std::span<const float> keys, std::span<const float> values, std::span<float> out) {
  require(heads > 0 && kv_heads > 0 && heads % kv_heads == 0, "causal_attention",
          std::to_string(heads) + " query heads cannot share " + std::to_string(kv_heads) + " key/value heads");
  const std::int64_t cached = first_position + queries;
  require(static_cast<std::int64_t>(q.size()) == queries * heads * head_dim, "causal_attention", "q",
          sizes(q.size(), queries * heads * head_dim));
  require(out.size() == q.size(), "causal_attention", "out", sizes(out.size(), queries * heads * head_dim));
  require(static_cast<std::int64_t>(keys.size()) >= cached * kv_heads * head_dim &&
              static_cast<std::int64_t>(values.size()) >= cached * kv_heads * head_dim,
          "causal_attention", "the cache holds fewer than " + std::to_string(cached) + " positions");
  if (queries == 0) return;
  AttentionHeadArgs shape;
  shape.first_position = first_position;
  shape.head_dim = head_dim;
  shape.scale = scale;
  attention_items(pool, queries, heads, kv_heads, shape, q, keys, values, out);
}

void full_attention(ThreadPool& pool, std::int64_t tokens, std::int64_t heads, std::int64_t head_dim, float scale,
                    std::span<const float> q, std::span<const float> k, std::span<const float> v,
                    std::span<float> out) {
  const std::int64_t size = tokens * heads * head_dim;
  require(heads > 0 && head_dim > 0, "full_attention",
          std::to_string(heads) + " heads of " + std::to_string(head_dim) + " values");
  require(static_cast<std::int64_t>(q.size()) == size, "full_attention", "q", sizes(q.size(), size));
  require(static_cast<std::int64_t>(k.size()) == size, "full_attention", "k", sizes(k.size(), size));
  require(static_cast<std::int64_t>(v.size()) == size, "full_attention", "v", sizes(v.size(), size));
  require(static_cast<std::int64_t>(out.size()) == size, "full_attention", "out", sizes(out.size(), size));
  if (tokens == 0) return;
  AttentionHeadArgs shape;
  shape.causal = false;
  shape.key_count = tokens;
  shape.head_dim = head_dim;
  shape.scale = scale;
  attention_items(pool, tokens, heads, heads, shape, q, k, v, out);
}

}  // namespace linea::cpu
