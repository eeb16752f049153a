// The reference CPU kernels: straightforward loops that define each op. Kept readable on purpose;
// speed comes from faster tables placed beside this one.
#include "engine/cpu/kernels.h"
#include "engine/cpu/reference_attention_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace linea::cpu {

namespace {

// Σ a[i]·b[i] with eight running sums in a fixed order: the result depends only on the inputs, and
// the compiler can keep the sums in vector registers.
float dot(const float* a, const float* b, std::int64_t n) {
  float sum[8] = {};
  std::int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int lane = 0; lane < 8; ++lane) sum[lane] += a[i + lane] * b[i + lane];
  }
  for (; i < n; ++i) sum[i % 8] += a[i] * b[i];
  return ((sum[0] + sum[1]) + (sum[2] + sum[3])) + ((sum[4] + sum[5]) + (sum[6] + sum[7]));
}

WeightLayout preferred_layout(DType) { return WeightLayout::rows; }

// Rows converted to f32 together, then reused for every position: a tile of 8 rows of a 4096-wide
// weight is 128 KiB, small enough to stay in L2 while all positions pass over it.
constexpr std::int64_t kTileRows = 8;

void matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y, std::int64_t rows_total,
                 std::int64_t row_begin, std::int64_t row_end) {
  const std::int64_t cols = weight.cols;
  const bool usable_in_place = weight.dtype == DType::f32 && weight.layout == WeightLayout::rows &&
                               reinterpret_cast<std::uintptr_t>(weight.data) % alignof(float) == 0;
  thread_local std::vector<float> tile;
  if (!usable_in_place) tile.resize(static_cast<std::size_t>(kTileRows * cols));

  for (std::int64_t tile_begin = row_begin; tile_begin < row_end; tile_begin += kTileRows) {
    const std::int64_t tile_rows = std::min(kTileRows, row_end - tile_begin);
    const float* rows;
    if (usable_in_place) {
      rows = reinterpret_cast<const float*>(weight.row(tile_begin));
    } else {
      for (std::int64_t r = 0; r < tile_rows; ++r) weight_row_to_f32(weight, tile_begin + r, tile.data() + r * cols);
      rows = tile.data();
    }
    for (std::int64_t t = 0; t < positions; ++t) {
      const float* xt = x + t * cols;
      float* yt = y + t * rows_total + tile_begin;
      for (std::int64_t r = 0; r < tile_rows; ++r) yt[r] = dot(rows + r * cols, xt, cols);
    }
  }
}

void layer_norm(const float* x, std::int64_t n, const float* weight, const float* bias, float eps, float* out) {
  // Statistics in double: the mean and variance of a few thousand floats, computed exactly enough
  // that the result does not depend on summation order.
  double sum = 0;
  for (std::int64_t i = 0; i < n; ++i) sum += x[i];
  const double mean = sum / static_cast<double>(n);
  double squares = 0;
  for (std::int64_t i = 0; i < n; ++i) squares += (x[i] - mean) * (x[i] - mean);
  const double variance = squares / static_cast<double>(n);
  const auto inv_std = static_cast<float>(1.0 / std::sqrt(variance + eps));
  const auto mean_f = static_cast<float>(mean);
  for (std::int64_t i = 0; i < n; ++i) {
    float value = (x[i] - mean_f) * inv_std;
    if (weight) value *= weight[i];
    if (bias) value += bias[i];
    out[i] = value;
  }
}

void group_norm(const float* x, std::int64_t n, std::int64_t groups, const float* weight, const float* bias, float eps,
                float* out) {
  const std::int64_t group_size = n / groups;
  for (std::int64_t g = 0; g < groups; ++g) {
    const std::int64_t offset = g * group_size;
    layer_norm(x + offset, group_size, weight ? weight + offset : nullptr, bias ? bias + offset : nullptr, eps,
               out + offset);
  }
}

void wkv7_head(const Wkv7HeadArgs& args) {
  const std::int64_t n = args.head_size;
  float* state = args.state;
  for (std::int64_t t = 0; t < args.positions; ++t) {
    const std::int64_t at = t * args.stride;
    const float* r = args.r + at;
    const float* w = args.w + at;
    const float* k = args.k + at;
    const float* v = args.v + at;
    const float* a = args.a + at;
    const float* b = args.b + at;
    float* y = args.y + at;
    for (std::int64_t i = 0; i < n; ++i) {
      float* row = state + i * n;  // S[i][·]
      float sa = 0;
      for (std::int64_t j = 0; j < n; ++j) sa += row[j] * a[j];
      float out = 0;
      for (std::int64_t j = 0; j < n; ++j) {
        row[j] = row[j] * w[j] + sa * b[j] + v[i] * k[j];
        out += row[j] * r[j];
      }
      y[i] = out;
    }
  }
}

void sigmoid(float* x, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) x[i] = 1.0f / (1.0f + std::exp(-x[i]));
}

void tanh_inplace(float* x, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) x[i] = std::tanh(x[i]);
}

void exp_inplace(float* x, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) x[i] = std::exp(x[i]);
}

void softplus(float* x, std::int64_t n) {
  // log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|).
  for (std::int64_t i = 0; i < n; ++i) x[i] = std::max(x[i], 0.0f) + std::log1p(std::exp(-std::abs(x[i])));
}

void relu_squared(float* x, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    const float positive = std::max(x[i], 0.0f);
    x[i] = positive * positive;
  }
}

void token_shift_mix(const float* x, const float* prev, const float* mix, std::int64_t n, float* out) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = x[i] + (prev[i] - x[i]) * mix[i];
}

}  // namespace

const Kernels& reference_kernels() {
  static const Kernels table{
      .name = "reference",
      .matmul_rows = matmul_rows,
      .preferred_layout = preferred_layout,
      .activation_packing = {},  // the reference reads x as given
      .layer_norm = layer_norm,
      .group_norm = group_norm,
      .wkv7_head = wkv7_head,
      .sigmoid = sigmoid,
      .tanh = tanh_inplace,
      .exp = exp_inplace,
      .softplus = softplus,
      .relu_squared = relu_squared,
      .token_shift_mix = token_shift_mix,
      .rms_norm = reference::rms_norm,
      .silu = reference::silu,
      .lightning_recurrent_head = reference::lightning_recurrent_head,
      .lightning_block_head = reference::lightning_block_head,
      .attention_head = reference::attention_head,
  };
  return table;
}

}  // namespace linea::cpu
