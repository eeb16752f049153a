// The avx512 table's product of F32, F16 and BF16 weights regrouped into panels of 16 rows
// (float_row_panels.h). Each output is ONE sum: y[t][o] = fma(W[o][k], x[t][k], ·) for k = 0, 1, 2, …
// in order, starting from zero, in f32. A column of a panel (16 rows' values, widened exactly from
// F16 / BF16) is one vector, so prefill's step is an outer product: 2 weight vectors × 14 broadcast
// activations feed 28 sums held in registers, 16 loads per 28 FMAs. The row layout's dot products
// (simd_kernels_impl.h) need one load per FMA plus a reduction per output: bench_matmul_kernels put
// their F32 prefill at 0.53 of the FMA peak and this product's at 0.68 (2 threads; 0.69 on one).
//
// Decode, prefill, thread splits and the blocking below only change when the steps run, never which
// steps in which order, so the bits are the same for any number of positions and threads.
//
// Only the functions inside the target region are compiled for AVX-512 (as in avx512_kernels.cpp).
#include "engine/cpu/aligned_scratch.h"
#include "engine/cpu/simd_kernels.h"

#if defined(__x86_64__)

#include "engine/cpu/float_row_panels.h"
#include "engine/cpu/weight_view.h"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace linea::cpu {

