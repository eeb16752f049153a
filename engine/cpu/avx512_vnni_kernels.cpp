// The integer matrix product for Q8_0, Q4_0 and Q6_K weights with AVX-512 VNNI, on 512-bit vectors.
// Kept apart from avx512_kernels.cpp so that only this file (and avx512_vnni_q4_k_kernels.cpp, which
// multiplies Q4_K in two-level rounding like the 256-bit products) may emit VNNI instructions: the
// avx512 table runs on AVX-512 CPUs without VNNI too, and calls this only where cpu_features() has it
// (otherwise the 256-bit simd_integer_dot_impl.h). Every header is included before the target region
// (see avx512_kernels.cpp).
//
// Activations are quantized per position in blocks of 32 exactly as in simd_integer_dot_impl.h
// (d = max|x|/127, q = round(x/d)), so the product is Σ_i W[o][i]·x̂[i] with the same x̂, laid out
// one 64-value chunk (two blocks) per vector:
//   q      64 signed bytes,
//   scale  16 floats: lanes 0–7 the first block's d, lanes 8–15 the second's (0 past the row),
//   bias   16 int32: −128 × the sum of the 4 bytes that lane multiplies,
// padded with zeros to whole chunks. vpdpbusd multiplies unsigned bytes by signed ones, so decode
// puts every weight type into unsigned bytes u = q_w + offset (Q8_0: the sign bit flipped, offset
// 128; Q4_0: nibbles, 8; Q6_K: 6-bit values, 32) and starts the accumulator at −offset × Σ q_x per
// lane (bias, shifted for the smaller offsets); prefill instead makes the activations unsigned and
// subtracts 128 × Σ q_w. Either way Σ q_w·q_x is exact in int32.
//
// The product is block-exact: each scale group's integer sum S (32 values; Q6_K: 16) is formed
// exactly and enters its (row, position) as t = float(S)·d_x, then acc = fma(t, w_scale, acc)
// (w_scale: d_w, or d·scale of the Q6_K sub-block), groups in order. Decode (block_exact_rows with
// fewer than 8 positions) puts 16 rows in the lanes; prefill puts 16 positions in the lanes (its
// products measured at 0.8–0.95 of the f32 FMA peak here, below). Both run the same scalar steps for
// every (row, position), and each position's activations are quantized alone, so tiles, thread splits
// and the number of positions per call never change a result (decode and prefill agree bit for bit).
//
// Q8_0 matrices come in 16-row tiles (q8_0_row_tiles.h) where this product is the one that runs: the
// same steps, so the same bits as from rows, but decode reads a tile's block scales as one line
// instead of gathering them from 16 rows, and streams each tile from start to end.
#include "engine/cpu/aligned_scratch.h"
#include "engine/cpu/simd_kernels.h"

#if defined(__x86_64__)

#include "engine/core/dtype.h"
#include "engine/core/float16.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/q8_0_row_tiles.h"
#include "engine/cpu/weight_view.h"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace linea::cpu {

namespace {

// Thread-local buffers, kept outside the target region: slots 0–2 the quantized activations, 3 and
// 4 their transposed form for prefill (bytes; scales and block sums), 5 the signed row tile.
template <class T>
T* vnni_buffer(int slot, std::size_t count) {
  thread_local AlignedScratch<6> buffers;
  return buffers.get<T>(slot, count);
}

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

constexpr std::int64_t kChunk = 64;            // values per vector
constexpr std::int64_t kPrefetchBytes = 4096;  // how far ahead a row is fetched while prefill decodes it

// One call's activations in the chunk layout above; position t's chunk c is at t·chunks + c.
struct Activations {
  const std::int8_t* q;
  const float* scale;
  const std::int32_t* bias;
  std::int64_t chunks;  // per position
  std::int64_t blocks;  // of 32, per position
};

inline float half_at(const std::byte* p) {
  std::uint16_t bits;
  std::memcpy(&bits, p, 2);
  return _cvtsh_ss(bits);
}

// Quantizes `positions` rows of `cols` values (cols a multiple of 32) into the chunk layout.
Activations quantize_activations(const float* x, std::int64_t positions, std::int64_t cols) {
  const std::int64_t blocks = cols / 32, chunks = (blocks + 1) / 2;
  const auto total_chunks = static_cast<std::size_t>(positions * chunks);
  auto* q = vnni_buffer<std::int8_t>(0, total_chunks * kChunk);
  auto* scale = vnni_buffer<float>(1, total_chunks * 16);
  auto* bias = vnni_buffer<std::int32_t>(2, total_chunks * 16);
  const __m512 sign_mask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7fffffff));
  const __m512i ones = _mm512_set1_epi8(1);
  for (std::int64_t t = 0; t < positions; ++t) {
    for (std::int64_t c = 0; c < chunks; ++c) {
      const std::int64_t chunk = t * chunks + c;
      __m128i bytes[4] = {_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128()};
      float d[2] = {0.0f, 0.0f};
      for (int half = 0; half < 2 && 2 * c + half < blocks; ++half) {
        const std::int64_t block = 2 * c + half;
        const float* in = x + t * cols + block * 32;
        const __m512 v0 = _mm512_loadu_ps(in), v1 = _mm512_loadu_ps(in + 16);
        const float block_max =
            _mm512_reduce_max_ps(_mm512_max_ps(_mm512_and_ps(v0, sign_mask), _mm512_and_ps(v1, sign_mask)));
        const __m512 inverse = _mm512_set1_ps(block_max > 0.0f ? 127.0f / block_max : 0.0f);
        const __m512i w0 = _mm512_cvtps_epi32(_mm512_mul_ps(v0, inverse));  // nearest, |·| ≤ 127
        const __m512i w1 = _mm512_cvtps_epi32(_mm512_mul_ps(v1, inverse));
        bytes[2 * half] = _mm512_cvtsepi32_epi8(w0);
        bytes[2 * half + 1] = _mm512_cvtsepi32_epi8(w1);
        d[half] = block_max / 127.0f;
      }
      const __m512i packed = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set_m128i(bytes[1], bytes[0])),
                                                _mm256_set_m128i(bytes[3], bytes[2]), 1);
      _mm512_storeu_si512(q + chunk * kChunk, packed);
      _mm512_storeu_ps(scale + chunk * 16,
                       _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_set1_ps(d[0])), _mm256_set1_ps(d[1]), 1));
      // −128 × (sum of the lane's 4 bytes), from vpdpbusd against ones.
      const __m512i lane_sums = _mm512_dpbusd_epi32(_mm512_setzero_si512(), ones, packed);
      _mm512_storeu_si512(bias + chunk * 16, _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_slli_epi32(lane_sums, 7)));
    }
  }
  return {q, scale, bias, chunks, blocks};
}

