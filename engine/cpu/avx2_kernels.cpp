// The avx2 kernel table: AVX2 with FMA and F16C (Haswell, Zen 1 and later).
// Only the functions inside the target region below are compiled for AVX2; every header is
// included before it, so no inline or template code from a header is emitted with the wider ISA
// (the linker could otherwise pick that copy for code that runs on any x86-64).
#include "engine/cpu/aligned_scratch.h"
#include "engine/cpu/simd_kernels.h"

#if defined(__x86_64__)

#include "engine/core/float16.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/q4_k_activations.h"
#include "engine/cpu/q4_k_row_groups.h"
#include "engine/cpu/weight_view.h"
#include "engine/io/k_quant_scales.h"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

namespace linea::cpu {

namespace {

// Per-thread scratch (f32 weight tile, accumulators), kept outside the target region.
float* avx2_scratch(int slot, std::size_t count) {
  thread_local AlignedScratch<kSimdScratchSlots> buffers;
  return buffers.get<float>(slot, count);
}

}  // namespace

}  // namespace linea::cpu

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c,bmi2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c,bmi2")
#endif

namespace linea::cpu {

namespace {

struct Avx2 {
  using F = __m256;
  using I = __m256i;
  static constexpr int kLanes = 8;
  static constexpr int kTileRows = 4;       // 4 × 3 accumulators + 3 x vectors + 1 weight vector
  static constexpr int kTilePositions = 3;  // of the 16 YMM registers

  static __m256i first_lanes(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }

  static F zero() { return _mm256_setzero_ps(); }
  static F set1(float v) { return _mm256_set1_ps(v); }
  static F load(const float* p) { return _mm256_loadu_ps(p); }
  // A load the compiler must keep in a register: folded into each of its users, GCC repeats it once
  // per FMA, and the repeated loads, not the FMAs, then set the pace of the matrix product.
  static F load_to_register(const float* p) {
    F v = _mm256_loadu_ps(p);
    asm("" : "+x"(v));
    return v;
  }
  static F load_first(const float* p, int n) { return _mm256_maskload_ps(p, first_lanes(n)); }
  static void store(float* p, F v) { _mm256_storeu_ps(p, v); }
  static void store_first(float* p, F v, int n) { _mm256_maskstore_ps(p, first_lanes(n), v); }
  static F fma(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
  static F mul(F a, F b) { return _mm256_mul_ps(a, b); }
  static F add(F a, F b) { return _mm256_add_ps(a, b); }
  static F sub(F a, F b) { return _mm256_sub_ps(a, b); }
  static F max(F a, F b) { return _mm256_max_ps(a, b); }
  // Fixed pairwise order: halves, then quarters, ... (the same bits every time).
  static float reduce(F v) {
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_movehdup_ps(q));
    return _mm_cvtss_f32(q);
  }

  // out[r] = reduce(acc + r·8) for the kTileRows = 4 vectors at acc, with reduce's additions (the
  // same bits), done on all 4 at once: each step adds the halves of two vectors in one instruction.
  static void reduce_tile(const float* acc, float* out) {
    const __m256 v0 = load(acc), v1 = load(acc + 8), v2 = load(acc + 16), v3 = load(acc + 24);
    const __m256 s01 = _mm256_add_ps(_mm256_permute2f128_ps(v0, v1, 0x20), _mm256_permute2f128_ps(v0, v1, 0x31));
    const __m256 s23 = _mm256_add_ps(_mm256_permute2f128_ps(v2, v3, 0x20), _mm256_permute2f128_ps(v2, v3, 0x31));
    // Low 128 bits: [u0 0, u0 1, u2 0, u2 1], high: the same for vectors 1 and 3; then [r0, r2, …], [r1, r3, …].
    const __m256 u = _mm256_add_ps(_mm256_shuffle_ps(s01, s23, 0x44), _mm256_shuffle_ps(s01, s23, 0xee));
    const __m256 r = _mm256_add_ps(_mm256_shuffle_ps(u, u, 0x88), _mm256_shuffle_ps(u, u, 0xdd));
    _mm_storeu_ps(out, _mm256_castps256_ps128(_mm256_permutevar8x32_ps(r, _mm256_setr_epi32(0, 4, 1, 5, 0, 0, 0, 0))));
  }

  static F from_f16(const std::byte* p) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  static F from_bf16(const std::byte* p) {
    const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
  }
  static I from_i8(const std::byte* p) {
    return _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
  }
  static I from_u8(const std::byte* p) {
    return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
  }
  static I and_i(I a, I b) { return _mm256_and_si256(a, b); }
  static I or_i(I a, I b) { return _mm256_or_si256(a, b); }
  static I sub_i(I a, I b) { return _mm256_sub_epi32(a, b); }
  static I srl_i(I a, int n) { return _mm256_srl_epi32(a, _mm_cvtsi32_si128(n)); }
  static I sll_i(I a, int n) { return _mm256_sll_epi32(a, _mm_cvtsi32_si128(n)); }
  static I set1_i(int v) { return _mm256_set1_epi32(v); }
  static F to_float(I v) { return _mm256_cvtepi32_ps(v); }

