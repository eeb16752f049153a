// Threaded front functions of the attention family (lightning attention, softmax attention,
// rotary embedding, RMSNorm, SiLU): shape checks, then the active kernel table, heads split over
// the thread pool. Activations are row-major f32, `positions` rows at a time.
#pragma once

#include "engine/cpu/thread_pool.h"

#include <cstdint>
#include <span>

namespace linea::cpu {

// RMSNorm over each row of n values; weight: n values or empty.
void rms_norm(std::span<const float> x, std::int64_t n, std::span<const float> weight, float eps,
              std::span<float> out);

// x ← x·σ(x), in place.
void silu(std::span<float> x);

// Which form of lightning attention runs. `automatic` picks the block form for runs of several
// positions (prefill) and the recurrence for one (decode); the answers agree to float rounding.
enum class LightningForm { automatic, block, recurrent };

// Lightning attention over `positions` positions for `heads` heads of `head_dim`, MiniMax layout:
// `qkv` is [positions, heads, 3·head_dim] (per head: q | k | v, already activated), `out` is
// [positions, heads·head_dim], `state` is [heads, D, D] (key rows, value columns), `slopes` has
// one decay rate per head. Heads run in parallel.
void lightning_attention(ThreadPool& pool, std::int64_t positions, std::int64_t heads, std::int64_t head_dim,
                         std::span<const float> qkv, std::span<const float> slopes, std::int64_t block_size,
                         std::span<float> state, std::span<float> out, LightningForm form = LightningForm::automatic);

// Rotary position embedding, NeoX style (rotate-half), on the first `rotary_dim` values of every
// head: x is [positions, heads, head_dim]; row t sits at absolute position first_position + t.
// `inverse_frequencies` has rotary_dim / 2 values. Angles are formed in fp32 as the references do.
void rotary_embedding(std::span<float> x, std::int64_t positions, std::int64_t heads, std::int64_t head_dim,
                      std::int64_t rotary_dim, std::int64_t first_position, std::span<const float> inverse_frequencies);

// Causal grouped-query softmax attention of `queries` new positions against a cache that holds
// first_position + queries positions (the new ones included). q / out: [queries, heads, D];
// keys / values: [cached, kv_heads, D]; query head h reads kv head h / (heads / kv_heads).
void causal_attention(ThreadPool& pool, std::int64_t queries, std::int64_t first_position, std::int64_t heads,
                      std::int64_t kv_heads, std::int64_t head_dim, float scale, std::span<const float> q,
                      std::span<const float> keys, std::span<const float> values, std::span<float> out);

// Softmax attention of an encoder (no mask): each of `tokens` rows sees every row, per head.
// q / k / v / out: [tokens, heads, D].
void full_attention(ThreadPool& pool, std::int64_t tokens, std::int64_t heads, std::int64_t head_dim, float scale,
                    std::span<const float> q, std::span<const float> k, std::span<const float> v,
                    std::span<float> out);

}  // namespace linea::cpu
