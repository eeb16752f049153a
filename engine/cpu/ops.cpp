#include "engine/cpu/ops.h"

#include "engine/cpu/op_checks.h"
#include "engine/cpu/scratch_floats.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace linea::cpu {

namespace {

using checks::require;
using checks::sizes;

// A range of work should be worth waking a thread for: about this many multiply-adds.
constexpr std::int64_t kMinWorkPerRange = 32 * 1024;

// Matmul ranges start on multiples of this many rows (the SIMD kernels' row tiles).
constexpr std::int64_t kRowAlignment = 8;

std::atomic<std::uint64_t> weight_bytes_read{0};
std::atomic<std::uint64_t> matmul_flops_done{0};

// Checks a product's x and y against its weight and counts `rows` of it in the op counters.
void check_and_count_product(const WeightView& weight, std::span<const float> x, std::int64_t positions,
                             std::span<const float> y, std::int64_t rows) {
  require(static_cast<std::int64_t>(x.size()) == positions * weight.cols, "matmul", "x",
          sizes(x.size(), positions * weight.cols));
  require(static_cast<std::int64_t>(y.size()) == positions * weight.rows, "matmul", "y",
          sizes(y.size(), positions * weight.rows));
  weight_bytes_read.fetch_add(static_cast<std::uint64_t>(rows) * weight.row_bytes(), std::memory_order_relaxed);
  matmul_flops_done.fetch_add(2 * static_cast<std::uint64_t>(rows * weight.cols * positions),
                              std::memory_order_relaxed);
}

// The activations of the tasks whose product regroups them (kernels.h, ActivationPacking), regrouped
// in one pool job on position ranges, each starting on a cache line; null for the other tasks.
class PackedActivations {
 public:
  PackedActivations(ThreadPool& pool, const ActivationPacking& packing, std::int64_t positions,
                    std::span<const MatmulTask> tasks)
      : at_(tasks.size(), nullptr) {
    if (packing.floats == nullptr) return;
    buffers_.reserve(tasks.size());      // at_ points into them
    std::vector<std::size_t> regrouped;  // indices of the tasks that regroup, one per distinct input
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      const std::int64_t floats = packing.floats(*tasks[t].weight, positions);
      if (floats == 0) continue;
      // A task with the same input as an earlier one (two projections of one x) shares its form.
      const auto same = std::ranges::find_if(
          regrouped, [&](std::size_t earlier) { return same_regrouped_input(tasks[earlier], tasks[t]); });
      if (same != regrouped.end()) {
        at_[t] = at_[*same];
        continue;
      }
      buffers_.emplace_back(static_cast<std::size_t>(floats) + kLineFloats - 1);
      const auto address = reinterpret_cast<std::uintptr_t>(buffers_.back().data());
      at_[t] = buffers_.back().data() + (kLineFloats - address / sizeof(float) % kLineFloats) % kLineFloats;
      regrouped.push_back(t);
    }
    if (regrouped.empty()) return;
    const std::int64_t units = (positions + packing.grain - 1) / packing.grain;  // per task
    pool.parallel_for(units * static_cast<std::int64_t>(regrouped.size()), 1,
                      [&](std::int64_t begin, std::int64_t end) {
                        for (std::int64_t unit = begin; unit < end;) {
                          // The run of this range's units that falls in one task.
                          const std::int64_t run_end = std::min(end, (unit / units + 1) * units);
                          const std::size_t t = regrouped[static_cast<std::size_t>(unit / units)];
                          packing.pack(*tasks[t].weight, tasks[t].x.data(), positions, unit % units * packing.grain,
                                       std::min(positions, ((run_end - 1) % units + 1) * packing.grain), at_[t]);
                          unit = run_end;
                        }
                      });
  }

  // Task t's regrouped activations, or null.
  const float* operator[](std::size_t t) const { return at_[t]; }

 private:
  // Whether two tasks regroup the same activations into the same form (kernels.h: the form depends on
  // the weight only through its dtype, layout and columns).
  static bool same_regrouped_input(const MatmulTask& a, const MatmulTask& b) {
    return a.x.data() == b.x.data() && a.x.size() == b.x.size() && a.weight->dtype == b.weight->dtype &&
           a.weight->layout == b.weight->layout && a.weight->cols == b.weight->cols;
  }

  static constexpr std::size_t kLineFloats = 64 / sizeof(float);
  std::vector<ScratchFloats> buffers_;
  std::vector<float*> at_;
};

}  // namespace

OpCounters op_counters() {
  return {weight_bytes_read.load(std::memory_order_relaxed), matmul_flops_done.load(std::memory_order_relaxed)};
}

void matmul(ThreadPool& pool, const WeightView& weight, std::span<const float> x, std::int64_t positions,
            std::span<float> y) {
  const MatmulTask task{&weight, x, y};
  matmul_batch(pool, positions, std::span(&task, 1));
}

