#include "engine/cpu/q4_k_row_groups.h"

#include "engine/io/k_quant_scales.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace linea::cpu {
namespace {

constexpr int kSubBlocks = 8;
constexpr std::int64_t kNibbleOffset = 16;  // of a row's block: {d, dmin, 12 scale bytes, 128 nibble bytes}
constexpr std::int64_t kScaleOffset = 4;
constexpr std::int64_t kGroupNibbles = 128;  // of a group block: after {d, dmin, scales}

void require_q4_k(const WeightView& view, WeightLayout layout, const char* what) {
  if (view.dtype != DType::q4_k || view.layout != layout || view.cols % kQ4_KBlockValues != 0)
    throw std::invalid_argument(std::string(what) + ": expected a Q4_K matrix in the " +
                                (layout == WeightLayout::rows ? "row" : "8-row group") +
                                " layout with whole blocks, got " + std::string(dtype_name(view.dtype)) + " with " +
                                std::to_string(view.cols) + " columns");
}

}  // namespace

std::size_t q4_k_row_groups_bytes(std::int64_t rows, std::int64_t cols) {
  const std::int64_t groups = (rows + kQ4_KGroupRows - 1) / kQ4_KGroupRows;
  return static_cast<std::size_t>(groups * (cols / kQ4_KBlockValues) * kQ4_KGroupBlockBytes);
}

void pack_q4_k_row_groups(const WeightView& rows_view, std::byte* out) {
  require_q4_k(rows_view, WeightLayout::rows, "pack_q4_k_row_groups");
  const std::int64_t blocks = rows_view.cols / kQ4_KBlockValues;
  const std::int64_t groups = (rows_view.rows + kQ4_KGroupRows - 1) / kQ4_KGroupRows;
  const std::size_t row_bytes = rows_view.row_bytes();
  static constexpr std::byte kZeroBlock[kQ4_KRowBlockBytes] = {};
  for (std::int64_t g = 0; g < groups; ++g) {
    const std::byte* rows[kQ4_KGroupRows];  // rows past the matrix read as zero blocks
    for (std::int64_t r = 0; r < kQ4_KGroupRows; ++r) {
      const std::int64_t row = g * kQ4_KGroupRows + r;
      rows[r] = row < rows_view.rows ? rows_view.data + static_cast<std::size_t>(row) * row_bytes : nullptr;
    }
    for (std::int64_t s = 0; s < blocks; ++s) {
      std::byte* group_block = out + (g * blocks + s) * kQ4_KGroupBlockBytes;
      std::uint8_t scale[64], min[64];  // entry 8j + r
      for (std::int64_t r = 0; r < kQ4_KGroupRows; ++r) {
        const std::byte* block = rows[r] ? rows[r] + s * kQ4_KRowBlockBytes : kZeroBlock;
        std::memcpy(group_block + 2 * r, block, 2);
        std::memcpy(group_block + 16 + 2 * r, block + 2, 2);
        const io::KQuantScales six = io::unpack_k_quant_scales(block + kScaleOffset);
        for (int j = 0; j < kSubBlocks; ++j) {
          scale[8 * j + r] = six.scale[j];
          min[8 * j + r] = six.min[j];
        }
        for (int step = 0; step < 32; ++step)  // (c, k) = (step / 8, step % 8)
          std::memcpy(group_block + kGroupNibbles + step * 32 + r * 4, block + kNibbleOffset + 4 * step, 4);
      }
      auto* bytes = reinterpret_cast<std::uint8_t*>(group_block);
      for (int i = 0; i < 32; ++i) {
        bytes[32 + i] = static_cast<std::uint8_t>((scale[i] & 15) | ((scale[32 + i] & 15) << 4));
        bytes[64 + i] = static_cast<std::uint8_t>((min[i] & 15) | ((min[32 + i] & 15) << 4));
        bytes[96 + i] = static_cast<std::uint8_t>((scale[i] >> 4) | ((scale[32 + i] >> 4) << 2) | ((min[i] >> 4) << 4) |
                                                  ((min[32 + i] >> 4) << 6));
      }
    }
  }
}

void q4_k_row_groups_block(const WeightView& grouped, std::int64_t row, std::int64_t block, std::byte* out) {
  const std::int64_t blocks = grouped.cols / kQ4_KBlockValues;
  const std::int64_t r = row % kQ4_KGroupRows;
  const std::byte* group_block = grouped.data + (row / kQ4_KGroupRows * blocks + block) * kQ4_KGroupBlockBytes;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(group_block);
  std::memcpy(out, group_block + 2 * r, 2);
  std::memcpy(out + 2, group_block + 16 + 2 * r, 2);
  io::KQuantScales six;
  for (int j = 0; j < kSubBlocks; ++j) {
    const int e = 8 * j + static_cast<int>(r), i = e % 32, high = e / 32;  // high: the second nibble / bit pair
    six.scale[j] =
        static_cast<std::uint8_t>(((bytes[32 + i] >> (4 * high)) & 15) | (((bytes[96 + i] >> (2 * high)) & 3) << 4));
    six.min[j] = static_cast<std::uint8_t>(((bytes[64 + i] >> (4 * high)) & 15) |
                                           (((bytes[96 + i] >> (4 + 2 * high)) & 3) << 4));
  }
  io::pack_k_quant_scales(six, out + kScaleOffset);
  for (int c = 0; c < 4; ++c)
    for (int k = 0; k < 8; ++k)
      std::memcpy(out + kNibbleOffset + 32 * c + 4 * k, group_block + kGroupNibbles + (c * 8 + k) * 32 + r * 4, 4);
}

}  // namespace linea::cpu
