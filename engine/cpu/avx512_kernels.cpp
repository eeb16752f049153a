// The avx512 kernel table: AVX-512 F/BW/VL/DQ with FMA and F16C (Skylake-X, Zen 4 and later).
// Only the functions inside the target region below are compiled for AVX-512; every header is
// included before it, so no inline or template code from a header is emitted with the wider ISA
// (the linker could otherwise pick that copy for code that runs on any x86-64).
#include "engine/cpu/aligned_scratch.h"
#include "engine/cpu/simd_kernels.h"

#if defined(__x86_64__)

#include "engine/core/float16.h"
#include "engine/cpu/cpu_features.h"
#include "engine/cpu/float_row_panels.h"
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
float* avx512_scratch(int slot, std::size_t count) {
  thread_local AlignedScratch<kSimdScratchSlots> buffers;
  return buffers.get<float>(slot, count);
}

}  // namespace

}  // namespace linea::cpu

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,f16c,bmi2"))), \
                             apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,f16c,bmi2")
// GCC 12's own AVX-512 intrinsics start from a deliberately undefined vector (_mm512_undefined_ps),
// which -W(maybe-)uninitialized reports wherever they are inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

namespace linea::cpu {

namespace {

struct Avx512 {
  using F = __m512;
  using I = __m512i;
  static constexpr int kLanes = 16;
  static constexpr int kTileRows = 8;       // 8 × 3 accumulators + 3 x vectors + 1 weight vector
  static constexpr int kTilePositions = 3;  // of the 32 ZMM registers

  static __mmask16 first_lanes(int n) { return static_cast<__mmask16>((1u << n) - 1u); }

  static F zero() { return _mm512_setzero_ps(); }
  static F set1(float v) { return _mm512_set1_ps(v); }
  static F load(const float* p) { return _mm512_loadu_ps(p); }
  // A load the compiler must keep in a register: folded into each of its users, GCC repeats it once
  // per FMA, and the repeated loads, not the FMAs, then set the pace of the matrix product.
  static F load_to_register(const float* p) {
    F v = _mm512_loadu_ps(p);
    asm("" : "+v"(v));
    return v;
  }
  static F load_first(const float* p, int n) { return _mm512_maskz_loadu_ps(first_lanes(n), p); }
  static void store(float* p, F v) { _mm512_storeu_ps(p, v); }
  static void store_first(float* p, F v, int n) { _mm512_mask_storeu_ps(p, first_lanes(n), v); }
  static F fma(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
  static F mul(F a, F b) { return _mm512_mul_ps(a, b); }
  static F add(F a, F b) { return _mm512_add_ps(a, b); }
  static F sub(F a, F b) { return _mm512_sub_ps(a, b); }
  static F max(F a, F b) { return _mm512_max_ps(a, b); }
  // Fixed pairwise order: halves, then quarters, ... (the same bits every time).
  static float reduce(F v) {
    const __m256 h = _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1));
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_movehdup_ps(q));
    return _mm_cvtss_f32(q);
  }