void matmul_rows(const WeightView& weight, std::span<const float> x, std::int64_t positions, std::span<float> y,
                 std::int64_t row_begin, std::int64_t row_end) {
  if (row_begin < 0 || row_begin > row_end || row_end > weight.rows)
    throw std::invalid_argument("matmul: rows [" + std::to_string(row_begin) + ", " + std::to_string(row_end) +
                                ") are not within the weight's " + std::to_string(weight.rows));
  check_and_count_product(weight, x, positions, y, row_end - row_begin);
  if (row_begin < row_end)
    active_kernels().matmul_rows(weight, x.data(), positions, y.data(), weight.rows, row_begin, row_end);
}

void matmul_batch(ThreadPool& pool, std::int64_t positions, std::span<const MatmulTask> tasks) {
  // Work of each task's row tiles (multiply-adds per tile), and where each task starts in the total.
  std::vector<std::int64_t> starts;
  starts.reserve(tasks.size());
  std::int64_t total = 0;
  for (const MatmulTask& task : tasks) {
    const WeightView& weight = *task.weight;
    check_and_count_product(weight, task.x, positions, task.y, weight.rows);
    starts.push_back(total);
    total += (weight.rows + kRowAlignment - 1) / kRowAlignment * kRowAlignment * weight.cols * positions;
  }
  if (total == 0) return;
  const Kernels& kernels = active_kernels();
  const PackedActivations packed(pool, kernels.activation_packing, positions, tasks);
  // A static split: part p takes the row tiles whose work starts in [p·total/parts, (p+1)·total/parts),
  // a contiguous run of tiles in each task (each output is computed the same way in any range, so
  // the split never changes a result). A thread that wakes late finds its part taken by the caller
  // instead of the caller waiting for it.
  const std::int64_t parts = std::clamp<std::int64_t>(total / kMinWorkPerRange, 1, pool.thread_count());
  pool.parallel_for(parts, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t part = begin; part < end; ++part) {
      const std::int64_t low = total * part / parts, high = total * (part + 1) / parts;
      for (std::size_t t = 0; t < tasks.size(); ++t) {
        const WeightView& weight = *tasks[t].weight;
        const std::int64_t tile_work = kRowAlignment * weight.cols * positions;
        // First tile whose start is at or past `bound`.
        const auto first_tile_from = [&](std::int64_t bound) {
          return std::max<std::int64_t>(0, (bound - starts[t] + tile_work - 1) / tile_work);
        };
        const std::int64_t row_begin = std::min(weight.rows, first_tile_from(low) * kRowAlignment);
        const std::int64_t row_end = std::min(weight.rows, first_tile_from(high) * kRowAlignment);
        if (row_begin >= row_end) continue;
        if (packed[t] != nullptr)
          kernels.activation_packing.matmul_rows(weight, packed[t], positions, tasks[t].y.data(), weight.rows,
                                                 row_begin, row_end);
        else
          kernels.matmul_rows(weight, tasks[t].x.data(), positions, tasks[t].y.data(), weight.rows, row_begin, row_end);
      }
    }
  });
}

void embedding_lookup(const WeightView& table, std::span<const std::int32_t> tokens, std::span<float> out) {
  const std::int64_t n = table.cols;
  require(static_cast<std::int64_t>(out.size()) == static_cast<std::int64_t>(tokens.size()) * n, "embedding_lookup",
          "out", sizes(out.size(), static_cast<std::int64_t>(tokens.size()) * n));
  weight_bytes_read.fetch_add(tokens.size() * table.row_bytes(), std::memory_order_relaxed);
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    const std::int32_t token = tokens[t];
    if (token < 0 || token >= table.rows)
      throw std::out_of_range("token " + std::to_string(token) + " at position " + std::to_string(t) +
                              " is outside the vocabulary [0, " + std::to_string(table.rows) + ")");
    weight_row_to_f32(table, token, out.data() + static_cast<std::int64_t>(t) * n);
  }
}

void layer_norm(std::span<const float> x, std::int64_t n, std::span<const float> weight, std::span<const float> bias,
                float eps, std::span<float> out) {
  require(n > 0 && x.size() % static_cast<std::size_t>(n) == 0 && out.size() == x.size(), "layer_norm", "shape");
  require(weight.empty() || static_cast<std::int64_t>(weight.size()) == n, "layer_norm", "weight",
          sizes(weight.size(), n));
  require(bias.empty() || static_cast<std::int64_t>(bias.size()) == n, "layer_norm", "bias", sizes(bias.size(), n));
  const Kernels& kernels = active_kernels();
  const std::int64_t rows = static_cast<std::int64_t>(x.size()) / n;
  for (std::int64_t t = 0; t < rows; ++t)
    kernels.layer_norm(x.data() + t * n, n, weight.empty() ? nullptr : weight.data(),
                       bias.empty() ? nullptr : bias.data(), eps, out.data() + t * n);
}

