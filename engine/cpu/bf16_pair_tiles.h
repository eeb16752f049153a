// BF16 weights regrouped at load for the AMX product (amx_kernels.cpp): in tiles of 16 rows × 32
// columns, each the operand an AMX bf16 dot product takes as its right side, so a tile is one
// contiguous 1 KiB load and decode streams the matrix from start to end.
//
// Group g holds rows 16g … 16g + 15, block b columns 32b … 32b + 31; rows past the matrix and columns
// past its width are zero. Tile (g, b) starts at byte (g·B + b)·1024, B = ⌈cols / 32⌉ blocks per row.
// Inside it, the 4 bytes at (16·j + r)·4 hold W[16g + r][32b + 2j] then W[16g + r][32b + 2j + 1]
// (j = 0 … 15 the column pair, r = 0 … 15 the row): pair j of every row, row after row.
#pragma once

#include "engine/cpu/weight_view.h"

#include <cstddef>
#include <cstdint>

namespace linea::cpu {

constexpr std::int64_t kBf16TileRows = 16;
constexpr std::int64_t kBf16TileCols = 32;
constexpr std::int64_t kBf16TileBytes = kBf16TileRows * kBf16TileCols * 2;

// Column blocks of 32 per row (the last one zero-padded).
constexpr std::int64_t bf16_pair_tile_blocks(std::int64_t cols) { return (cols + kBf16TileCols - 1) / kBf16TileCols; }

// Bytes of the regrouped form of a [rows, cols] BF16 matrix (whole tiles).
std::size_t bf16_pair_tiles_bytes(std::int64_t rows, std::int64_t cols);

// Writes the regrouped form of `rows_view` (BF16, layout rows) to `out` (bf16_pair_tiles_bytes).
void pack_bf16_pair_tiles(const WeightView& rows_view, std::byte* out);

// Row `row` of a regrouped view as f32 (cols values; exact, as from the file).
void bf16_pair_tiles_row_to_f32(const WeightView& tiled, std::int64_t row, float* out);

}  // namespace linea::cpu
