// Activations as Q4_K's integer products take them: quantized per position and 256 values in two
// levels (simd_q4_k_dot_impl.h explains the rounding), one f32 D and an integer sub-scale k_j per
// block of 32, the int8 values kept apart in position order. Shared by the 256-bit products, which
// quantize, and the 512-bit VNNI product over 8-row groups (avx512_vnni_q4_k_kernels.cpp), which
// reads the same values, so both compute the same integers.
#pragma once

#include "engine/cpu/weight_view.h"

#include <cstdint>

namespace linea::cpu {

constexpr int kQ4_KSubBlocks = 8;  // blocks of 32 values per 256

// One position's 256 values. Pairs of int16 fields are read as one int32 (k_{2i} | k_{2i+1} << 16).
struct alignas(16) SuperblockScales {
  std::int16_t sub_scale[kQ4_KSubBlocks];   // k_j
  std::int16_t block_sum[kQ4_KSubBlocks];   // Σq over block j (|·| ≤ 32·127)
  std::int32_t scaled_sum[kQ4_KSubBlocks];  // k_j · block_sum[j]
  std::int32_t pair_scale[kQ4_KSubBlocks];  // k_j in both int16 halves (k_j · 0x10001)
  float d;                                  // D
};

// y[t · rows_total + o] for rows [row_begin, row_end) of a Q4_K matrix in 8-row groups and
// `positions` positions whose 256-value blocks s are q + (t·S + s)·256 and scales[t·S + s] (S blocks
// per row); the same bits as the 256-bit products' for every position count and row range.
using Q4_KGroupProduct = void (*)(const WeightView& weight, const std::int8_t* q, const SuperblockScales* scales,
                                  std::int64_t positions, float* y, std::int64_t rows_total, std::int64_t row_begin,
                                  std::int64_t row_end);

// The 512-bit VNNI product (avx512_vnni_q4_k_kernels.cpp), or null when not built. Callers check
// cpu_features().avx512_vnni.
Q4_KGroupProduct avx512_vnni_q4_k_group_product();

}  // namespace linea::cpu
