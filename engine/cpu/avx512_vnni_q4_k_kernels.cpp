// Q4_K's two-level integer product (simd_q4_k_dot_impl.h) on 512-bit vectors with AVX-512 VNNI, for
// matrices in 8-row groups (q4_k_row_groups.h). Two groups side by side fill the 16 lanes: rows
// 8g … 8g + 7 in lanes 0–7 and the next group's in lanes 8–15, one 32-byte step of each group's
// nibbles per half of a vector, so 4 activations broadcast to every lane meet 4 weights of 16 rows
// in one vpdpbusd and no sum crosses lanes. Kept apart from avx512_kernels.cpp so that only this file
// and avx512_vnni_kernels.cpp may emit VNNI instructions.
//
// Per row and 256-value block it forms exactly the integers of the 256-bit products,
//   T = Σ_j (sc_j·k_j)·S_j with S_j = Σ_{i∈j} nibble_i·q_i   (vpdpbusd over 8 steps, then vpmulld),
//   M = Σ_j (m_j·k_j)·Σ_{i∈j} q_i                          (vpmullw, then vpdpwssd on int16 pairs),
// with the bounds stated there (every partial sum fits int32, so the order of additions does not
// matter), and runs the same float steps, acc = fma(T, d·D, acc) then acc = fnmadd(M, dmin·D, acc),
// block after block. So it gives the bits of the avx2 table for every position count, thread split
// and row range. Decode and prefill are one loop: P positions share each unpacked weight vector.
#include "engine/cpu/aligned_scratch.h"
#include "engine/cpu/q4_k_activations.h"
#include "engine/cpu/q4_k_row_groups.h"
#include "engine/cpu/simd_kernels.h"

#if defined(__x86_64__)

#include "engine/cpu/weight_view.h"

#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace linea::cpu {

namespace {

// The accumulators of a position block (16 floats per position), kept outside the target region.
float* q4_k_group_accumulators(std::size_t count) {
  thread_local AlignedScratch<1> buffers;
  return buffers.get<float>(0, count);
}

// Stands in for the second group of a pair past the matrix or outside the range: d = dmin = 0.
alignas(64) const std::byte kZeroGroupBlock[kQ4_KGroupBlockBytes] = {};

}  // namespace

}  // namespace linea::cpu

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,avx2,fma,f16c"))), \
                             apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,avx2,fma,f16c")
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

namespace linea::cpu {

namespace {

constexpr int kSteps = 8;             // of 4 values per sub-block of 32
constexpr int kPositionsPerPass = 4;  // positions per pass over a block's weights
constexpr int kNibblesAt = 128;       // in a group block, after d, dmin, scales
constexpr int kGroupLines = static_cast<int>(kQ4_KGroupBlockBytes / 64);

// 32 bytes at `offset` of group blocks a (lanes 0–7) and b (lanes 8–15).
[[gnu::always_inline]] inline __m512i join(const std::byte* a, const std::byte* b, int offset) {
  return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + offset))),
                            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + offset)), 1);
}

// A pair block's per-row factors, lane r = row r of the pair.
struct PairFactors {
  __m512i scale[kQ4_KSubBlocks];          // sc_j (int32, < 64)
  __m512i min_pairs[kQ4_KSubBlocks / 2];  // m_{2i} | m_{2i+1} << 16
  __m512 d, dmin;
};

// Column j of a pair's six-bit values (entry 8j + r of each half): lanes 0–7 and 8–15 as int32.
[[gnu::always_inline]] inline __m512i column(const __m512i (&bytes)[2], int j) {
  const __m512i picked = _mm512_permutexvar_epi64(_mm512_setr_epi64(j % 4, 4 + j % 4, 0, 0, 0, 0, 0, 0), bytes[j / 4]);
  return _mm512_cvtepu8_epi32(_mm512_castsi512_si128(picked));
}

[[gnu::always_inline]] inline PairFactors pair_factors(const std::byte* a, const std::byte* b) {
  // Bytes 32–127 of each group block as q4_k_row_groups.h lays them out: entry 8j + r is at byte
  // 8·(j % 4) + r of [sub-blocks 0–3 | 4–7], per 32-byte half (a, then b).
  const __m512i low_scales = join(a, b, 32), low_mins = join(a, b, 64), high = join(a, b, 96);
  const __m512i nibble = _mm512_set1_epi8(15), top = _mm512_set1_epi8(0x30);
  const auto six_bit = [&](__m512i low, __m512i high_at_4) {
    return _mm512_or_si512(_mm512_and_si512(low, nibble), _mm512_and_si512(high_at_4, top));
  };
  const __m512i scales[2] = {six_bit(low_scales, _mm512_slli_epi16(high, 4)),
                             six_bit(_mm512_srli_epi16(low_scales, 4), _mm512_slli_epi16(high, 2))};
  const __m512i mins[2] = {six_bit(low_mins, high),
                           six_bit(_mm512_srli_epi16(low_mins, 4), _mm512_srli_epi16(high, 2))};
  PairFactors f;
#pragma GCC unroll 8
  for (int j = 0; j < kQ4_KSubBlocks; ++j) f.scale[j] = column(scales, j);
#pragma GCC unroll 4
  for (int i = 0; i < kQ4_KSubBlocks / 2; ++i)
    f.min_pairs[i] = _mm512_or_si512(column(mins, 2 * i), _mm512_slli_epi32(column(mins, 2 * i + 1), 16));
  const auto halves = [&](int offset) {
    return _mm512_cvtph_ps(
        _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + offset))),
                                _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + offset)), 1));
  };
  f.d = halves(0);
  f.dmin = halves(16);
  return f;
}