void group_norm(std::span<const float> x, std::int64_t n, std::int64_t groups, std::span<const float> weight,
                std::span<const float> bias, float eps, std::span<float> out) {
  require(n > 0 && groups > 0 && n % groups == 0, "group_norm", "n must split into groups");
  require(x.size() % static_cast<std::size_t>(n) == 0 && out.size() == x.size(), "group_norm", "shape");
  require(weight.empty() || static_cast<std::int64_t>(weight.size()) == n, "group_norm", "weight",
          sizes(weight.size(), n));
  require(bias.empty() || static_cast<std::int64_t>(bias.size()) == n, "group_norm", "bias", sizes(bias.size(), n));
  const Kernels& kernels = active_kernels();
  const std::int64_t rows = static_cast<std::int64_t>(x.size()) / n;
  for (std::int64_t t = 0; t < rows; ++t)
    kernels.group_norm(x.data() + t * n, n, groups, weight.empty() ? nullptr : weight.data(),
                       bias.empty() ? nullptr : bias.data(), eps, out.data() + t * n);
}

void for_position_ranges(ThreadPool& pool, std::int64_t positions, const ThreadPool::RangeBody& body) {
  constexpr std::int64_t kPositionsPerRange = 8;
  pool.parallel_for(positions, kPositionsPerRange, body);
}

void token_shift(std::span<const float> x, std::int64_t n, std::span<const float> mix, std::span<const float> carry,
                 std::span<float> out) {
  require(n > 0 && x.size() % static_cast<std::size_t>(n) == 0 && out.size() == x.size(), "token_shift", "shape");
  require(static_cast<std::int64_t>(mix.size()) == n, "token_shift", "mix", sizes(mix.size(), n));
  require(static_cast<std::int64_t>(carry.size()) == n, "token_shift", "carry", sizes(carry.size(), n));
  const Kernels& kernels = active_kernels();
  const std::int64_t rows = static_cast<std::int64_t>(x.size()) / n;
  for (std::int64_t t = 0; t < rows; ++t) {
    const float* prev = t == 0 ? carry.data() : x.data() + (t - 1) * n;
    kernels.token_shift_mix(x.data() + t * n, prev, mix.data(), n, out.data() + t * n);
  }
}

void wkv7_heads(std::int64_t positions, std::int64_t heads, std::int64_t head_size, const Wkv7Inputs& in,
                std::span<float> state, std::span<float> y, std::int64_t head_begin, std::int64_t head_end) {
  const std::int64_t width = heads * head_size;
  const auto vector_size = static_cast<std::size_t>(positions * width);
  for (std::span<const float> vector : {in.r, in.w, in.k, in.v, in.a, in.b})
    require(vector.size() == vector_size, "wkv7", "input", sizes(vector.size(), positions * width));
  require(y.size() == vector_size, "wkv7", "y", sizes(y.size(), positions * width));
  require(static_cast<std::int64_t>(state.size()) == heads * head_size * head_size, "wkv7", "state",
          sizes(state.size(), heads * head_size * head_size));
  if (head_begin < 0 || head_begin > head_end || head_end > heads)
    throw std::invalid_argument("wkv7: heads [" + std::to_string(head_begin) + ", " + std::to_string(head_end) +
                                ") are not within the " + std::to_string(heads) + " heads");
  const Kernels& kernels = active_kernels();
  for (std::int64_t h = head_begin; h < head_end; ++h) {
    const std::int64_t offset = h * head_size;
    kernels.wkv7_head(Wkv7HeadArgs{
        .positions = positions,
        .head_size = head_size,
        .stride = width,
        .r = in.r.data() + offset,
        .w = in.w.data() + offset,
        .k = in.k.data() + offset,
        .v = in.v.data() + offset,
        .a = in.a.data() + offset,
        .b = in.b.data() + offset,
        .state = state.data() + h * head_size * head_size,
        .y = y.data() + offset,
    });
  }
}

std::int64_t wkv7_heads_per_range(std::int64_t positions, std::int64_t head_size) {
  // One head is N·N·4 multiply-adds per position; split heads only when a run is long enough.
  const std::int64_t work_per_head = std::max<std::int64_t>(1, positions * head_size * head_size * 4);
  return std::max<std::int64_t>(1, kMinWorkPerRange / work_per_head);
}

void wkv7(ThreadPool& pool, std::int64_t positions, std::int64_t heads, std::int64_t head_size, const Wkv7Inputs& in,
          std::span<float> state, std::span<float> y) {
  pool.parallel_for(heads, wkv7_heads_per_range(positions, head_size), [&](std::int64_t begin, std::int64_t end) {
    wkv7_heads(positions, heads, head_size, in, state, y, begin, end);
  });
}

void sigmoid(std::span<float> x) { active_kernels().sigmoid(x.data(), static_cast<std::int64_t>(x.size())); }
void tanh(std::span<float> x) { active_kernels().tanh(x.data(), static_cast<std::int64_t>(x.size())); }
void exp(std::span<float> x) { active_kernels().exp(x.data(), static_cast<std::int64_t>(x.size())); }
void softplus(std::span<float> x) { active_kernels().softplus(x.data(), static_cast<std::int64_t>(x.size())); }
void relu_squared(std::span<float> x) { active_kernels().relu_squared(x.data(), static_cast<std::int64_t>(x.size())); }

}  // namespace linea::cpu