// Weight decoders. A row is read in blocks of kChunksPerBlock chunks: load_block once per block
// (scales shared by its chunks), then chunk() for each chunk: its 64 weights as unsigned bytes u
// and the per-lane weight scales ws; kOffset is what u adds to the weight value (see above).
// Scales are spread over lanes with one permute of a vector that holds them all, not with a
// broadcast per scalar: permutes and broadcasts share one execution port.

// Q8_0 and Q4_0: a chunk is two whole blocks, each with its own scale; nothing is shared per block.
struct BlockPairWeights {
  static constexpr int kGroups = 1;  // scale groups per 32 values
  static constexpr std::int64_t kChunksPerBlock = 1;
  struct Block {};
  static Block load_block(const std::byte*, std::int64_t) { return {}; }
};

// The fp16 scales of two consecutive blocks of `block_bytes` bytes (each block starting with its
// scale) at b, as floats in lanes 0–7 and 8–15; lanes 8–15 are zero when `pair` is false.
inline __m512 pair_scales(const std::byte* b, int block_bytes, bool pair) {
  const int second = block_bytes / 2;  // the word holding the second scale
  const __m512i words = _mm512_maskz_loadu_epi16(pair ? (__mmask32{1} << (second + 1)) - 1 : 1, b);
  // Words 0–7 take word 0 (the first scale), words 8–15 the second.
  const __m512i spread = _mm512_permutexvar_epi16(_mm512_maskz_set1_epi16(0xff00, static_cast<short>(second)), words);
  return _mm512_maskz_cvtph_ps(pair ? 0xffff : 0x00ff, _mm512_castsi512_si256(spread));
}

// Q8_0 {half d; int8 qs[32]}: a chunk is two blocks.
struct Q8_0Weights : BlockPairWeights {
  static constexpr int kOffset = 128;
  static constexpr int kBlockBytes = 34;
  static constexpr std::int64_t kRowBytesPerChunk = 68;
  static void chunk(const Block&, const std::byte* row, std::int64_t c, std::int64_t blocks, __m512i& u, __m512& ws) {
    const std::byte* b = row + 68 * c;
    const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
    const bool pair = 2 * c + 1 < blocks;
    const __m256i first = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 2));
    const __m256i second = _mm256_maskz_loadu_epi8(pair ? ~0u : 0u, b + 36);
    u = _mm512_xor_si512(_mm512_inserti64x4(_mm512_castsi256_si512(first), second, 1), flip);
    ws = pair_scales(b, 34, pair);
  }
};

// Q4_0 {half d; uint8 qs[16]}: a chunk is two blocks; low nibbles are a block's values 0…15, high 16…31.
struct Q4_0Weights : BlockPairWeights {
  static constexpr int kOffset = 8;
  static constexpr int kBlockBytes = 18;
  static constexpr std::int64_t kRowBytesPerChunk = 36;
  static void chunk(const Block&, const std::byte* row, std::int64_t c, std::int64_t blocks, __m512i& u, __m512& ws) {
    const std::byte* b = row + 36 * c;
    const bool pair = 2 * c + 1 < blocks;
    // 128-bit lanes: first block, first block, second block, second block; then lanes 1 and 3 take
    // the high nibbles.
    __m512i both = _mm512_broadcast_i32x4(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 2)));
    both = _mm512_mask_broadcast_i32x4(both, pair ? 0xff00 : 0x0000, _mm_maskz_loadu_epi8(pair ? 0xffff : 0, b + 20));
    const __m512i shifts =
        _mm512_setr_epi64(0, 0, 0x0004000400040004, 0x0004000400040004, 0, 0, 0x0004000400040004, 0x0004000400040004);
    u = _mm512_and_si512(_mm512_srlv_epi16(both, shifts), _mm512_set1_epi8(15));
    if (!pair) u = _mm512_maskz_mov_epi64(0x0f, u);
    ws = pair_scales(b, 18, pair);
  }
};

