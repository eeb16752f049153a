// Q8_0 weights regrouped at load for the avx512 table's VNNI product (avx512_vnni_kernels.cpp): 16
// rows side by side per pair of blocks, so that decode reads the 16 rows' block scales as one cache
// line instead of gathering them from 16 rows, and streams the whole tile from start to end.
//
// Tile g holds rows 16g … 16g + 15, pair p blocks 2p and 2p + 1 (values 64p … 64p + 63) of each row;
// with P = ⌈blocks / 2⌉ pairs per row, pair p of tile g starts at (g·P + p)·1088 bytes:
//   [0, 32)              d of block 2p, rows 0–15 (f16)
//   [32, 64)             d of block 2p + 1, rows 0–15
//   [64 + 64r, 96 + 64r)   qs of row r's block 2p (32 signed bytes)
//   [96 + 64r, 128 + 64r)  qs of row r's block 2p + 1
// The bytes are the rows' own (1088 = 16 × 2 × 34). A row with an odd number of blocks has a last
// pair whose second block is zero bytes (d = 0); rows past the matrix are zero bytes too.
#pragma once

#include "engine/cpu/weight_view.h"

#include <cstddef>
#include <cstdint>

namespace linea::cpu {

constexpr std::int64_t kQ8_0TileRows = 16;
constexpr std::int64_t kQ8_0PairValues = 64;
constexpr std::int64_t kQ8_0TilePairBytes = 1088;
constexpr std::int64_t kQ8_0TileQuantsAt = 64;  // of a tile pair: after the 32 scales

// Pairs of blocks per row (the last may hold one block).
constexpr std::int64_t q8_0_tile_pairs(std::int64_t cols) { return (cols / 32 + 1) / 2; }

// Bytes of the regrouped form of a [rows, cols] Q8_0 matrix (whole tiles).
std::size_t q8_0_row_tiles_bytes(std::int64_t rows, std::int64_t cols);

// Writes the regrouped form of `rows_view` (Q8_0, layout rows) to `out` (q8_0_row_tiles_bytes).
void pack_q8_0_row_tiles(const WeightView& rows_view, std::byte* out);

// The 34 bytes of Q8_0 block `block` of row `row`, as the file had them, from a regrouped view.
void q8_0_row_tiles_block(const WeightView& tiles, std::int64_t row, std::int64_t block, std::byte* out);

// Row `row` of a regrouped view as f32 (cols values; exact, as from the file).
void q8_0_row_tiles_row_to_f32(const WeightView& tiles, std::int64_t row, float* out);

}  // namespace linea::cpu
