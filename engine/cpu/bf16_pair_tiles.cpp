#include "engine/cpu/bf16_pair_tiles.h"

#include "engine/core/float16.h"
#include "engine/cpu/word_transpose.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace linea::cpu {
namespace {

void require_bf16(const WeightView& view, WeightLayout layout, const char* what) {
  if (view.dtype != DType::bf16 || view.layout != layout)
    throw std::invalid_argument(std::string(what) + ": expected a BF16 matrix in the " +
                                (layout == WeightLayout::rows ? "row" : "pair-tile") + " layout, got " +
                                std::string(dtype_name(view.dtype)));
}

// Where W[row][col] lies in the regrouped bytes.
std::size_t tiled_offset(std::int64_t blocks, std::int64_t row, std::int64_t col) {
  const std::int64_t tile = row / kBf16TileRows * blocks + col / kBf16TileCols;
  const std::int64_t in_block = col % kBf16TileCols;
  return static_cast<std::size_t>(tile * kBf16TileBytes + ((in_block / 2) * kBf16TileRows + row % kBf16TileRows) * 4 +
                                  (in_block % 2) * 2);
}

}  // namespace

std::size_t bf16_pair_tiles_bytes(std::int64_t rows, std::int64_t cols) {
  const std::int64_t groups = (rows + kBf16TileRows - 1) / kBf16TileRows;
  return static_cast<std::size_t>(groups * bf16_pair_tile_blocks(cols) * kBf16TileBytes);
}

void pack_bf16_pair_tiles(const WeightView& rows_view, std::byte* out) {
  require_bf16(rows_view, WeightLayout::rows, "pack_bf16_pair_tiles");
  const std::int64_t blocks = bf16_pair_tile_blocks(rows_view.cols), cols = rows_view.cols;
  // Tile by tile, each written from start to end while the 16 rows' 64 bytes it takes stay in L1.
  // A whole tile is the transpose of a 16 × 16 matrix of pairs (4 bytes), done in 4 × 4 blocks.
  std::byte* tile = out;
  for (std::int64_t g0 = 0; g0 < rows_view.rows; g0 += kBf16TileRows) {
    const std::int64_t rows = std::min(kBf16TileRows, rows_view.rows - g0);
    const std::byte* row[kBf16TileRows];
    for (std::int64_t r = 0; r < rows; ++r) row[r] = rows_view.row(g0 + r);
    for (std::int64_t b = 0; b < blocks; ++b, tile += kBf16TileBytes) {
      const std::int64_t c0 = b * kBf16TileCols;
      if (rows == kBf16TileRows && c0 + kBf16TileCols <= cols) {
        transpose_16_words(row, 2 * c0, 4, tile);  // a pair of bf16 is one 4-byte word
        continue;
      }
      // A tile at the matrix's edge: zeros past it, a pair (or the last value) at a time.
      std::memset(tile, 0, kBf16TileBytes);
      for (std::int64_t j = 0; j < kBf16TileCols / 2 && c0 + 2 * j < cols; ++j) {
        const std::size_t bytes = c0 + 2 * j + 1 < cols ? 4 : 2;
        for (std::int64_t r = 0; r < rows; ++r)
          std::memcpy(tile + (j * kBf16TileRows + r) * 4, row[r] + 2 * (c0 + 2 * j), bytes);
      }
    }
  }
}

void bf16_pair_tiles_row_to_f32(const WeightView& tiled, std::int64_t row, float* out) {
  require_bf16(tiled, WeightLayout::bf16_pair_tiles, "bf16_pair_tiles_row_to_f32");
  const std::int64_t blocks = bf16_pair_tile_blocks(tiled.cols);
  for (std::int64_t c = 0; c < tiled.cols; ++c) {
    std::uint16_t bits;
    std::memcpy(&bits, tiled.data + tiled_offset(blocks, row, c), 2);
    out[c] = bf16_to_f32(bits);
  }
}

}  // namespace linea::cpu