// Q6_K {uint8 ql[128]; uint8 qh[64]; int8 scales[16]; half d}: chunk j of a block is values
// 64j … 64j + 63: half h = j / 2 of the block, and within it the low (k = j % 2 = 0) or high (k = 1)
// nibbles of ql[64h … 64h + 63], with 2 high bits from qh[32h …] at bit 4k (first 32 values) and
// 4k + 2 (last 32). Values 16m … 16m + 15 of the chunk (lanes 4m … 4m + 3) take scales[4j + m].
struct Q6_KWeights {
  static constexpr int kOffset = 32;
  static constexpr int kGroups = 2;  // a scale per 16 values
  static constexpr std::int64_t kChunksPerBlock = 4;
  static constexpr std::int64_t kRowBytesPerChunk = 53;  // 210 / 4, rounded up, for prefetching
  struct Block {
    __m512 scales;  // d·scales[0 … 15]
  };
  static Block load_block(const std::byte* row, std::int64_t index) {
    const std::byte* block = row + 210 * index;
    const __m512 scales =
        _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 192))));
    return {_mm512_mul_ps(_mm512_set1_ps(half_at(block + 208)), scales)};
  }
  static void chunk(const Block& block, const std::byte* row, std::int64_t c, std::int64_t, __m512i& u, __m512& ws) {
    const std::byte* b = row + 210 * (c / 4);
    const int j = static_cast<int>(c % 4), half = j / 2, k = j % 2;
    const __m512i ql = _mm512_loadu_si512(b + 64 * half);
    const __m512i qh =
        _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 128 + 32 * half)));
    const __m512i low = _mm512_set1_epi8(15);
    const __m512i lows = k == 0 ? _mm512_and_si512(ql, low) : _mm512_and_si512(_mm512_srli_epi16(ql, 4), low);
    const __m512i shifts = _mm512_inserti64x4(_mm512_set1_epi16(static_cast<short>(4 * k)),
                                              _mm256_set1_epi16(static_cast<short>(4 * k + 2)), 1);
    const __m512i highs = _mm512_slli_epi16(_mm512_and_si512(_mm512_srlv_epi16(qh, shifts), _mm512_set1_epi8(3)), 4);
    u = _mm512_or_si512(lows, highs);
    const __m512i lanes =
        _mm512_add_epi32(_mm512_set1_epi32(4 * j), _mm512_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3));
    ws = _mm512_permutexvar_ps(lanes, block.scales);
  }
};

// ---- The block-exact product ----
// Decode: one vpdpbusd per row and chunk (64 values, lanes of 4 products), then a transposed
// reduction turns 16 rows' lane sums into their group sums, rows in the lanes, and the float steps
// run on 16 rows at once with the rows' scales gathered. Prefill: activations transposed to 4-byte
// groups of 16 positions, each weight group broadcast, so eight vpdpbusd build a block's sum for 16
// positions with no reduction, and the float work (one conversion, multiply and FMA) comes once per
// scale group instead of once per 4 values (0.8–0.95 of the f32 FMA peak here, against about half
// of it when every lane's sum was converted).

// Group sums of 16 rows from their chunk products d[r]: with one scale group per 32 values, lane r
// of sums[0] is Σ d[r][0..7] (block A) and of sums[1] Σ d[r][8..15] (block B); with two (Q6_K),
// sums[k] holds Σ d[r][4k..4k+3]. Integer sums, so the order of the tree does not matter. Inlined
// by force: as a call its 16 vectors went through memory (GCC declined to inline it).
template <int Groups>
[[gnu::always_inline]] inline void reduce_rows(const __m512i (&d)[16], __m512i (&sums)[2 * Groups]) {
  __m512i pairs[8], quads[4];
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i)  // per 128-bit lane: (r0+, r1+, r0+, r1+) partial sums
    pairs[i] =
        _mm512_add_epi32(_mm512_unpacklo_epi32(d[2 * i], d[2 * i + 1]), _mm512_unpackhi_epi32(d[2 * i], d[2 * i + 1]));
#pragma GCC unroll 4
  for (int i = 0; i < 4; ++i)  // per 128-bit lane k: the sums of its 4 lanes for rows 4i … 4i + 3
    quads[i] = _mm512_add_epi32(_mm512_unpacklo_epi64(pairs[2 * i], pairs[2 * i + 1]),
                                _mm512_unpackhi_epi64(pairs[2 * i], pairs[2 * i + 1]));
  if constexpr (Groups == 1) {
    // 128-bit lanes 0, 1 are block A's halves, 2, 3 block B's.
    const __m512i h0 = _mm512_add_epi32(_mm512_shuffle_i32x4(quads[0], quads[1], 0x88),
                                        _mm512_shuffle_i32x4(quads[0], quads[1], 0xdd));  // A0 B0 A1 B1
    const __m512i h1 = _mm512_add_epi32(_mm512_shuffle_i32x4(quads[2], quads[3], 0x88),
                                        _mm512_shuffle_i32x4(quads[2], quads[3], 0xdd));  // A2 B2 A3 B3
    sums[0] = _mm512_shuffle_i32x4(h0, h1, 0x88);
    sums[1] = _mm512_shuffle_i32x4(h0, h1, 0xdd);
  } else {
    // A 4 × 4 transpose of 128-bit lanes: group k of rows 4i … 4i + 3 to lane i of sums[k].
    const __m512i low01 = _mm512_shuffle_i32x4(quads[0], quads[1], 0x44),
                  low23 = _mm512_shuffle_i32x4(quads[2], quads[3], 0x44);
    const __m512i high01 = _mm512_shuffle_i32x4(quads[0], quads[1], 0xee),
                  high23 = _mm512_shuffle_i32x4(quads[2], quads[3], 0xee);
    sums[0] = _mm512_shuffle_i32x4(low01, low23, 0x88);
    sums[1] = _mm512_shuffle_i32x4(low01, low23, 0xdd);
    sums[2] = _mm512_shuffle_i32x4(high01, high23, 0x88);
    sums[3] = _mm512_shuffle_i32x4(high01, high23, 0xdd);
  }
}