namespace {

// Per-thread scratch: slot 0 the packed activations, slot 1 the sums between column passes.
float* panel_scratch(int slot, std::size_t count) {
  thread_local AlignedScratch<2> buffers;
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
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

namespace linea::cpu {

namespace {

// Prefill's blocking. A tile is kTilePositions positions × kTilePanels panels (28 of the 32 zmm
// registers hold its sums). Columns pass kDepth at a time; in a pass, each position tile's
// activations (16 KiB) stay in L1 while the pairs of panels of a group of kGroupPanels go over them,
// their slices of the pass (256 KiB of f32) from L2, where the block's activations of the pass
// (kBlockTiles × 16 × kDepth f32, 640 KiB) and the group's sums (256 rows × the block's positions,
// 573 KiB) stay too. A block of 40 tiles takes a prefill chunk of 512 positions whole (with 36, the
// chunk made two blocks of 19 and 18 tiles, 0.9× as fast). Tiles outside, panels inside ran 1.03×
// faster than the other way round (each pair's 32 KiB slice in L1 while the tiles pass), on a Xeon
// with 48 KiB of L1 and 2 MiB of L2.
constexpr int kTilePositions = kFloatPanelPackGrain;
constexpr std::int64_t kTileStride = 16;  // floats per column of a packed tile: one cache line
static_assert(kTileStride == kPanelRows, "a tile column is packed by the 16 × 16 transpose");
constexpr int kTilePanels = 2;
constexpr std::int64_t kDepth = 256;
constexpr std::int64_t kBlockTiles = 40;
constexpr std::int64_t kGroupPanels = 16;
// In a block of at most kFetchAheadTiles tiles, a pass fetches the slice of weights the next pass
// reads into L2, one line every kStepsPerFetch columns of each tile (spread over the pass, not in
// bursts that held the fill buffers). Products of 1408 × 1024 F32 from memory, 2 threads: 0.57–0.61
// of the peak without, 0.65–0.66 with at 128 positions (10 tiles; a mixture expert's share of a
// chunk), 0.47 → 0.52 at 40. Longer blocks hide the first tile's wait: at 512 positions (37 tiles)
// F32 did not change and BF16 ran 0.98× as fast.
constexpr int kStepsPerFetch = 4;
constexpr std::int64_t kFetchAheadTiles = 20;
// Decode takes this many panels at a time: independent chains of FMAs to cover their latency.
constexpr int kDecodePanels = 4;

// The 16 values of one panel column as f32 (exact).
template <DType Format>
[[gnu::always_inline]] inline __m512 load_column(const std::byte* p) {
  if constexpr (Format == DType::f32) {
    return _mm512_loadu_ps(p);  // panels are 64-byte aligned where PackedWeights made them
  } else {
    const __m256i half = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    if constexpr (Format == DType::f16)
      return _mm512_cvtph_ps(half);
    else
      return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(half), 16));
  }
}

// Bytes of one panel column.
constexpr std::int64_t column_bytes(DType format) { return kPanelRows * dtype_info(format).block_bytes; }

// Where a tile's sums go once its last column pass is done: rows of y, `mask[j]` the rows of panel j
// this thread owns.
struct TileOutput {
  float* y = nullptr;  // row 0 of panel 0, position 0
  std::int64_t y_stride = 0;
  int positions = 0;  // valid positions of the tile (the rest are padding)
  __mmask16 mask[kTilePanels] = {};
};

// Lines to fetch into L2 while a pass computes: `count` more lines, from `line` of the panel at
// `panel`, each panel `lines_per_panel` lines long and `panel_bytes` after the one before.
struct LinesAhead {
  const std::byte* panel = nullptr;
  std::int64_t panel_bytes = 0, lines_per_panel = 0, line = 0, count = 0;

  void fetch_one() {
    if (count == 0) return;
    _mm_prefetch(reinterpret_cast<const char*>(panel) + 64 * line, _MM_HINT_T1);
    --count;
    if (++line == lines_per_panel) line = 0, panel += panel_bytes;
  }
};

// One column pass of a tile: sums[p][j] += W_j[k] · x[k][p] for k in [0, n), where W_j is panel j
// (`w` plus j·panel_bytes) and x the packed tile ([k][kTileStride]). The sums start from zero
// (`first`) or from `carried`; they go to `carried` again, or (out ≠ null) to y. One line of `ahead`
// is fetched every kStepsPerFetch columns.
template <DType Format, int J>
void tile_pass(const std::byte* w, std::int64_t panel_bytes, const float* x, std::int64_t n, float* carried, bool first,
               const TileOutput* out, LinesAhead& ahead) {
  constexpr int P = kTilePositions;
  constexpr std::int64_t column = column_bytes(Format);
  __m512 sum[P][J];
#pragma GCC unroll 14
  for (int p = 0; p < P; ++p) {
#pragma GCC unroll 2
    for (int j = 0; j < J; ++j) sum[p][j] = first ? _mm512_setzero_ps() : _mm512_load_ps(carried + (p * J + j) * 16);
  }
  // Unrolled: the loop's own additions and branch, once per step, took issue slots from the FMAs
  // (1.05× faster unrolled by 2, 4 or 8 alike).
  const auto step = [&](std::int64_t k) {
    __m512 wv[J];
#pragma GCC unroll 2
    for (int j = 0; j < J; ++j) wv[j] = load_column<Format>(w + j * panel_bytes + k * column);
#pragma GCC unroll 14
    for (int p = 0; p < P; ++p) {
      const __m512 xv = _mm512_set1_ps(x[k * kTileStride + p]);
#pragma GCC unroll 2
      for (int j = 0; j < J; ++j) sum[p][j] = _mm512_fmadd_ps(wv[j], xv, sum[p][j]);
    }
  };
  std::int64_t k = 0;
  for (; k + kStepsPerFetch <= n; k += kStepsPerFetch) {
    ahead.fetch_one();
#pragma GCC unroll 4
    for (int i = 0; i < kStepsPerFetch; ++i) step(k + i);
  }
  for (; k < n; ++k) step(k);
  if (out == nullptr) {
#pragma GCC unroll 14
    for (int p = 0; p < P; ++p)
#pragma GCC unroll 2
      for (int j = 0; j < J; ++j) _mm512_store_ps(carried + (p * J + j) * 16, sum[p][j]);
    return;
  }
#pragma GCC unroll 14
  for (int p = 0; p < P; ++p)
    if (p < out->positions)
#pragma GCC unroll 2
      for (int j = 0; j < J; ++j) _mm512_mask_storeu_ps(out->y + p * out->y_stride + j * 16, out->mask[j], sum[p][j]);
}

// The rows of panel g within [row_begin, row_end), as lanes.
__mmask16 owned_rows(std::int64_t g, std::int64_t row_begin, std::int64_t row_end) {
  const std::int64_t first = std::max<std::int64_t>(row_begin - g * kPanelRows, 0);
  const std::int64_t last = std::min<std::int64_t>(row_end - g * kPanelRows, kPanelRows);
  if (last <= first) return 0;
  return static_cast<__mmask16>(((1u << (last - first)) - 1) << first);
}

// out[j·16 + r] = row r's value j, for 16 rows of 16 values (`rows` of them loaded from `x`, `stride`
// floats apart, `width` values each; the rest zero), for the first `width` columns j.
void transpose_16x16(const float* x, std::int64_t stride, int rows, int width, float* out) {
  const __mmask16 loaded = static_cast<__mmask16>((1u << width) - 1);
  __m512 r[16], t[16];
#pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) {
    r[i] = i < rows ? _mm512_maskz_loadu_ps(loaded, x + i * stride) : _mm512_setzero_ps();
  }
  // Rows 2i and 2i + 1 interleaved, then four rows' value c of each 128-bit lane l (column 4l + c) in
  // r[4i + c], then the 128-bit lanes of four such vectors transposed.
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
#pragma GCC unroll 4
  for (int i = 0; i < 4; ++i) {
    r[4 * i + 0] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
    r[4 * i + 1] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0xEE);
    r[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
    r[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
  }
#pragma GCC unroll 4
  for (int c = 0; c < 4; ++c) {
    const __m512 v0 = _mm512_shuffle_f32x4(r[c], r[4 + c], 0x88), v1 = _mm512_shuffle_f32x4(r[c], r[4 + c], 0xDD);
    const __m512 v2 = _mm512_shuffle_f32x4(r[8 + c], r[12 + c], 0x88),
                 v3 = _mm512_shuffle_f32x4(r[8 + c], r[12 + c], 0xDD);
    t[c] = _mm512_shuffle_f32x4(v0, v2, 0x88);
    t[8 + c] = _mm512_shuffle_f32x4(v0, v2, 0xDD);
    t[4 + c] = _mm512_shuffle_f32x4(v1, v3, 0x88);
    t[12 + c] = _mm512_shuffle_f32x4(v1, v3, 0xDD);
  }
  if (width == 16) {
    // A constant count: a loop to `width` was compiled into a spill of t and a call to memcpy.
#pragma GCC unroll 16
    for (int j = 0; j < 16; ++j) _mm512_storeu_ps(out + j * 16, t[j]);
    return;
  }
  for (int j = 0; j < width; ++j) _mm512_storeu_ps(out + j * 16, t[j]);
}

std::int64_t tile_count(std::int64_t positions) { return (positions + kTilePositions - 1) / kTilePositions; }

// The activations as the tiles read them, for all positions: for each pass of kDepth columns, tile
// after tile, each [k][kTileStride] (the tile's positions of column k, then zeros). This writes tiles
// [tile_begin, tile_end), each of its rows read from start to end (long runs for the prefetcher).
void pack_tiles(const float* x, std::int64_t positions, std::int64_t cols, std::int64_t tile_begin,
                std::int64_t tile_end, float* packed) {
  const std::int64_t tiles = tile_count(positions);
  for (std::int64_t t = tile_begin; t < tile_end; ++t) {
    const int rows = static_cast<int>(std::min<std::int64_t>(kTilePositions, positions - t * kTilePositions));
    const float* from = x + t * kTilePositions * cols;
    for (std::int64_t k0 = 0; k0 < cols; k0 += kDepth) {
      const std::int64_t n = std::min(kDepth, cols - k0);
      float* tile = packed + k0 * tiles * kTileStride + t * n * kTileStride;
      for (std::int64_t k = 0; k < n; k += kTileStride)
        transpose_16x16(from + k0 + k, cols, rows, static_cast<int>(std::min<std::int64_t>(kTileStride, n - k)),
                        tile + k * kTileStride);
    }
  }
}

template <DType Format>
void prefill_panels(const WeightView& weight, const float* packed, std::int64_t positions, float* y,
                    std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  const std::int64_t cols = weight.cols, panel_bytes = cols * column_bytes(Format);
  const std::int64_t g_begin = row_begin / kPanelRows, g_end = float_row_panel_count(row_end);
  // Blocks of at most kBlockTiles tiles, all about the same size: a lone last tile would read every
  // weight again for 14 positions.
  const std::int64_t all_tiles = tile_count(positions), blocks = (all_tiles + kBlockTiles - 1) / kBlockTiles;
  const std::int64_t block_tiles = (all_tiles + blocks - 1) / blocks;
  float* carried =
      cols <= kDepth
          ? nullptr
          : panel_scratch(1, static_cast<std::size_t>(kGroupPanels * kPanelRows * block_tiles * kTilePositions));
  for (std::int64_t tb = 0; tb < all_tiles; tb += block_tiles) {
    const std::int64_t tiles = std::min(block_tiles, all_tiles - tb);
    for (std::int64_t group = g_begin; group < g_end; group += kGroupPanels) {
      const std::int64_t group_end = std::min(g_end, group + kGroupPanels);
      // At least one pass: with no columns at all it writes the zero sums.
      for (std::int64_t k0 = 0; k0 == 0 || k0 < cols; k0 += kDepth) {
        const std::int64_t n = std::min(kDepth, cols - k0);
        const bool first = k0 == 0, last = k0 + n == cols;
        const float* pass = packed + k0 * all_tiles * kTileStride;
        // The slice the next pass reads (the group's next columns, or the next group's first ones),
        // fetched into L2 while this pass computes.
        LinesAhead ahead;
        {
          std::int64_t next_group = group, next_k0 = k0 + kDepth;
          if (next_k0 >= cols) next_group = group + kGroupPanels, next_k0 = 0;
          if (tiles <= kFetchAheadTiles && next_group < g_end) {
            ahead.panel = weight.data + next_group * panel_bytes + next_k0 * column_bytes(Format);
            ahead.panel_bytes = panel_bytes;
            ahead.lines_per_panel = std::min(kDepth, cols - next_k0) * column_bytes(Format) / 64;
            ahead.count = (std::min(g_end, next_group + kGroupPanels) - next_group) * ahead.lines_per_panel;
          }
        }
        for (std::int64_t i = 0; i < tiles; ++i) {
          const std::int64_t t = tb + i;
          const float* xt = pass + t * n * kTileStride;
          for (std::int64_t g = group; g < group_end; g += kTilePanels) {
            const int panels = static_cast<int>(std::min<std::int64_t>(kTilePanels, group_end - g));
            const std::byte* w = weight.data + g * panel_bytes + k0 * column_bytes(Format);
            TileOutput out;
            out.y_stride = rows_total;
            for (int j = 0; j < panels; ++j) out.mask[j] = owned_rows(g + j, row_begin, row_end);
            float* sums = carried == nullptr ? nullptr
                                             : carried + (((g - group) / kTilePanels * tiles + i) * kTilePositions) *
                                                             kTilePanels * kPanelRows;
            out.y = y + t * kTilePositions * rows_total + g * kPanelRows;
            out.positions = static_cast<int>(std::min<std::int64_t>(kTilePositions, positions - t * kTilePositions));
            const TileOutput* to = last ? &out : nullptr;
            if (panels == kTilePanels)
              tile_pass<Format, kTilePanels>(w, panel_bytes, xt, n, sums, first, to, ahead);
            else
              tile_pass<Format, 1>(w, panel_bytes, xt, n, sums, first, to, ahead);
          }
        }
      }
    }
  }
}

// One position: each group of J panels runs through all columns, its sums in registers.
template <DType Format, int J>
void decode_pass(const std::byte* w, std::int64_t panel_bytes, const float* x, std::int64_t cols, float* y,
                 const __mmask16* mask) {
  constexpr std::int64_t column = column_bytes(Format);
  __m512 sum[J];
#pragma GCC unroll 4
  for (int j = 0; j < J; ++j) sum[j] = _mm512_setzero_ps();
  for (std::int64_t k = 0; k < cols; ++k) {
    const __m512 xv = _mm512_set1_ps(x[k]);
#pragma GCC unroll 4
    for (int j = 0; j < J; ++j)
      sum[j] = _mm512_fmadd_ps(load_column<Format>(w + j * panel_bytes + k * column), xv, sum[j]);
  }
#pragma GCC unroll 4
  for (int j = 0; j < J; ++j) _mm512_mask_storeu_ps(y + j * kPanelRows, mask[j], sum[j]);
}

template <DType Format, std::size_t... Index>
constexpr auto decode_passes(std::index_sequence<Index...>) {
  using Pass = void (*)(const std::byte*, std::int64_t, const float*, std::int64_t, float*, const __mmask16*);
  return std::array<Pass, sizeof...(Index)>{&decode_pass<Format, static_cast<int>(Index) + 1>...};
}

template <DType Format>
void decode_panels(const WeightView& weight, const float* x, float* y, std::int64_t row_begin, std::int64_t row_end) {
  static constexpr auto passes = decode_passes<Format>(std::make_index_sequence<kDecodePanels>());
  const std::int64_t panel_bytes = weight.cols * column_bytes(Format);
  const std::int64_t g_end = float_row_panel_count(row_end);
  for (std::int64_t g = row_begin / kPanelRows; g < g_end; g += kDecodePanels) {
    const int panels = static_cast<int>(std::min<std::int64_t>(kDecodePanels, g_end - g));
    __mmask16 mask[kDecodePanels];
    for (int j = 0; j < panels; ++j) mask[j] = owned_rows(g + j, row_begin, row_end);
    passes[static_cast<std::size_t>(panels - 1)](weight.data + g * panel_bytes, panel_bytes, x, weight.cols,
                                                 y + g * kPanelRows, mask);
  }
}

}  // namespace

std::int64_t avx512_float_panel_activation_floats(const WeightView& weight, std::int64_t positions) {
  if (weight.layout != WeightLayout::float_row_panels || positions < 2) return 0;
  return tile_count(positions) * kTileStride * weight.cols;
}

void avx512_pack_float_panel_activations(const WeightView& weight, const float* x, std::int64_t positions,
                                         std::int64_t begin, std::int64_t end, float* packed) {
  pack_tiles(x, positions, weight.cols, begin / kTilePositions, tile_count(end), packed);
}

void avx512_float_panel_matmul_packed_rows(const WeightView& weight, const float* packed, std::int64_t positions,
                                           float* y, std::int64_t rows_total, std::int64_t row_begin,
                                           std::int64_t row_end) {
  switch (weight.dtype) {
    case DType::f32: return prefill_panels<DType::f32>(weight, packed, positions, y, rows_total, row_begin, row_end);
    case DType::f16: return prefill_panels<DType::f16>(weight, packed, positions, y, rows_total, row_begin, row_end);
    default: return prefill_panels<DType::bf16>(weight, packed, positions, y, rows_total, row_begin, row_end);
  }
}

void avx512_float_panel_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                                    std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  if (positions == 1) {
    switch (weight.dtype) {
      case DType::f32: return decode_panels<DType::f32>(weight, x, y, row_begin, row_end);
      case DType::f16: return decode_panels<DType::f16>(weight, x, y, row_begin, row_end);
      default: return decode_panels<DType::bf16>(weight, x, y, row_begin, row_end);
    }
  }
  // Called alone (not through ops.h's matmul_batch, which packs once for every thread).
  float* packed = panel_scratch(0, static_cast<std::size_t>(avx512_float_panel_activation_floats(weight, positions)));
  avx512_pack_float_panel_activations(weight, x, positions, 0, positions, packed);
  avx512_float_panel_matmul_packed_rows(weight, packed, positions, y, rows_total, row_begin, row_end);
}

}  // namespace linea::cpu

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif

#endif
