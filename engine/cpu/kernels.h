// The CPU kernel table: one entry per op. The reference table (reference_kernels.cpp) is plain,
// readable loops and defines what each op computes; faster tables (SIMD per instruction set) go
// beside it and are checked against it, op by op, in tests/engine/cpu.
//
// Kernels work on one thread and on plain f32 rows; the threaded front functions in ops.h split
// the work and call them. Every output element is computed by exactly one call in a fixed order,
// so results do not depend on the thread count or on how many positions are processed at once.
#pragma once

#include "engine/cpu/weight_view.h"

#include <cstdint>
#include <string_view>

namespace linea::cpu {

// One head of the RWKV-7 state update over a run of positions (model-spec §3.2):
//   sa[i]   = Σ_j S[i][j]·a[j]
//   S[i][j] = S[i][j]·w[j] + sa[i]·b[j] + v[i]·k[j]
//   y[i]    = Σ_j S[i][j]·r[j]
// S is [N][N] (row i = value dim, column j = key dim), fp32, updated in place. The per-position
// vectors start at the head's offset and are `stride` floats apart from one position to the next.
struct Wkv7HeadArgs {
  std::int64_t positions = 0;
  std::int64_t head_size = 0;  // N
  std::int64_t stride = 0;     // floats between positions in r, w, k, v, a, b, y
  const float* r = nullptr;    // receptance
  const float* w = nullptr;    // decay multiplier in (0, 1)
  const float* k = nullptr;    // key (after the in-context-rate scaling)
  const float* v = nullptr;    // value
  const float* a = nullptr;    // removal key: -kk
  const float* b = nullptr;    // replacement: kk ⊙ iclr
  float* state = nullptr;      // [N][N]
  float* y = nullptr;          // output
};

struct Kernels {
  std::string_view name;

  // y[t·rows_total + o] = Σ_i W[o][i]·x[t·W.cols + i]  for o in [row_begin, row_end), t in [0, positions).
  // `rows_total` is the row stride of y (normally W.rows).
  void (*matmul_rows)(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                      std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end);

  // out = (x − mean) / sqrt(var + eps) · weight + bias over n values (biased variance).
  // weight / bias may be null (1 / 0).
  void (*layer_norm)(const float* x, std::int64_t n, const float* weight, const float* bias, float eps, float* out);

  // LayerNorm without affine applied per group of n / groups values, then the affine over all n.
  void (*group_norm)(const float* x, std::int64_t n, std::int64_t groups, const float* weight, const float* bias,
                     float eps, float* out);

  void (*wkv7_head)(const Wkv7HeadArgs& args);

  // Element-wise, in place over n values.
  void (*sigmoid)(float* x, std::int64_t n);
  void (*tanh)(float* x, std::int64_t n);
  void (*exp)(float* x, std::int64_t n);
  void (*softplus)(float* x, std::int64_t n);
  void (*relu_squared)(float* x, std::int64_t n);

  // out = x + (prev − x)·mix over n values (token shift with a learned mix).
  void (*token_shift_mix)(const float* x, const float* prev, const float* mix, std::int64_t n, float* out);
};

// Plain loops; the definition of every op.
const Kernels& reference_kernels();

// The table the engine computes with (the fastest one this CPU supports; today: the reference).
const Kernels& active_kernels();

}  // namespace linea::cpu