// The weight scales of 16 rows (rows in the lanes) for the block-exact decode: for chunk c, the
// scales of its blocks 2c and 2c + 1. `rows` holds each row's byte offset from
// `first`; lanes outside `mask` are not read.
// Q8_0 and Q4_0: each block's fp16 d, gathered per chunk.
template <class W>
struct PairRowScales {
  void at(const std::byte* first, __m512i rows, __mmask16 mask, std::int64_t c, __m512 (&scale)[4]) {
    for (int half = 0; half < 2; ++half) {
      const __m512i at = _mm512_add_epi32(rows, _mm512_set1_epi32(static_cast<int>(W::kBlockBytes * (2 * c + half))));
      const __m512i words = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), mask, at, first, 1);
      scale[half] = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(words));
    }
  }
};

// Q6_K: d·scale of a 256-value block's 16 groups of 16, once per block from five gathered words per
// row (the same products as Q6_KWeights::load_block).
struct Q6_KRowScales {
  __m512 scale[16];
  std::int64_t block = -1;
  void at(const std::byte* first, __m512i rows, __mmask16 mask, std::int64_t c, __m512 (&s)[4]) {
    if (c / 4 != block) {
      block = c / 4;
      const auto word = [&](int at) {
        return _mm512_mask_i32gather_epi32(
            _mm512_setzero_si512(), mask, _mm512_add_epi32(rows, _mm512_set1_epi32(static_cast<int>(210 * block + at))),
            first, 1);
      };
      // d is the block's last 2 bytes: read from 206 so that the word stays inside the block.
      const __m512 d = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_srli_epi32(word(206), 16)));
      for (int i = 0; i < 4; ++i) {
        const __m512i bytes = word(192 + 4 * i);  // scales 4i … 4i + 3, signed
        for (int k = 0; k < 4; ++k)
          scale[4 * i + k] =
              _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_srai_epi32(_mm512_slli_epi32(bytes, 24 - 8 * k), 24)), d);
      }
    }
    const int j = static_cast<int>(c % 4);
    for (int k = 0; k < 4; ++k) s[k] = scale[4 * j + k];
  }
};

template <class W>
struct RowScalesFor {
  using Type = PairRowScales<W>;
};
template <>
struct RowScalesFor<Q6_KWeights> {
  using Type = Q6_KRowScales;
};

constexpr int kDecodeRows = 16;

// y[t][row0 … row0 + rows) for one position t, rows ≤ 16 in the lanes (Full: rows = 16, so the
// per-row tests fold away; measured faster than one function for both).
template <class W, bool Full>
void decode_rows(const WeightView& weight, std::int64_t row0, int rows, const Activations& x, std::int64_t t,
                 float* y) {
  if constexpr (Full) rows = kDecodeRows;
  const std::size_t row_bytes = weight.row_bytes();
  const std::byte* first = weight.data + static_cast<std::size_t>(row0) * row_bytes;
  const __mmask16 mask = static_cast<__mmask16>((1u << rows) - 1);
  const __m512i offsets = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                             _mm512_set1_epi32(static_cast<int>(row_bytes)));
  const std::int64_t blocks = x.blocks;
  typename RowScalesFor<W>::Type row_scales;
  __m512 acc = _mm512_setzero_ps();
  for (std::int64_t c = 0; c < x.chunks; ++c) {
    const std::int64_t at = t * x.chunks + c;
    const __m512i xq = _mm512_loadu_si512(x.q + at * kChunk);
    __m512i start = _mm512_setzero_si512();
    // −offset × Σ q_x per lane: the bias (offset 128) shifted down to the type's offset.
    if constexpr (W::kOffset > 0)
      start = _mm512_srai_epi32(_mm512_loadu_si512(x.bias + at * 16), std::countr_zero(128u / W::kOffset));
    __m512i d[kDecodeRows];
#pragma GCC unroll 16
    for (int r = 0; r < kDecodeRows; ++r) {
      if (r < rows) {
        const std::byte* row = first + static_cast<std::size_t>(r) * row_bytes;
        // The same chunk of the next tile's row, into L2: the tile's 16 row streams reached 0.55–0.6 of
        // the bandwidth with 2 threads when each row was fetched a few KiB ahead, 0.65–0.9 this way.
        _mm_prefetch(reinterpret_cast<const char*>(row) + kDecodeRows * row_bytes + c * W::kRowBytesPerChunk,
                     _MM_HINT_T1);
        __m512i u;
        __m512 unused;  // the lane scales: this product takes them per row from row_scales
        W::chunk(typename W::Block{}, row, c, blocks, u, unused);
        d[r] = _mm512_dpbusd_epi32(start, u, xq);
      } else {
        d[r] = _mm512_setzero_si512();
      }
    }
    constexpr int G = W::kGroups;
    __m512i sums[2 * G];
    reduce_rows<G>(d, sums);
    __m512 scale[4];
    row_scales.at(first, offsets, mask, c, scale);
#pragma GCC unroll 4
    for (int k = 0; k < 2 * G; ++k) {
      const int half = k / G;  // which block of the chunk
      if (2 * c + half >= blocks) break;
      const __m512 product = _mm512_mul_ps(_mm512_cvtepi32_ps(sums[k]), _mm512_set1_ps(x.scale[at * 16 + 8 * half]));
      acc = _mm512_fmadd_ps(product, scale[k], acc);
    }
  }
  _mm512_mask_storeu_ps(y + row0, mask, acc);
}

