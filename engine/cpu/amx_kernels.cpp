// The amx kernel table: the avx512 table with BF16 matrices multiplied on AMX tiles (Sapphire Rapids
// and later). The weights are regrouped at load into the tiles the bf16 tile product takes
// (bf16_pair_tiles.h). The activations are split exactly into three bf16 terms, x = hi + mid + lo
// (each the nearest bf16 to what the terms before it left: 8 + 8 + 8 significant bits hold all 24 of
// an f32), so every product W·term is exact in f32 and only the order of the f32 additions differs
// from the reference: the answers of an f32 product, not those of activations rounded to bf16.
// Measured on a Xeon with AMX: a tile product (16 × 16 × 32) takes 16 cycles, 1024 flops per cycle,
// against 64 for AVX-512 FMAs; the three terms leave 5× the FMA rate, and vdpbf16ps ran at half of it.
//
// Only the functions inside the target region below are compiled for AVX-512 and AMX (as in
// avx512_kernels.cpp); the table itself is built by baseline code.
#include "engine/cpu/aligned_scratch.h"
#include "engine/cpu/simd_kernels.h"

#if defined(__x86_64__)

#include "engine/cpu/bf16_pair_tiles.h"
#include "engine/cpu/cpu_features.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/weight_view.h"

#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace linea::cpu {

namespace {

// Per-thread scratch: slot 0 the activations' terms, slot 1 the sums of partly owned row groups.
std::byte* amx_scratch(int slot, std::size_t bytes) {
  thread_local AlignedScratch<2> buffers;
  return buffers.get<std::byte>(slot, bytes);
}

}  // namespace

}  // namespace linea::cpu

#if defined(__clang__)
#pragma clang attribute push(                                                                                      \
    __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16,amx-tile,amx-bf16,avx2,fma,f16c,bmi2"))), \
    apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16,amx-tile,amx-bf16,avx2,fma,f16c,bmi2")
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

namespace linea::cpu {

namespace {

constexpr int kTerms = 3;                               // hi, mid, lo
constexpr std::int64_t kGroup = kBf16TileRows;          // rows of a weight tile, positions of an activation tile
constexpr std::int64_t kPairBytes = kBf16TileCols * 2;  // one tile row: 32 bf16
constexpr std::int64_t kTileBytes = kBf16TileBytes;
// Prefill takes positions in blocks and columns in chunks whose terms (3 × 2 bytes per value) fit
// in this many bytes, so that they stay in L2 while every row group of a thread passes over them.
constexpr std::int64_t kPanelBytes = 768 * 1024;
constexpr std::int64_t kChunkCols = 1024;

// The tile registers: sums C(m, n) = tmm(2m + n) for position group m and row group n, activations
// A(m) = tmm(4 + m), weights B(n) = tmm(6 + n). Position groups hold `rows0` and `rows1` positions
// (rows1 = 0: C(1, ·) and A(1) unused); the other shapes are fixed.
struct alignas(64) TileConfig {
  std::uint8_t palette = 1;
  std::uint8_t start_row = 0;
  std::uint8_t reserved[14] = {};
  std::uint16_t colsb[16] = {};
  std::uint8_t rows[16] = {};
};

// The tile instructions as inline assembly that tells the compiler what memory they touch. GCC 12's
// intrinsics do not: _tile_loadconfig declares 8 of the 64 bytes read (the stores of the shapes were
// dropped as dead, and the first tile instruction then faulted), _tile_loadd no memory at all (the
// stores of the activations' terms could move past it).
#define LINEA_TILE_LOAD(tile, base, stride) \
  asm volatile("tileloadd (%0,%1,1), %%tmm" #tile ::"r"(base), "r"(static_cast<long>(stride)) : "memory")
#define LINEA_TILE_STORE(tile, base, stride) \
  asm volatile("tilestored %%tmm" #tile ", (%0,%1,1)" ::"r"(base), "r"(static_cast<long>(stride)) : "memory")
#define LINEA_TILE_ZERO(tile) asm volatile("tilezero %%tmm" #tile ::)
#define LINEA_TILE_DOT_BF16(sums, a, b) asm volatile("tdpbf16ps %%tmm" #b ", %%tmm" #a ", %%tmm" #sums ::)

void load_config(const TileConfig& config) { asm volatile("ldtilecfg %0" ::"m"(config)); }
void release_tiles() { asm volatile("tilerelease" ::); }

void configure(int rows0, int rows1) {
  TileConfig config;
  const auto set = [&](int tile, int rows) {
    config.rows[tile] = static_cast<std::uint8_t>(rows);
    config.colsb[tile] = kPairBytes;
  };
  set(0, rows0);
  set(1, rows0);
  set(4, rows0);
  if (rows1 > 0) {
    set(2, rows1);
    set(3, rows1);
    set(5, rows1);
  }
  set(6, kGroup);
  set(7, kGroup);
  load_config(config);
}

__m512 widen_low(__m512bh v) {
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_castsi512_si256(__m512i(v))), 16));
}
__m512 widen_high(__m512bh v) {
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(__m512i(v), 1)), 16));
}

