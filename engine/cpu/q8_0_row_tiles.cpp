#include "engine/cpu/q8_0_row_tiles.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace linea::cpu {
namespace {

constexpr std::int64_t kBlockBytes = 34;  // {half d; int8 qs[32]}
constexpr std::int64_t kBlockValues = 32;

void require_q8_0(const WeightView& view, WeightLayout layout, const char* what) {
  if (view.dtype != DType::q8_0 || view.layout != layout || view.cols % kBlockValues != 0)
    throw std::invalid_argument(std::string(what) + ": expected a Q8_0 matrix in the " +
                                (layout == WeightLayout::rows ? "row" : "16-row tile") +
                                " layout with whole blocks, got " + std::string(dtype_name(view.dtype)) + " with " +
                                std::to_string(view.cols) + " columns");
}

// Where block `block` of row `r` of a tile lives, relative to the tile's first pair.
struct BlockPlace {
  std::int64_t scale, quants;
};

BlockPlace place(std::int64_t r, std::int64_t block) {
  const std::int64_t pair = (block / 2) * kQ8_0TilePairBytes, second = block % 2;
  return {pair + 32 * second + 2 * r, pair + kQ8_0TileQuantsAt + 64 * r + 32 * second};
}

}  // namespace

std::size_t q8_0_row_tiles_bytes(std::int64_t rows, std::int64_t cols) {
  const std::int64_t tiles = (rows + kQ8_0TileRows - 1) / kQ8_0TileRows;
  return static_cast<std::size_t>(tiles * q8_0_tile_pairs(cols) * kQ8_0TilePairBytes);
}

void pack_q8_0_row_tiles(const WeightView& rows_view, std::byte* out) {
  require_q8_0(rows_view, WeightLayout::rows, "pack_q8_0_row_tiles");
  const std::int64_t blocks = rows_view.cols / kBlockValues, pairs = q8_0_tile_pairs(rows_view.cols);
  const std::int64_t tiles = (rows_view.rows + kQ8_0TileRows - 1) / kQ8_0TileRows;
  for (std::int64_t g = 0; g < tiles; ++g) {
    std::byte* tile = out + g * pairs * kQ8_0TilePairBytes;
    const std::int64_t rows = std::min(kQ8_0TileRows, rows_view.rows - g * kQ8_0TileRows);
    // What no block fills (padding rows, the missing second block of an odd last pair) is zero; a
    // whole tile of an even number of blocks is filled by the copies alone.
    if (rows < kQ8_0TileRows || blocks % 2 != 0)
      std::memset(tile, 0, static_cast<std::size_t>(pairs * kQ8_0TilePairBytes));
    for (std::int64_t r = 0; r < rows; ++r) {
      const std::byte* row = rows_view.row(g * kQ8_0TileRows + r);
      for (std::int64_t b = 0; b < blocks; ++b) {
        const BlockPlace at = place(r, b);
        std::memcpy(tile + at.scale, row + b * kBlockBytes, 2);
        std::memcpy(tile + at.quants, row + b * kBlockBytes + 2, kBlockValues);
      }
    }
  }
}

void q8_0_row_tiles_block(const WeightView& tiles, std::int64_t row, std::int64_t block, std::byte* out) {
  require_q8_0(tiles, WeightLayout::q8_0_row_tiles, "q8_0_row_tiles_block");
  const std::byte* tile = tiles.data + (row / kQ8_0TileRows) * q8_0_tile_pairs(tiles.cols) * kQ8_0TilePairBytes;
  const BlockPlace at = place(row % kQ8_0TileRows, block);
  std::memcpy(out, tile + at.scale, 2);
  std::memcpy(out + 2, tile + at.quants, kBlockValues);
}

void q8_0_row_tiles_row_to_f32(const WeightView& tiles, std::int64_t row, float* out) {
  std::byte block[kBlockBytes];
  for (std::int64_t b = 0; b < tiles.cols / kBlockValues; ++b) {
    q8_0_row_tiles_block(tiles, row, b, block);
    convert_to_f32(DType::q8_0, block, kBlockValues, out + b * kBlockValues);
  }
}

}  // namespace linea::cpu