  // For the attention family (simd_attention_kernels_impl.h).
  static constexpr int kGemmRows = 6;     // 6 × 2 accumulators + 2 B vectors + 1 broadcast
  static constexpr int kGemmVectors = 2;  // of the 16 YMM registers
  static F div(F a, F b) { return _mm256_div_ps(a, b); }
  static F min(F a, F b) { return _mm256_min_ps(a, b); }
  static F broadcast(const float* p) { return _mm256_broadcast_ss(p); }
  static I to_int(F v) { return _mm256_cvtps_epi32(v); }  // nearest, ties to even
  static F from_bits(I v) { return _mm256_castsi256_ps(v); }
  static I add_i(I a, I b) { return _mm256_add_epi32(a, b); }
  static I sra_i(I a, int n) { return _mm256_sra_epi32(a, _mm_cvtsi32_si128(n)); }
  // Lanes below n (any int: none when n ≤ 0, all when n ≥ kLanes) from a, the others from b.
  static F select_first(int n, F a, F b) { return _mm256_blendv_ps(b, a, _mm256_castsi256_ps(first_lanes(n))); }
  // Lanes where x > limit from if_greater, the others from otherwise.
  static F select_greater(F x, F limit, F if_greater, F otherwise) {
    return _mm256_blendv_ps(otherwise, if_greater, _mm256_cmp_ps(x, limit, _CMP_GT_OQ));
  }
  using D = __m256d;
  static D zero_d() { return _mm256_setzero_pd(); }
  static D set1_d(double v) { return _mm256_set1_pd(v); }
  static D add_d(D a, D b) { return _mm256_add_pd(a, b); }
  static D sub_d(D a, D b) { return _mm256_sub_pd(a, b); }
  static D widen_low(F v) { return _mm256_cvtps_pd(_mm256_castps256_ps128(v)); }
  static D widen_high(F v) { return _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)); }
  static D fma_d(D a, D b, D c) { return _mm256_fmadd_pd(a, b, c); }
  static double reduce_d(D v) {
    __m128d q = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    q = _mm_add_sd(q, _mm_unpackhi_pd(q, q));
    return _mm_cvtsd_f64(q);
  }

  // Q4_K in 8-row groups has no wider product here (simd_q4_k_dot_impl.h).
  static Q4_KGroupProduct q4_k_group_product() { return nullptr; }

  static float* scratch(int slot, std::size_t count) { return avx2_scratch(slot, count); }
};

#include "engine/cpu/simd_attention_kernels_impl.h"
#include "engine/cpu/simd_integer_dot_impl.h"
#include "engine/cpu/simd_kernels_impl.h"
#include "engine/cpu/simd_q4_k_dot_impl.h"

void avx2_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                      std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  if (weight.layout != WeightLayout::rows)
    grouped_matmul_rows<Avx2>(weight, x, positions, y, rows_total, row_begin, row_end);
  else if (integer_dot_reads(weight.dtype) && integer_dot_enabled())
    integer_matmul_rows<Avx2>(weight, x, positions, y, rows_total, row_begin, row_end);
  else
    simd_matmul_rows<Avx2>(weight, x, positions, y, rows_total, row_begin, row_end);
}

WeightLayout avx2_preferred_layout(DType dtype) {
  return dtype == DType::q4_k ? WeightLayout::q4_k_row_groups : WeightLayout::rows;
}

}  // namespace

}  // namespace linea::cpu

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

namespace linea::cpu {

const Kernels* avx2_kernels() {
  // Built by baseline code from the reference table: entries not replaced here stay the reference.
  static const Kernels table = [] {
    Kernels t = reference_kernels();
    t.name = "avx2";
    t.matmul_rows = avx2_matmul_rows;
    t.preferred_layout = avx2_preferred_layout;
    t.wkv7_head = simd_wkv7_head<Avx2>;
    t.relu_squared = simd_relu_squared<Avx2>;
    t.token_shift_mix = simd_token_shift_mix<Avx2>;
    t.sigmoid = simd_sigmoid<Avx2>;
    t.exp = simd_exp_inplace<Avx2>;
    t.silu = simd_silu<Avx2>;
    t.rms_norm = simd_rms_norm<Avx2>;
    t.layer_norm = simd_layer_norm<Avx2>;
    t.group_norm = simd_group_norm<Avx2>;
    t.lightning_recurrent_head = simd_lightning_recurrent_head<Avx2>;
    t.lightning_block_head = simd_lightning_block_head<Avx2>;
    t.attention_head = simd_attention_head<Avx2>;
    return t;
  }();
  return &table;
}

FmaProbe avx2_fma_probe() { return simd_fma_probe<Avx2>; }

}  // namespace linea::cpu

#else

namespace linea::cpu {
const Kernels* avx2_kernels() { return nullptr; }
FmaProbe avx2_fma_probe() { return nullptr; }
}  // namespace linea::cpu

#endif
