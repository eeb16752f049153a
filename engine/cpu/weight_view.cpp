#include "engine/cpu/weight_view.h"

#include "engine/core/float16.h"
#include "engine/cpu/bf16_pair_tiles.h"
#include "engine/cpu/float_row_panels.h"
#include "engine/cpu/q4_k_row_groups.h"
#include "engine/cpu/q8_0_row_tiles.h"
#include "engine/io/dequantize.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace linea::cpu {

std::size_t WeightView::row_bytes() const {
  const DTypeInfo info = dtype_info(dtype);
  return static_cast<std::size_t>(cols / info.block_size) * info.block_bytes;
}

const std::array<float, 65536>& fp16_table() {
  static const std::array<float, 65536> table = [] {
    std::array<float, 65536> values{};
    for (std::uint32_t bits = 0; bits <= 0xFFFF; ++bits) values[bits] = fp16_to_f32(static_cast<std::uint16_t>(bits));
    return values;
  }();
  return table;
}

bool weight_dtype_supported(DType dtype) {
  return dtype == DType::f32 || dtype == DType::f16 || dtype == DType::bf16 ||
         (dtype_info(dtype).quantized && io::can_convert_to_f32(dtype));
}

void convert_to_f32(DType dtype, const std::byte* source, std::int64_t count, float* out) {
  const auto n = static_cast<std::size_t>(count);
  switch (dtype) {
    case DType::f32: std::memcpy(out, source, n * sizeof(float)); return;
    case DType::f16: {
      const float* table = fp16_table().data();
      for (std::size_t i = 0; i < n; ++i) {
        std::uint16_t bits;
        std::memcpy(&bits, source + 2 * i, 2);
        out[i] = table[bits];
      }
      return;
    }
    case DType::bf16:
      for (std::size_t i = 0; i < n; ++i) {
        std::uint16_t bits;
        std::memcpy(&bits, source + 2 * i, 2);
        out[i] = bf16_to_f32(bits);
      }
      return;
    default:
      // Quantized blocks (Q8_0, Q4_K, ...): the reference dequantizer, one row or tile at a time.
      if (!weight_dtype_supported(dtype))
        throw std::invalid_argument("convert_to_f32: the CPU kernels do not read " + std::string(dtype_name(dtype)) +
                                    " weights");
      io::dequantize(dtype, source, n, out);
      return;
  }
}

void weight_row_to_f32(const WeightView& weight, std::int64_t index, float* out) {
  if (weight.layout == WeightLayout::rows) {
    convert_to_f32(weight.dtype, weight.row(index), weight.cols, out);
    return;
  }
  if (weight.layout == WeightLayout::bf16_pair_tiles) {
    bf16_pair_tiles_row_to_f32(weight, index, out);
    return;
  }
  if (weight.layout == WeightLayout::float_row_panels) {
    float_row_panels_row_to_f32(weight, index, out);
    return;
  }
  if (weight.layout == WeightLayout::q8_0_row_tiles) {
    q8_0_row_tiles_row_to_f32(weight, index, out);
    return;
  }
  std::byte block[kQ4_KRowBlockBytes];
  for (std::int64_t s = 0; s < weight.cols / kQ4_KBlockValues; ++s) {
    q4_k_row_groups_block(weight, index, s, block);
    convert_to_f32(DType::q4_k, block, kQ4_KBlockValues, out + s * kQ4_KBlockValues);
  }
}

}  // namespace linea::cpu
