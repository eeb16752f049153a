// The CPU ops the layers call: shape checks, then the active kernel table, split over the thread
// pool where the work is large enough to pay for it. Activations are row-major f32: a run of
// `positions` rows of `n` values each.
#pragma once

#include "engine/cpu/kernels.h"
#include "engine/cpu/thread_pool.h"
#include "engine/cpu/weight_view.h"

#include <cstdint>
#include <span>

namespace linea::cpu {

// Running totals for benchmarks (relaxed atomic counters; they never affect a result): bytes of
// weights read by matmul (the whole matrix per call) and embedding_lookup (one row per token), and
// matmul's FLOPs (2 per multiply-add). Differences around a run give its weight traffic and work.
struct OpCounters {
  std::uint64_t weight_bytes = 0;
  std::uint64_t matmul_flops = 0;
};
OpCounters op_counters();

// Calls body(begin, end) on ranges of [0, positions) from the pool's threads: for the element-wise
// work between the products of a layer, which on one thread left the others waiting (about a fifth
// of RWKV-7's prefill time). A few positions (decode) run inline, without waking the pool.
void for_position_ranges(ThreadPool& pool, std::int64_t positions, const ThreadPool::RangeBody& body);

// Rows [begin, end) of a row-major buffer of `width` values per position (a vector or a span).
template <class Buffer>
auto position_rows(Buffer& buffer, std::int64_t width, std::int64_t begin, std::int64_t end) {
  return std::span(buffer).subspan(static_cast<std::size_t>(begin * width),
                                   static_cast<std::size_t>((end - begin) * width));
}

// y [positions, W.rows] = x [positions, W.cols] · Wᵀ   (W used in place, in its own dtype).
void matmul(ThreadPool& pool, const WeightView& weight, std::span<const float> x, std::int64_t positions,
            std::span<float> y);

// Rows [row_begin, row_end) of y [positions, W.rows] = x · Wᵀ, on the calling thread: for a caller
// whose own pool job splits the output rows (each row is computed as matmul computes it).
void matmul_rows(const WeightView& weight, std::span<const float> x, std::int64_t positions, std::span<float> y,
                 std::int64_t row_begin, std::int64_t row_end);

// One product of a batch: y [positions, weight.rows] = x [positions, weight.cols] · weightᵀ.
struct MatmulTask {
  const WeightView* weight = nullptr;
  std::span<const float> x;
  std::span<float> y;
};

// Every task's product, as matmul computes each (the same bits), in ONE job on the pool: the row
// tiles of all tasks are split into one contiguous range of equal work per thread. Waking the
// threads costs tens of microseconds per job on a virtual machine, as much as a small product
// takes, so the layers hand over products that do not depend on one another together.
void matmul_batch(ThreadPool& pool, std::int64_t positions, std::span<const MatmulTask> tasks);

// out [positions, n] = rows of `table` [V, n] for each token. Throws std::out_of_range naming the
// token when one is outside [0, V).
void embedding_lookup(const WeightView& table, std::span<const std::int32_t> tokens, std::span<float> out);

// LayerNorm over each row of n values. weight / bias: n values each, or empty.
void layer_norm(std::span<const float> x, std::int64_t n, std::span<const float> weight, std::span<const float> bias,
                float eps, std::span<float> out);

// GroupNorm over each row of n values split into `groups` groups; affine over all n.
void group_norm(std::span<const float> x, std::int64_t n, std::int64_t groups, std::span<const float> weight,
                std::span<const float> bias, float eps, std::span<float> out);

// out[t] = x[t] + (prev_t − x[t])·mix, where prev_t is x[t−1] and, for t = 0, `carry` (the last row
// of the previous call: the token-shift state of a recurrent layer, which the caller keeps).
void token_shift(std::span<const float> x, std::int64_t n, std::span<const float> mix, std::span<const float> carry,
                 std::span<float> out);

// The RWKV-7 state update over `positions` positions for `heads` heads of `head_size`
// (vectors are [positions, heads·head_size]; state is [heads, N, N]). Heads run in parallel.
struct Wkv7Inputs {
  std::span<const float> r, w, k, v, a, b;
};
void wkv7(ThreadPool& pool, std::int64_t positions, std::int64_t heads, std::int64_t head_size, const Wkv7Inputs& in,
          std::span<float> state, std::span<float> y);
// The same for heads [head_begin, head_end) only, on the calling thread (for a caller that runs more
// per-head work around the update in one pool job).
void wkv7_heads(std::int64_t positions, std::int64_t heads, std::int64_t head_size, const Wkv7Inputs& in,
                std::span<float> state, std::span<float> y, std::int64_t head_begin, std::int64_t head_end);
// How many heads one range of such a job should hold to be worth waking a thread for.
std::int64_t wkv7_heads_per_range(std::int64_t positions, std::int64_t head_size);

// Element-wise, in place.
void sigmoid(std::span<float> x);
void tanh(std::span<float> x);
void exp(std::span<float> x);
void softplus(std::span<float> x);
void relu_squared(std::span<float> x);

}  // namespace linea::cpu