  // out[r] = reduce(acc + r·16) for the kTileRows = 8 vectors at acc, with reduce's additions (the
  // same bits), done on all 8 at once: each step adds the halves of two vectors in one instruction.
  static void reduce_tile(const float* acc, float* out) {
    __m512 s[4];
    for (int i = 0; i < 4; ++i) {  // s[i] = [v(2i) lo + hi | v(2i+1) lo + hi], 8 lanes each
      const __m512 a = load(acc + 32 * i), b = load(acc + 32 * i + 16);
      s[i] = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, 0x44), _mm512_shuffle_f32x4(a, b, 0xee));
    }
    __m512 t[2];
    for (int i = 0; i < 2; ++i)  // t[i] = four vectors' quarters summed, 4 lanes each
      t[i] = _mm512_add_ps(_mm512_shuffle_f32x4(s[2 * i], s[2 * i + 1], 0x88),
                           _mm512_shuffle_f32x4(s[2 * i], s[2 * i + 1], 0xdd));
    // Per 128-bit block b: [u(b)0, u(b)1, u(b+4)0, u(b+4)1], then [r(b), r(b+4), …].
    const __m512 u = _mm512_add_ps(_mm512_shuffle_ps(t[0], t[1], 0x44), _mm512_shuffle_ps(t[0], t[1], 0xee));
    const __m512 r = _mm512_add_ps(_mm512_shuffle_ps(u, u, 0x88), _mm512_shuffle_ps(u, u, 0xdd));
    const __m512 ordered =
        _mm512_permutexvar_ps(_mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 0, 0, 0, 0, 0, 0, 0, 0), r);
    _mm256_storeu_ps(out, _mm512_castps512_ps256(ordered));
  }

  static F from_f16(const std::byte* p) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
  static F from_bf16(const std::byte* p) {
    const __m512i wide = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return _mm512_castsi512_ps(_mm512_slli_epi32(wide, 16));
  }
  static I from_i8(const std::byte* p) {
    return _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  static I from_u8(const std::byte* p) {
    return _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  static I and_i(I a, I b) { return _mm512_and_si512(a, b); }
  static I or_i(I a, I b) { return _mm512_or_si512(a, b); }
  static I sub_i(I a, I b) { return _mm512_sub_epi32(a, b); }
  static I srl_i(I a, int n) { return _mm512_srl_epi32(a, _mm_cvtsi32_si128(n)); }
  static I sll_i(I a, int n) { return _mm512_sll_epi32(a, _mm_cvtsi32_si128(n)); }
  static I set1_i(int v) { return _mm512_set1_epi32(v); }
  static F to_float(I v) { return _mm512_cvtepi32_ps(v); }

  // For the attention family (simd_attention_kernels_impl.h).
  static constexpr int kGemmRows = 6;     // 6 × 4 accumulators + 4 B vectors + 1 broadcast
  static constexpr int kGemmVectors = 4;  // of the 32 ZMM registers
  static F div(F a, F b) { return _mm512_div_ps(a, b); }
  static F min(F a, F b) { return _mm512_min_ps(a, b); }
  static F broadcast(const float* p) { return _mm512_set1_ps(*p); }
  static I to_int(F v) { return _mm512_cvtps_epi32(v); }  // nearest, ties to even
  static F from_bits(I v) { return _mm512_castsi512_ps(v); }
  static I add_i(I a, I b) { return _mm512_add_epi32(a, b); }
  static I sra_i(I a, int n) { return _mm512_sra_epi32(a, _mm_cvtsi32_si128(n)); }
  // Lanes below n (clamped to 0 … kLanes) from a, the others from b.
  static F select_first(int n, F a, F b) { return _mm512_mask_blend_ps(first_lanes(std::clamp(n, 0, kLanes)), b, a); }
  // Lanes where x > limit from if_greater, the others from otherwise.
  static F select_greater(F x, F limit, F if_greater, F otherwise) {
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, limit, _CMP_GT_OQ), otherwise, if_greater);
  }
  using D = __m512d;
  static D zero_d() { return _mm512_setzero_pd(); }
  static D set1_d(double v) { return _mm512_set1_pd(v); }
  static D add_d(D a, D b) { return _mm512_add_pd(a, b); }
  static D sub_d(D a, D b) { return _mm512_sub_pd(a, b); }
  static D widen_low(F v) { return _mm512_cvtps_pd(_mm512_castps512_ps256(v)); }
  static D widen_high(F v) { return _mm512_cvtps_pd(_mm512_extractf32x8_ps(v, 1)); }
  static D fma_d(D a, D b, D c) { return _mm512_fmadd_pd(a, b, c); }
  static double reduce_d(D v) {
    const __m256d h = _mm256_add_pd(_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd(v, 1));
    __m128d q = _mm_add_pd(_mm256_castpd256_pd128(h), _mm256_extractf128_pd(h, 1));
    q = _mm_add_sd(q, _mm_unpackhi_pd(q, q));
    return _mm_cvtsd_f64(q);
  }

  // Q4_K in 8-row groups on 512-bit vectors where the CPU has VNNI (avx512_vnni_q4_k_kernels.cpp).
  static Q4_KGroupProduct q4_k_group_product() {
    static const Q4_KGroupProduct chosen = cpu_features().avx512_vnni ? avx512_vnni_q4_k_group_product() : nullptr;
    return chosen;
  }

  static float* scratch(int slot, std::size_t count) { return avx512_scratch(slot, count); }
};