// A pair of a Q8_0 tile (q8_0_row_tiles.h): row r's 64 weights as unsigned bytes u = q + 128, and the
// 16 rows' scales of its two blocks as floats (rows in the lanes).
[[gnu::always_inline]] inline __m512i q8_0_tile_row(const std::byte* pair, std::int64_t r) {
  return _mm512_xor_si512(_mm512_loadu_si512(pair + kQ8_0TileQuantsAt + 64 * r),
                          _mm512_set1_epi8(static_cast<char>(0x80)));
}
[[gnu::always_inline]] inline void q8_0_tile_scales(const std::byte* pair, __m512 (&scale)[2]) {
  const __m512i halves = _mm512_loadu_si512(pair);
  scale[0] = _mm512_cvtph_ps(_mm512_castsi512_si256(halves));
  scale[1] = _mm512_cvtph_ps(_mm512_extracti64x4_epi64(halves, 1));
}

constexpr std::int64_t kDecodeAheadBytes = 4 * kQ8_0TilePairBytes;

// y[t][16g … 16g + 16) for one position t from tile g of a Q8_0 matrix in 16-row tiles (rows in
// the lanes; only the lanes of `mask` are stored). The same steps as decode_rows<Q8_0Weights>, so the
// same bits, with the 16 rows' scales of a block pair read as one cache line instead of gathered and
// the tile read from start to end.
void decode_q8_0_tile(const std::byte* tile, __mmask16 mask, const Activations& x, std::int64_t t, float* y) {
  __m512 acc = _mm512_setzero_ps();
  for (std::int64_t c = 0; c < x.chunks; ++c) {
    const std::int64_t at = t * x.chunks + c;
    const std::byte* pair = tile + c * kQ8_0TilePairBytes;
    // Every line of the pair 4 pairs ahead, into L2 (past the tile's end: the next tile's first
    // pairs). Measured at 2 threads: 0.80 of the triad without, 1.10 with (1.1–8.7 KiB ahead all gave
    // that; into L1 instead, 0.95).
#pragma GCC unroll 17
    for (int line = 0; line < kQ8_0TilePairBytes / 64; ++line)
      _mm_prefetch(reinterpret_cast<const char*>(pair) + kDecodeAheadBytes + 64 * line, _MM_HINT_T1);
    const __m512i xq = _mm512_loadu_si512(x.q + at * kChunk);
    const __m512i start = _mm512_loadu_si512(x.bias + at * 16);
    __m512i d[kDecodeRows];
#pragma GCC unroll 16
    for (int r = 0; r < kDecodeRows; ++r) d[r] = _mm512_dpbusd_epi32(start, q8_0_tile_row(pair, r), xq);
    __m512i sums[2];
    reduce_rows<1>(d, sums);
    __m512 scale[2];
    q8_0_tile_scales(pair, scale);
#pragma GCC unroll 2
    for (int half = 0; half < 2; ++half) {
      if (2 * c + half >= x.blocks) break;
      const __m512 product = _mm512_mul_ps(_mm512_cvtepi32_ps(sums[half]), _mm512_set1_ps(x.scale[at * 16 + 8 * half]));
      acc = _mm512_fmadd_ps(product, scale[half], acc);
    }
  }
  _mm512_mask_storeu_ps(y, mask, acc);
}

// A position block's activations for the prefill product: per block b, 4-byte group g and 16
// positions v, the unsigned bytes q_x + 128 at ((b·8 + g)·vectors + v)·16 + lane (int32 units),
// and d_x at (b·vectors + v)·16 + lane; positions past the block read as q = 0, d = 0.
struct TransposedActivations {
  const std::int32_t* q;
  const float* scale;
  std::int64_t vectors;
};

TransposedActivations transpose_activations(const Activations& a, std::int64_t t0, std::int64_t count) {
  const std::int64_t vectors = (count + 15) / 16;
  auto* q = vnni_buffer<std::int32_t>(3, static_cast<std::size_t>(a.blocks * 8 * vectors * 16));
  auto* scale = vnni_buffer<float>(4, static_cast<std::size_t>(a.blocks * vectors * 16));
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512i flip = _mm512_set1_epi32(static_cast<int>(0x80808080u));
  // Offsets of 16 consecutive positions: their chunk 0's q in bytes and scale in floats, and their
  // first block sum in floats.
  const __m512i q_rows = _mm512_mullo_epi32(lane, _mm512_set1_epi32(static_cast<int>(a.chunks * kChunk)));
  const __m512i s_rows = _mm512_mullo_epi32(lane, _mm512_set1_epi32(static_cast<int>(a.chunks * 16)));
  for (std::int64_t v = 0; v < vectors; ++v) {
    const std::int64_t first = t0 + 16 * v;
    const auto mask = static_cast<__mmask16>((1u << std::min<std::int64_t>(16, t0 + count - first)) - 1);
    const std::int8_t* q_base = a.q + first * a.chunks * kChunk;
    const float* s_base = a.scale + first * a.chunks * 16;
    for (std::int64_t b = 0; b < a.blocks; ++b) {
      const int q_at = static_cast<int>((b / 2) * kChunk + (b % 2) * 32),
                s_at = static_cast<int>((b / 2) * 16 + (b % 2) * 8);
      for (int g = 0; g < 8; ++g) {
        const __m512i words = _mm512_mask_i32gather_epi32(
            _mm512_setzero_si512(), mask, _mm512_add_epi32(q_rows, _mm512_set1_epi32(q_at + 4 * g)), q_base, 1);
        _mm512_store_si512(q + ((b * 8 + g) * vectors + v) * 16, _mm512_xor_si512(words, flip));
      }
      _mm512_store_ps(scale + (b * vectors + v) * 16,
                      _mm512_mask_i32gather_ps(_mm512_setzero_ps(), mask,
                                               _mm512_add_epi32(s_rows, _mm512_set1_epi32(s_at)), s_base, 4));
    }
  }
  return {q, scale, vectors};
}