// P positions against one pair block (a, b): acc[p] (16 floats, lane r = row r) takes the block's
// float steps. xq[p] and xs[p] are position p's activations of this block; `ahead` (bytes past a and
// b) says which lines to fetch into L2 meanwhile, 0 none.
template <int P>
[[gnu::always_inline]] inline void pair_block(const std::byte* a, const std::byte* b, const PairFactors& f,
                                              const std::int8_t* const (&xq)[P], const SuperblockScales* const (&xs)[P],
                                              float* const (&acc)[P], std::int64_t ahead) {
  const __m512i nibble = _mm512_set1_epi8(15);
  __m512i t[P];
#pragma GCC unroll 8
  for (int p = 0; p < P; ++p) t[p] = _mm512_setzero_si512();
#pragma GCC unroll 4
  for (int c = 0; c < 4; ++c) {  // sub-blocks 2c (low nibbles) and 2c + 1 (high)
    if (ahead != 0) {
      // A quarter of the lines per c, spread over the block as the 256-bit decode spreads them.
      for (int line = c * kGroupLines / 4; line < (c + 1) * kGroupLines / 4 + (c == 3 ? kGroupLines % 4 : 0); ++line) {
        _mm_prefetch(reinterpret_cast<const char*>(a) + ahead + 64 * line, _MM_HINT_T1);
        _mm_prefetch(reinterpret_cast<const char*>(b) + ahead + 64 * line, _MM_HINT_T1);
      }
    }
    __m512i low[P], high[P];
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p) low[p] = high[p] = _mm512_setzero_si512();
#pragma GCC unroll 8
    for (int k = 0; k < kSteps; ++k) {
      const __m512i w = join(a, b, kNibblesAt + (c * kSteps + k) * 32);
      const __m512i w_low = _mm512_and_si512(w, nibble), w_high = _mm512_and_si512(_mm512_srli_epi16(w, 4), nibble);
#pragma GCC unroll 8
      for (int p = 0; p < P; ++p) {
        std::int32_t x_low, x_high;
        std::memcpy(&x_low, xq[p] + (2 * c) * 32 + 4 * k, 4);
        std::memcpy(&x_high, xq[p] + (2 * c + 1) * 32 + 4 * k, 4);
        low[p] = _mm512_dpbusd_epi32(low[p], w_low, _mm512_set1_epi32(x_low));
        high[p] = _mm512_dpbusd_epi32(high[p], w_high, _mm512_set1_epi32(x_high));
      }
    }
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p) {
      // sc_j·k_j < 2^12 in the low int16 of each lane (the high one is 0·k).
      const __m512i factor_low = _mm512_mullo_epi16(f.scale[2 * c], _mm512_set1_epi32(xs[p]->pair_scale[2 * c]));
      const __m512i factor_high =
          _mm512_mullo_epi16(f.scale[2 * c + 1], _mm512_set1_epi32(xs[p]->pair_scale[2 * c + 1]));
      t[p] = _mm512_add_epi32(t[p], _mm512_mullo_epi32(low[p], factor_low));
      t[p] = _mm512_add_epi32(t[p], _mm512_mullo_epi32(high[p], factor_high));
    }
  }
#pragma GCC unroll 8
  for (int p = 0; p < P; ++p) {
    __m512i m = _mm512_setzero_si512();
#pragma GCC unroll 4
    for (int i = 0; i < kQ4_KSubBlocks / 2; ++i) {
      std::int32_t k_pair, sum_pair;  // k_{2i} | k_{2i+1} << 16, Σq likewise
      std::memcpy(&k_pair, xs[p]->sub_scale + 2 * i, 4);
      std::memcpy(&sum_pair, xs[p]->block_sum + 2 * i, 4);
      m = _mm512_dpwssd_epi32(m, _mm512_mullo_epi16(f.min_pairs[i], _mm512_set1_epi32(k_pair)),
                              _mm512_set1_epi32(sum_pair));
    }
    const __m512 dx = _mm512_set1_ps(xs[p]->d);
    __m512 sum = _mm512_load_ps(acc[p]);
    sum = _mm512_fmadd_ps(_mm512_cvtepi32_ps(t[p]), _mm512_mul_ps(f.d, dx), sum);
    sum = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(m), _mm512_mul_ps(f.dmin, dx), sum);
    _mm512_store_ps(acc[p], sum);
  }
}