// The three bf16 terms of x[0 … n) (n ≤ 32; zeros past n), 64 bytes each at term[0], term[1], term[2].
// Each term is the nearest bf16 to what the terms before it left; the subtractions are exact.
void split32(const float* x, int n, std::byte* const* term) {
  const auto mask = [](int count) {
    return static_cast<__mmask16>(count >= 16 ? 0xFFFF : count <= 0 ? 0 : (1u << count) - 1u);
  };
  __m512 low = _mm512_maskz_loadu_ps(mask(n), x), high = _mm512_maskz_loadu_ps(mask(n - 16), x + 16);
  for (int s = 0; s < kTerms; ++s) {
    const __m512bh rounded = _mm512_cvtne2ps_pbh(high, low);  // values 0–15 from low, 16–31 from high
    _mm512_storeu_si512(term[s], __m512i(rounded));
    low = _mm512_sub_ps(low, widen_low(rounded));
    high = _mm512_sub_ps(high, widen_high(rounded));
  }
}

// The terms of positions [p0, p0 + count) over columns [k0, k0 + chunk) (chunk a multiple of 32) as
// the activation tiles of the product: term s of the 16 positions of group q over column block k is
// the 1 KiB at panel + ((q·K + k)·3 + s)·1024, K = chunk / 32 (row = position within the group).
// Each tile one contiguous load, and a group's tiles in the order the product takes them: prefill
// 1.04–1.08× faster than with the tiles' rows 2·chunk bytes apart.
void pack_terms(const float* x, std::int64_t cols, std::int64_t p0, std::int64_t count, std::int64_t k0,
                std::int64_t chunk, std::byte* panel) {
  const std::int64_t blocks = chunk / 32;
  for (std::int64_t p = 0; p < count; ++p) {
    const float* row = x + (p0 + p) * cols;
    std::byte* group = panel + p / kGroup * blocks * kTerms * kTileBytes + p % kGroup * kPairBytes;
    for (std::int64_t k = 0; k < chunk; k += 32) {
      std::byte* at = group + k / 32 * kTerms * kTileBytes;
      std::byte* const term[kTerms] = {at, at + kTileBytes, at + 2 * kTileBytes};
      const std::int64_t left = cols - (k0 + k);
      split32(row + k0 + std::min<std::int64_t>(k, cols - k0), static_cast<int>(std::clamp<std::int64_t>(left, 0, 32)),
              term);
    }
  }
}

// Where the sums of one (position group, row group) tile live: y itself, or scratch for a row group
// the thread owns only part of.
struct SumTile {
  float* at = nullptr;
  std::int64_t stride = 0;  // bytes
};

// The sums of a thread's rows [row_begin, row_end) for one block of positions. The first and last
// row group may hold rows of another thread's range: their tiles go to scratch, and finish() copies
// only this range's rows to y.
class RangeSums {
 public:
  RangeSums(float* y, std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end,
            std::int64_t block_positions)
      : y_(y), rows_total_(rows_total), row_begin_(row_begin), row_end_(row_end), block_positions_(block_positions) {
    partial_ = reinterpret_cast<float*>(amx_scratch(1, static_cast<std::size_t>(2 * block_positions * kGroup * 4)));
  }

  std::int64_t group_begin() const { return row_begin_ / kGroup; }
  std::int64_t group_end() const { return (row_end_ + kGroup - 1) / kGroup; }

