// A 2-D weight matrix used in place, straight from the memory-mapped file: nn.Linear layout
// [rows = out, cols = in], row-major, in the file's own dtype. Kernels convert rows (or tiles of
// rows) to f32 as they go; nothing is copied to f32 at load. Where the active kernels read another
// arrangement of the same bytes faster, a model keeps a regrouped copy instead (packed_weights.h).
#pragma once

#include "engine/core/dtype.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace linea::cpu {

// How the bytes of a matrix are arranged.
enum class WeightLayout {
  rows,              // row after row, as in the file
  q4_k_row_groups,   // Q4_K, 8 rows side by side per block (q4_k_row_groups.h)
  bf16_pair_tiles,   // BF16, 16 rows × 32 columns per tile, column pairs interleaved (bf16_pair_tiles.h)
  float_row_panels,  // F32, F16 or BF16, 16 rows side by side per column (float_row_panels.h)
  q8_0_row_tiles,    // Q8_0, 16 rows side by side per pair of blocks, scales together (q8_0_row_tiles.h)
};

struct WeightView {
  DType dtype = DType::f32;
  std::int64_t rows = 0;  // output features
  std::int64_t cols = 0;  // input features (contiguous)
  const std::byte* data = nullptr;
  WeightLayout layout = WeightLayout::rows;

  // Bytes of one row's values (in any layout: what a product reads per row).
  std::size_t row_bytes() const;
  // Where row `index` starts; the rows layout only.
  const std::byte* row(std::int64_t index) const { return data + static_cast<std::size_t>(index) * row_bytes(); }
};

// The dtypes a WeightView may hold (the CPU kernels convert them row by row): F32, F16, BF16 and the
// ggml quantized blocks io::dequantize reads.
bool weight_dtype_supported(DType dtype);

// Converts `count` consecutive elements of `dtype` at `source` (any alignment) to f32.
// Quantized dtypes are converted block by block; `count` must then be a multiple of the block size.
void convert_to_f32(DType dtype, const std::byte* source, std::int64_t count, float* out);

// Every IEEE half value as a float (fp16_to_f32 of each, 256 KiB, built on first use). Converting a
// weight by one table load is several times faster than the bit manipulation, which matters in
// decode, where every F16 weight is converted once per token.
const std::array<float, 65536>& fp16_table();

// Row `index` of `weight` as f32 (`out` holds weight.cols floats), in any layout.
void weight_row_to_f32(const WeightView& weight, std::int64_t index, float* out);

}  // namespace linea::cpu
