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
#include <vector>

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

// One head of lightning attention (model-spec §1.4) over a run of positions, continuing from
// `state`:   S_t = λ·S_{t-1} + k_tᵀ v_t,   o_t = q_t S_t,   λ = exp(−slope).
// S is [D][D] (row = key dim, column = value dim), fp32, updated in place. Vectors start at the
// head's offset and are `stride` (o: `o_stride`) floats apart from one position to the next.
struct LightningHeadArgs {
  std::int64_t positions = 0;
  std::int64_t head_dim = 0;    // D
  std::int64_t stride = 0;      // floats between positions in q, k, v
  std::int64_t o_stride = 0;    // floats between positions in o
  std::int64_t block_size = 0;  // B of the block form (ignored by the recurrence)
  float slope = 0.0f;           // s ≥ 0
  const float* q = nullptr;
  const float* k = nullptr;
  const float* v = nullptr;
  float* state = nullptr;  // [D][D]
  float* o = nullptr;
};

// One query head of softmax attention against its key/value head (model-spec §1.5). Causal (a
// decoder): query row i sits at absolute position first_position + i and sees keys 0 … first_position + i.
// Not causal (an encoder such as the vision tower): every row sees keys 0 … key_count − 1.
//   o_i = Σ_j softmax_j(scale · q_i·k_j) v_j        (fp32, online softmax over key tiles: O(n) memory)
struct AttentionHeadArgs {
  std::int64_t queries = 0;         // rows of q / o in this call
  std::int64_t first_position = 0;  // absolute position of query row 0 (causal)
  bool causal = true;
  std::int64_t key_count = 0;       // keys every row sees (not causal)
  std::int64_t head_dim = 0;        // D
  std::int64_t q_stride = 0;        // floats between query rows (and output rows)
  std::int64_t kv_stride = 0;       // floats between cached positions in k and v
  float scale = 1.0f;
  const float* q = nullptr;  // row 0 = position first_position
  const float* k = nullptr;  // row 0 = position 0; at least first_position + queries rows
  const float* v = nullptr;
  float* o = nullptr;
};

// Activations regrouped once per product by all threads together, for a table whose product reads
// them in its own order (the avx512 table's float panels: 14 positions side by side per column).
// Without it each thread would regroup every position for its own rows.
struct ActivationPacking {
  // Floats the regrouped form of `positions` rows of x takes for a product with `weight`; 0 when the
  // product reads x as given (then matmul_rows runs as usual). Null: the table never regroups. The
  // form depends on the weight only through its dtype, layout and cols, so products of one x with
  // weights that agree in those share it.
  std::int64_t (*floats)(const WeightView& weight, std::int64_t positions) = nullptr;
  // Positions per unit of pack: the ranges it is given start at multiples of this.
  std::int64_t grain = 1;
  // Writes positions [begin, end) of x ([positions, weight.cols]) into their place in `packed`.
  void (*pack)(const WeightView& weight, const float* x, std::int64_t positions, std::int64_t begin, std::int64_t end,
               float* packed) = nullptr;
  // matmul_rows reading the regrouped activations: the same bits as matmul_rows on x.
  void (*matmul_rows)(const WeightView& weight, const float* packed, std::int64_t positions, float* y,
                      std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) = nullptr;
};

struct Kernels {
  std::string_view name;

  // y[t·rows_total + o] = Σ_i W[o][i]·x[t·W.cols + i]  for o in [row_begin, row_end), t in [0, positions).
  // `rows_total` is the row stride of y (normally W.rows).
  void (*matmul_rows)(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                      std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end);

  // The layout this table multiplies `dtype` weights fastest in; models regroup their matrices to it
  // at load (packed_weights.h). Every table's matmul_rows reads every layout.
  WeightLayout (*preferred_layout)(DType dtype);

  // How the threaded products (ops.h) regroup activations for matmul_rows, where the table does.
  ActivationPacking activation_packing;

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

  // out = x · rsqrt(mean(x²) + eps) · weight over n values (weight may be null: 1).
  void (*rms_norm)(const float* x, std::int64_t n, const float* weight, float eps, float* out);
  // Element-wise, in place: x·σ(x).
  void (*silu)(float* x, std::int64_t n);

  // Lightning attention, token by token (the definition; decode).
  void (*lightning_recurrent_head)(const LightningHeadArgs& args);
  // Lightning attention in blocks of args.block_size (Lightning Attention-2, model-spec §1.4.4;
  // prefill). Equal to the recurrence up to float rounding, for any length and incoming state.
  void (*lightning_block_head)(const LightningHeadArgs& args);

  void (*attention_head)(const AttentionHeadArgs& args);
};

// Plain loops; the definition of every op.
const Kernels& reference_kernels();

// The table the engine computes with. Chosen on first use: the fastest table this CPU runs
// (reference < avx2 < avx512 < amx), or the one the environment variable LINEA_KERNELS names
// (reference, avx2, avx512 or amx). An unknown name throws std::invalid_argument; a known table this
// CPU cannot run is reported through the log and replaced by the fastest usable one.
const Kernels& active_kernels();

// The table LINEA_KERNELS=`requested` selects: the named one, or the fastest usable one when
// `requested` is empty or names a table this CPU cannot run (then with a warning in the log).
// Throws std::invalid_argument for a name that is no table at all.
const Kernels& kernels_for_request(std::string_view requested);

// The tables this CPU can run, reference first, fastest last. Every SIMD table is a copy of the
// reference with the entries it speeds up replaced, so an entry it does not touch is the reference.
std::vector<const Kernels*> usable_kernels();

// The usable table called `name`; null when the name is unknown or this CPU cannot run that table.
const Kernels* find_kernels(std::string_view name);

// Makes `table` the active one from now on (tests force every path; the engine never calls it).
// Not synchronised with ops running at the same time: call it between forward passes.
void set_active_kernels(const Kernels& table);

}  // namespace linea::cpu