  // The tile of row group `group` and positions p0 + t … p0 + t + 15.
  SumTile tile(std::int64_t group, std::int64_t p0, std::int64_t t) const {
    if (owned_whole(group)) return {y_ + (p0 + t) * rows_total_ + group * kGroup, rows_total_ * 4};
    return {partial(group) + t * kGroup, kGroup * 4};
  }

  // Copies the finished sums of positions p0 + [t_begin, t_end) of a partly owned group to y.
  void finish(std::int64_t group, std::int64_t p0, std::int64_t t_begin, std::int64_t t_end) const {
    if (owned_whole(group)) return;
    const float* sums = partial(group);
    const std::int64_t from = std::max(row_begin_, group * kGroup), to = std::min(row_end_, (group + 1) * kGroup);
    for (std::int64_t t = t_begin; t < t_end; ++t)
      for (std::int64_t row = from; row < to; ++row)
        y_[(p0 + t) * rows_total_ + row] = sums[t * kGroup + row - group * kGroup];
  }

 private:
  bool owned_whole(std::int64_t group) const {
    return group * kGroup >= row_begin_ && (group + 1) * kGroup <= row_end_;
  }
  float* partial(std::int64_t group) const {
    return partial_ + (group == group_begin() ? 0 : 1) * block_positions_ * kGroup;
  }

  float* y_;
  std::int64_t rows_total_, row_begin_, row_end_, block_positions_;
  float* partial_ = nullptr;
};

// C(m, n) += Σ_blocks Σ_s A_s(m) · B(n) over `blocks` column blocks, for Ms position groups and Ns row
// groups; every sum takes its blocks in order and the terms hi, mid, lo within each block, whatever
// Ms, Ns and the chunking (the same bits for decode and prefill).
template <int Ms, int Ns>
void tile_product(const std::byte* a, const std::byte* const* b, std::int64_t blocks, const SumTile (&c)[2][2],
                  bool first) {
  if (first) {
    LINEA_TILE_ZERO(0);
    if constexpr (Ns > 1) LINEA_TILE_ZERO(1);
    if constexpr (Ms > 1) LINEA_TILE_ZERO(2);
    if constexpr (Ms > 1 && Ns > 1) LINEA_TILE_ZERO(3);
  } else {
    LINEA_TILE_LOAD(0, c[0][0].at, c[0][0].stride);
    if constexpr (Ns > 1) LINEA_TILE_LOAD(1, c[0][1].at, c[0][1].stride);
    if constexpr (Ms > 1) LINEA_TILE_LOAD(2, c[1][0].at, c[1][0].stride);
    if constexpr (Ms > 1 && Ns > 1) LINEA_TILE_LOAD(3, c[1][1].at, c[1][1].stride);
  }
  const std::byte* second = a + blocks * kTerms * kTileBytes;  // the next position group's tiles
  for (std::int64_t block = 0; block < blocks; ++block) {
    LINEA_TILE_LOAD(6, b[0] + block * kTileBytes, kPairBytes);
    if constexpr (Ns > 1) LINEA_TILE_LOAD(7, b[1] + block * kTileBytes, kPairBytes);
    for (int s = 0; s < kTerms; ++s) {
      const std::int64_t offset = (block * kTerms + s) * kTileBytes;
      LINEA_TILE_LOAD(4, a + offset, kPairBytes);
      if constexpr (Ms > 1) LINEA_TILE_LOAD(5, second + offset, kPairBytes);
      LINEA_TILE_DOT_BF16(0, 4, 6);
      if constexpr (Ns > 1) LINEA_TILE_DOT_BF16(1, 4, 7);
      if constexpr (Ms > 1) LINEA_TILE_DOT_BF16(2, 5, 6);
      if constexpr (Ms > 1 && Ns > 1) LINEA_TILE_DOT_BF16(3, 5, 7);
    }
  }
  LINEA_TILE_STORE(0, c[0][0].at, c[0][0].stride);
  if constexpr (Ns > 1) LINEA_TILE_STORE(1, c[0][1].at, c[0][1].stride);
  if constexpr (Ms > 1) LINEA_TILE_STORE(2, c[1][0].at, c[1][0].stride);
  if constexpr (Ms > 1 && Ns > 1) LINEA_TILE_STORE(3, c[1][1].at, c[1][1].stride);
}