// Positions [first, first + P) of a position block against block s of the pair (as, bs), whose
// factors are f; their sums wait in acc between blocks.
template <int P>
void pair_block_positions(const std::byte* as, const std::byte* bs, const PairFactors& f, std::int64_t superblocks,
                          std::int64_t s, const std::int8_t* q, const SuperblockScales* scales, std::int64_t first,
                          float* acc, std::int64_t ahead) {
  const std::int8_t* xq[P];
  const SuperblockScales* xs[P];
  float* sums[P];
#pragma GCC unroll 8
  for (int p = 0; p < P; ++p) {
    xq[p] = q + ((first + p) * superblocks + s) * kQ4_KBlockValues;
    xs[p] = scales + (first + p) * superblocks + s;
    sums[p] = acc + 16 * (first + p);
  }
  pair_block<P>(as, bs, f, xq, xs, sums, ahead);
}

void q4_k_group_rows(const WeightView& weight, const std::int8_t* q, const SuperblockScales* scales,
                     std::int64_t positions, float* y, std::int64_t rows_total, std::int64_t row_begin,
                     std::int64_t row_end) {
  const std::int64_t superblocks = weight.cols / kQ4_KBlockValues;
  const std::int64_t groups = (weight.rows + kQ4_KGroupRows - 1) / kQ4_KGroupRows;
  // Blocks of positions whose activations stay in L2 while every pair of the range passes over them.
  const std::int64_t position_bytes = weight.cols + superblocks * static_cast<std::int64_t>(sizeof(SuperblockScales));
  const std::int64_t block = std::clamp<std::int64_t>(kPositionBlockBytes / position_bytes, 1, positions);
  float* acc = q4_k_group_accumulators(static_cast<std::size_t>(16 * block));
  for (std::int64_t t0 = 0; t0 < positions; t0 += block) {
    const std::int64_t count = std::min(block, positions - t0);
    const std::int8_t* xq = q + t0 * superblocks * kQ4_KBlockValues;
    const SuperblockScales* xs = scales + t0 * superblocks;
    for (std::int64_t g = row_begin / kQ4_KGroupRows; g * kQ4_KGroupRows < row_end; g += 2) {
      const std::int64_t first_row = g * kQ4_KGroupRows;
      const int lo = static_cast<int>(std::max(row_begin, first_row) - first_row);
      const int hi = static_cast<int>(std::min(row_end, first_row + 2 * kQ4_KGroupRows) - first_row);
      const std::byte* a = weight.data + g * superblocks * kQ4_KGroupBlockBytes;
      // The second group only where the range has rows in it; otherwise zero blocks, read in place.
      const bool second = hi > kQ4_KGroupRows && g + 1 < groups;
      const std::byte* b = second ? a + superblocks * kQ4_KGroupBlockBytes : kZeroGroupBlock;
      const std::int64_t b_stride = second ? kQ4_KGroupBlockBytes : 0;
      for (std::int64_t t = 0; t < count; ++t) _mm512_store_ps(acc + 16 * t, _mm512_setzero_ps());
      // The weights come from memory on the first pass over a block (later passes find them in L1):
      // that pass fetches the same lines of the next pair into L2, one pair ahead in both streams.
      // With 2 threads from memory (bench_matmul_kernels) that read 0.87–0.91 of the triad; 4 KiB
      // ahead in each stream 0.78, two pairs ahead 0.86, no prefetch 0.71.
      const std::int64_t ahead = second ? 2 * superblocks * kQ4_KGroupBlockBytes : 0;
      for (std::int64_t s = 0; s < superblocks; ++s) {
        const std::byte* as = a + s * kQ4_KGroupBlockBytes;
        const std::byte* bs = b + s * b_stride;
        const PairFactors f = pair_factors(as, bs);
        std::int64_t t = 0;
        for (; t + kPositionsPerPass <= count; t += kPositionsPerPass)
          pair_block_positions<kPositionsPerPass>(as, bs, f, superblocks, s, xq, xs, t, acc, t == 0 ? ahead : 0);
        for (; t < count; ++t) pair_block_positions<1>(as, bs, f, superblocks, s, xq, xs, t, acc, t == 0 ? ahead : 0);
      }
      const auto lanes = static_cast<__mmask16>(((1u << hi) - 1u) & ~((1u << lo) - 1u));
      for (std::int64_t p = 0; p < count; ++p)
        _mm512_mask_storeu_ps(y + (t0 + p) * rows_total + first_row, lanes, _mm512_load_ps(acc + 16 * p));
    }
  }
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
Q4_KGroupProduct avx512_vnni_q4_k_group_product() { return q4_k_group_rows; }
}  // namespace linea::cpu

#else

namespace linea::cpu {
Q4_KGroupProduct avx512_vnni_q4_k_group_product() { return nullptr; }
}  // namespace linea::cpu

#endif