#include "engine/cpu/simd_attention_kernels_impl.h"
#include "engine/cpu/simd_integer_dot_impl.h"
#include "engine/cpu/simd_kernels_impl.h"
#include "engine/cpu/simd_q4_k_dot_impl.h"

// The 512-bit VNNI product, where the CPU has it (null otherwise); it alone reads Q8_0's 16-row tiles.
MatmulRows avx512_vnni_product() {
  static const MatmulRows chosen = cpu_features().avx512_vnni ? avx512_vnni_integer_matmul_rows() : nullptr;
  return chosen;
}

// The integer product of Q8_0, Q4_0 and Q6_K rows: the 512-bit vpdpbusd product where the CPU has
// VNNI (chosen once, avx512_vnni_kernels.cpp), otherwise vpmaddubsw + vpmaddwd on 256-bit vectors.
// Q4_K takes the two-level product of simd_q4_k_dot_impl.h in either layout (in 8-row groups on
// 512-bit vectors where the CPU has VNNI), so every table gives Q4_K the same bits.
MatmulRows avx512_integer_matmul_rows(DType dtype) {
  if (dtype == DType::q4_k || avx512_vnni_product() == nullptr) return integer_matmul_rows<Avx512>;
  return avx512_vnni_product();
}

void avx512_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                        std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  if (weight.layout == WeightLayout::float_row_panels)
    avx512_float_panel_matmul_rows(weight, x, positions, y, rows_total, row_begin, row_end);
  else if (weight.layout == WeightLayout::q8_0_row_tiles && integer_dot_enabled() && avx512_vnni_product())
    avx512_vnni_product()(weight, x, positions, y, rows_total, row_begin, row_end);
  else if (weight.layout != WeightLayout::rows)
    grouped_matmul_rows<Avx512>(weight, x, positions, y, rows_total, row_begin, row_end);
  else if (integer_dot_reads(weight.dtype) && integer_dot_enabled())
    avx512_integer_matmul_rows(weight.dtype)(weight, x, positions, y, rows_total, row_begin, row_end);
  else
    simd_matmul_rows<Avx512>(weight, x, positions, y, rows_total, row_begin, row_end);
}

WeightLayout avx512_preferred_layout(DType dtype) {
  if (dtype == DType::q4_k) return WeightLayout::q4_k_row_groups;
  // Q8_0 in tiles only where the VNNI product reads them (the 256-bit one reads rows).
  if (dtype == DType::q8_0) return avx512_vnni_product() ? WeightLayout::q8_0_row_tiles : WeightLayout::rows;
  return float_row_panels_hold(dtype) ? WeightLayout::float_row_panels : WeightLayout::rows;
}

}  // namespace

}  // namespace linea::cpu

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif

namespace linea::cpu {

const Kernels* avx512_kernels() {
  // Built by baseline code from the reference table: entries not replaced here stay the reference.
  static const Kernels table = [] {
    Kernels t = reference_kernels();
    t.name = "avx512";
    t.matmul_rows = avx512_matmul_rows;
    t.preferred_layout = avx512_preferred_layout;
    t.activation_packing = {avx512_float_panel_activation_floats, kFloatPanelPackGrain,
                            avx512_pack_float_panel_activations, avx512_float_panel_matmul_packed_rows};
    t.wkv7_head = simd_wkv7_head<Avx512>;
    t.relu_squared = simd_relu_squared<Avx512>;
    t.token_shift_mix = simd_token_shift_mix<Avx512>;
    t.sigmoid = simd_sigmoid<Avx512>;
    t.exp = simd_exp_inplace<Avx512>;
    t.silu = simd_silu<Avx512>;
    t.rms_norm = simd_rms_norm<Avx512>;
    t.layer_norm = simd_layer_norm<Avx512>;
    t.group_norm = simd_group_norm<Avx512>;
    t.lightning_recurrent_head = simd_lightning_recurrent_head<Avx512>;
    t.lightning_block_head = simd_lightning_block_head<Avx512>;
    t.attention_head = simd_attention_head<Avx512>;
    return t;
  }();
  return &table;
}

FmaProbe avx512_fma_probe() { return simd_fma_probe<Avx512>; }

}  // namespace linea::cpu

#else

namespace linea::cpu {
const Kernels* avx512_kernels() { return nullptr; }
FmaProbe avx512_fma_probe() { return nullptr; }
}  // namespace linea::cpu

#endif