void amx_bf16_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                          std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  const std::int64_t cols = weight.cols, blocks = bf16_pair_tile_blocks(cols), padded = blocks * 32;
  // Up to 32 positions (one pair of position groups) take all columns at once; more take chunks of
  // columns and blocks of positions whose terms fit in kPanelBytes.
  const bool few = positions <= 2 * kGroup;
  const std::int64_t chunk = few ? padded : std::min(padded, kChunkCols);
  const std::int64_t block_positions =
      few ? positions
          : std::max<std::int64_t>(2 * kGroup, kPanelBytes / (kTerms * chunk * 2) / (2 * kGroup) * (2 * kGroup));
  const std::int64_t position_groups = (block_positions + kGroup - 1) / kGroup;
  std::byte* panel = amx_scratch(0, static_cast<std::size_t>(position_groups * (chunk / 32) * kTerms * kTileBytes));
  const RangeSums sums(y, rows_total, row_begin, row_end, block_positions);
  const std::int64_t group_begin = sums.group_begin(), group_end = sums.group_end();
  int configured0 = -1, configured1 = -1;

  for (std::int64_t p0 = 0; p0 < positions; p0 += block_positions) {
    const std::int64_t count = std::min(block_positions, positions - p0);
    for (std::int64_t k0 = 0; k0 < padded; k0 += chunk) {
      const std::int64_t chunk_cols = std::min(chunk, padded - k0);
      pack_terms(x, cols, p0, count, k0, chunk_cols, panel);
      const bool first = k0 == 0, last = k0 + chunk_cols == padded;
      for (std::int64_t g = group_begin; g < group_end; g += 2) {
        const int ns = static_cast<int>(std::min<std::int64_t>(2, group_end - g));
        const std::byte* b[2] = {weight.data + (g * blocks + k0 / 32) * kTileBytes,
                                 ns > 1 ? weight.data + ((g + 1) * blocks + k0 / 32) * kTileBytes : nullptr};
        for (std::int64_t m0 = 0; m0 < count; m0 += 2 * kGroup) {
          const int rows0 = static_cast<int>(std::min<std::int64_t>(kGroup, count - m0));
          const int rows1 = static_cast<int>(std::clamp<std::int64_t>(count - m0 - kGroup, 0, kGroup));
          if (rows0 != configured0 || rows1 != configured1) {
            configure(rows0, rows1);
            configured0 = rows0;
            configured1 = rows1;
          }
          SumTile c[2][2];
          for (int m = 0; m < 2; ++m)
            for (int n = 0; n < ns; ++n) c[m][n] = sums.tile(g + n, p0, m0 + m * kGroup);
          const std::int64_t blocks_here = chunk_cols / 32;
          const std::byte* a = panel + m0 / kGroup * blocks_here * kTerms * kTileBytes;
          if (rows1 > 0 && ns > 1)
            tile_product<2, 2>(a, b, blocks_here, c, first);
          else if (rows1 > 0)
            tile_product<2, 1>(a, b, blocks_here, c, first);
          else if (ns > 1)
            tile_product<1, 2>(a, b, blocks_here, c, first);
          else
            tile_product<1, 1>(a, b, blocks_here, c, first);
          if (last)
            for (int n = 0; n < ns; ++n) sums.finish(g + n, p0, m0, m0 + rows0 + rows1);
        }
      }
    }
  }
  // Back to the initial tile state: a thread holding tile data costs 8 KiB more per context switch.
  release_tiles();
}

void amx_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                     std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  if (weight.layout == WeightLayout::bf16_pair_tiles)
    amx_bf16_matmul_rows(weight, x, positions, y, rows_total, row_begin, row_end);
  else
    avx512_kernels()->matmul_rows(weight, x, positions, y, rows_total, row_begin, row_end);
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

namespace {

WeightLayout amx_preferred_layout(DType dtype) {
  return dtype == DType::bf16 ? WeightLayout::bf16_pair_tiles : avx512_kernels()->preferred_layout(dtype);
}

}  // namespace

const Kernels* amx_kernels() {
  static const Kernels table = [] {
    Kernels t = *avx512_kernels();
    t.name = "amx";
    t.matmul_rows = amx_matmul_rows;
    t.preferred_layout = amx_preferred_layout;
    return t;
  }();
  return &table;
}

}  // namespace linea::cpu

#else

namespace linea::cpu {
const Kernels* amx_kernels() { return nullptr; }
}  // namespace linea::cpu

#endif