// A row tile's weights for the prefill product, R = `rows` rows: per block b and row r, the 32 signed
// values at (b·R + r)·8 (int32 units); per scale group h of the block (G = W::kGroups per block), the
// correction −128·Σq_w and the weight scale (d_w, or Q6_K's d·scale) at (b·G + h)·R + r.
struct SignedTile {
  std::int32_t* q;
  std::int32_t* correction;
  float* scale;
  std::int64_t rows;
};

// Puts chunk c of tile row r (unsigned bytes u, the scales of its 2·G groups) into `out`.
template <class W>
[[gnu::always_inline]] inline void store_signed_chunk(const SignedTile& out, std::int64_t r, std::int64_t c,
                                                      std::int64_t blocks, __m512i u, const float* scales) {
  constexpr int G = W::kGroups, kQwordsPerGroup = 4 / G;
  const std::int64_t R = out.rows;
  const __m512i q = _mm512_sub_epi8(u, _mm512_set1_epi8(static_cast<char>(W::kOffset)));
  // Σ q per group from Σ u (vpsadbw: one sum per 8 bytes) less the offset per value.
  const __m512i sums = _mm512_sad_epu8(u, _mm512_setzero_si512());
  for (int half = 0; half < 2 && 2 * c + half < blocks; ++half) {
    const std::int64_t b = 2 * c + half;
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.q + (b * R + r) * 8),
                       half == 0 ? _mm512_castsi512_si256(q) : _mm512_extracti64x4_epi64(q, 1));
    for (int h = 0; h < G; ++h) {
      const int k = half * G + h;  // the group within the chunk
      const auto mask = static_cast<__mmask8>(((1u << kQwordsPerGroup) - 1) << (k * kQwordsPerGroup));
      const long long u_sum = _mm512_mask_reduce_add_epi64(mask, sums);
      out.correction[(b * G + h) * R + r] = -128 * static_cast<std::int32_t>(u_sum - 32 / G * W::kOffset);
      out.scale[(b * G + h) * R + r] = scales[k];
    }
  }
}

constexpr int kPrefillRows = 4;
constexpr int kPrefillVectors = 2;

// The rows one signed tile holds: matrix rows [begin, end), row o at row o − base of the tile.
struct TileSpan {
  std::int64_t base, begin, end;
};

// Where the prefill product reads its weights. span(o, row_end): the tile that starts with row o;
// decode: its rows into a signed tile; lines / line: its 64-byte lines (fetched into L2 while the
// tile before it computes). In the file's row layout, tiles of kPrefillRows rows (single rows at the
// end of a range), each row read from start to end:
template <class W>
struct FileRowTiles {
  const WeightView& weight;

  TileSpan span(std::int64_t o, std::int64_t row_end) const {
    return {o, o, o + (o + kPrefillRows <= row_end ? kPrefillRows : 1)};
  }
  void decode(const TileSpan& span, std::int64_t chunks, std::int64_t blocks, SignedTile& out) const {
    out.rows = span.end - span.begin;
    constexpr int kLanesPerGroup = 8 / W::kGroups;
    for (std::int64_t r = 0; r < out.rows; ++r) {
      const std::byte* row = weight.row(span.begin + r);
      typename W::Block block{};
      for (std::int64_t c = 0; c < chunks; ++c) {
        if (c % W::kChunksPerBlock == 0) block = W::load_block(row, c / W::kChunksPerBlock);
        // The weights stream from memory once per position block; without the prefetch this loop
        // waited on them.
        _mm_prefetch(reinterpret_cast<const char*>(row) + c * W::kRowBytesPerChunk + kPrefetchBytes, _MM_HINT_T0);
        __m512i u;
        __m512 ws;
        W::chunk(block, row, c, blocks, u, ws);
        alignas(64) float lane_scales[16];
        _mm512_store_ps(lane_scales, ws);
        float scales[2 * W::kGroups];
        for (int k = 0; k < 2 * W::kGroups; ++k) scales[k] = lane_scales[k * kLanesPerGroup];
        store_signed_chunk<W>(out, r, c, blocks, u, scales);
      }
    }
  }
  std::int64_t lines(const TileSpan& span) const {
    return (span.end - span.begin) * static_cast<std::int64_t>(weight.row_bytes()) / 64;
  }
  const std::byte* line(const TileSpan& span, std::int64_t i) const { return weight.row(span.begin) + 64 * i; }
};

// Q8_0 in 16-row tiles (q8_0_row_tiles.h): the whole tile of row o (rows outside the range, and
// the zero padding rows, are decoded too but not stored), read from start to end.
struct Q8_0Tiles {
  const WeightView& weight;

  const std::byte* tile(std::int64_t o) const {
    return weight.data + o / kQ8_0TileRows * q8_0_tile_pairs(weight.cols) * kQ8_0TilePairBytes;
  }
  TileSpan span(std::int64_t o, std::int64_t row_end) const {
    const std::int64_t base = o / kQ8_0TileRows * kQ8_0TileRows;
    return {base, o, std::min(base + kQ8_0TileRows, row_end)};
  }
  void decode(const TileSpan& span, std::int64_t chunks, std::int64_t blocks, SignedTile& out) const {
    out.rows = kQ8_0TileRows;
    const std::byte* first = tile(span.base);
    for (std::int64_t c = 0; c < chunks; ++c) {
      const std::byte* pair = first + c * kQ8_0TilePairBytes;
      _mm_prefetch(reinterpret_cast<const char*>(pair) + kPrefetchBytes, _MM_HINT_T0);
      __m512 scale[2];
      q8_0_tile_scales(pair, scale);
      alignas(64) float scales[2][kQ8_0TileRows];
      _mm512_store_ps(scales[0], scale[0]);
      _mm512_store_ps(scales[1], scale[1]);
      for (std::int64_t r = 0; r < kQ8_0TileRows; ++r) {
        const float row_scales[2] = {scales[0][r], scales[1][r]};
        store_signed_chunk<Q8_0Weights>(out, r, c, blocks, q8_0_tile_row(pair, r), row_scales);
      }
    }
  }
  std::int64_t lines(const TileSpan&) const { return q8_0_tile_pairs(weight.cols) * kQ8_0TilePairBytes / 64; }
  const std::byte* line(const TileSpan& span, std::int64_t i) const { return tile(span.base) + 64 * i; }
};

// y for rows [row0, row0 + R) (rows [first, first + R) of the signed tile) × the 16·V positions of
// vectors [v0, v0 + V) of the block. W gives the scale groups per block.
template <class W, int R, int V>
void prefill_tile(const SignedTile& w, std::int64_t first, const TransposedActivations& x, std::int64_t blocks,
                  std::int64_t v0, std::int64_t t_first, std::int64_t t_count, std::int64_t row0, float* y,
                  std::int64_t rows_total) {
  constexpr int G = W::kGroups, kWordsPerGroup = 8 / G;
  const std::int64_t stride = w.rows;
  __m512 acc[R][V];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) acc[r][v] = _mm512_setzero_ps();
  for (std::int64_t b = 0; b < blocks; ++b) {
    const std::int32_t* wq = w.q + (b * stride + first) * 8;
    const std::int32_t* xq = x.q + (b * 8 * x.vectors + v0) * 16;
    __m512 xs[V];
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) xs[v] = _mm512_load_ps(x.scale + (b * x.vectors + v0 + v) * 16);
#pragma GCC unroll 2
    for (int h = 0; h < G; ++h) {
      __m512i s[R][V];
#pragma GCC unroll 8
      for (int r = 0; r < R; ++r) {
        const __m512i correction = _mm512_set1_epi32(w.correction[(b * G + h) * stride + first + r]);
#pragma GCC unroll 4
        for (int v = 0; v < V; ++v) s[r][v] = correction;
      }
#pragma GCC unroll 8
      for (int g = h * kWordsPerGroup; g < (h + 1) * kWordsPerGroup; ++g) {
        __m512i xv[V];
#pragma GCC unroll 4
        for (int v = 0; v < V; ++v) xv[v] = _mm512_load_si512(xq + (g * x.vectors + v) * 16);
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r) {
          const __m512i wv = _mm512_set1_epi32(wq[r * 8 + g]);
#pragma GCC unroll 4
          for (int v = 0; v < V; ++v) s[r][v] = _mm512_dpbusd_epi32(s[r][v], xv[v], wv);
        }
      }
#pragma GCC unroll 8
      for (int r = 0; r < R; ++r) {
        const __m512 ws = _mm512_set1_ps(w.scale[(b * G + h) * stride + first + r]);
#pragma GCC unroll 4
        for (int v = 0; v < V; ++v)
          acc[r][v] = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(s[r][v]), xs[v]), ws, acc[r][v]);
      }
    }
  }
  for (int v = 0; v < V; ++v) {
    const std::int64_t t = t_first + 16 * (v0 + v);
    const std::int64_t lanes = std::min<std::int64_t>(16, t_first + t_count - t);
    for (int r = 0; r < R; ++r) {
      alignas(64) float sums[16];
      _mm512_store_ps(sums, acc[r][v]);
      for (std::int64_t p = 0; p < lanes; ++p) y[(t + p) * rows_total + row0 + r] = sums[p];
    }
  }
}

// Calls with fewer positions run each as decode. Measured per call on a 4096 × 4096 matrix, 2
// threads: decode was faster up to 4 positions (2: 2.5–4×), about even at 8, prefill faster at 12
// (1.6–1.8×).
constexpr std::int64_t kPrefillPositions = 8;

// The prefill product of rows [row_begin, row_end), weights read in Tiles (above).
template <class W, class Tiles>
void prefill_rows(const Tiles& tiles, const Activations& a, std::int64_t positions, float* y, std::int64_t rows_total,
                  std::int64_t row_begin, std::int64_t row_end) {
  // About 1.1 bytes per value per position; blocks of whole position vectors that fit L2.
  const std::int64_t bytes_per_position = a.blocks * (32 + 4);
  const std::int64_t block = std::max<std::int64_t>(
      16 * kPrefillVectors, kPositionBlockBytes / bytes_per_position / (16 * kPrefillVectors) * (16 * kPrefillVectors));
  const auto blocks = static_cast<std::size_t>(a.blocks);
  constexpr std::size_t kMostRows = kQ8_0TileRows;
  auto* buffer = vnni_buffer<std::int32_t>(5, blocks * kMostRows * 12);
  SignedTile signed_tile{buffer, buffer + blocks * kMostRows * 8,
                         reinterpret_cast<float*>(buffer + blocks * kMostRows * 10), 0};
  for (std::int64_t block_begin = 0; block_begin < positions; block_begin += block) {
    const std::int64_t count = std::min(block, positions - block_begin);
    const TransposedActivations xt = transpose_activations(a, block_begin, count);
    for (std::int64_t o = row_begin; o < row_end;) {
      const TileSpan span = tiles.span(o, row_end);
      tiles.decode(span, a.chunks, a.blocks, signed_tile);
      // The next tile's lines are fetched into L2 a share per position tile, so they arrive while
      // this tile computes; decoding them waited on memory before.
      const bool more = span.end < row_end;
      const TileSpan next = more ? tiles.span(span.end, row_end) : span;
      const std::int64_t ahead_lines = more ? tiles.lines(next) : 0;
      const std::int64_t rows = span.end - span.begin;
      const std::int64_t calls =
          (rows / kPrefillRows + rows % kPrefillRows) * ((xt.vectors + kPrefillVectors - 1) / kPrefillVectors);
      std::int64_t fetched = 0, call = 0;
      for (std::int64_t r = span.begin; r < span.end;) {
        const bool whole = r + kPrefillRows <= span.end;
        for (std::int64_t v0 = 0; v0 < xt.vectors; v0 += kPrefillVectors) {
          ++call;
          for (const std::int64_t until = ahead_lines * call / calls; fetched < until; ++fetched)
            _mm_prefetch(reinterpret_cast<const char*>(tiles.line(next, fetched)), _MM_HINT_T1);
          const bool pair = v0 + kPrefillVectors <= xt.vectors;
          const auto tile_function =
              whole ? (pair ? prefill_tile<W, kPrefillRows, kPrefillVectors> : prefill_tile<W, kPrefillRows, 1>)
                    : (pair ? prefill_tile<W, 1, kPrefillVectors> : prefill_tile<W, 1, 1>);
          tile_function(signed_tile, r - span.base, xt, a.blocks, v0, block_begin, count, r, y, rows_total);
        }
        r += whole ? kPrefillRows : 1;
      }
      o = span.end;
    }
  }
}

template <class W>
void block_exact_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                      std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  const Activations a = quantize_activations(x, positions, weight.cols);
  if (positions >= kPrefillPositions) {
    prefill_rows<W>(FileRowTiles<W>{weight}, a, positions, y, rows_total, row_begin, row_end);
    return;
  }
  for (std::int64_t o = row_begin; o < row_end; o += kDecodeRows) {
    const int rows = static_cast<int>(std::min<std::int64_t>(kDecodeRows, row_end - o));
    for (std::int64_t t = 0; t < positions; ++t)
      (rows == kDecodeRows ? decode_rows<W, true> : decode_rows<W, false>)(weight, o, rows, a, t, y + t * rows_total);
  }
}

// The same product for a Q8_0 matrix in 16-row tiles: the same bits as block_exact_rows<Q8_0Weights>.
void q8_0_tile_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y, std::int64_t rows_total,
                    std::int64_t row_begin, std::int64_t row_end) {
  const Activations a = quantize_activations(x, positions, weight.cols);
  if (positions >= kPrefillPositions) {
    prefill_rows<Q8_0Weights>(Q8_0Tiles{weight}, a, positions, y, rows_total, row_begin, row_end);
    return;
  }
  const std::int64_t tile_bytes = q8_0_tile_pairs(weight.cols) * kQ8_0TilePairBytes;
  for (std::int64_t g = row_begin / kQ8_0TileRows; g * kQ8_0TileRows < row_end; ++g) {
    const std::int64_t first = g * kQ8_0TileRows;
    const std::int64_t low = std::max(row_begin, first) - first,
                       high = std::min(row_end, first + kQ8_0TileRows) - first;
    const auto mask = static_cast<__mmask16>(((1u << high) - 1) & ~((1u << low) - 1));
    for (std::int64_t t = 0; t < positions; ++t)
      decode_q8_0_tile(weight.data + g * tile_bytes, mask, a, t, y + t * rows_total + first);
  }
}

void vnni_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                      std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  if (weight.layout == WeightLayout::q8_0_row_tiles) {
    q8_0_tile_rows(weight, x, positions, y, rows_total, row_begin, row_end);
    return;
  }
  switch (weight.dtype) {
    case DType::q8_0: block_exact_rows<Q8_0Weights>(weight, x, positions, y, rows_total, row_begin, row_end); return;
    case DType::q4_0: block_exact_rows<Q4_0Weights>(weight, x, positions, y, rows_total, row_begin, row_end); return;
    case DType::q6_k: block_exact_rows<Q6_KWeights>(weight, x, positions, y, rows_total, row_begin, row_end); return;
    default: return;  // the caller sends only these three
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
MatmulRows avx512_vnni_integer_matmul_rows() { return vnni_matmul_rows; }
}  // namespace linea::cpu

#else

namespace linea::cpu {
MatmulRows avx512_vnni_integer_matmul_rows() { return nullptr; }
}  // namespace linea::cpu

#endif
