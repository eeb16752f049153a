// Converting stored tensors to float32: the plain float types (F32, F16, BF16, F64) and the ggml
// quantized blocks Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K (model-spec §6.3). Plain reference
// code, bit-for-bit equal to gguf-py's dequantize (tests/data/io goldens); fast kernels are tested
// against it.
#pragma once

#include "engine/core/dtype.h"
#include "engine/io/tensor_source.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace linea::io {

bool can_convert_to_f32(DType type);

// Converts `n_elements` values stored as `type` starting at `source` (n_elements a multiple of the
// type's block size) into `out`. Throws std::invalid_argument for a type we cannot convert.
void dequantize(DType type, const std::byte* source, std::size_t n_elements, float* out);

// A tensor's rows are its innermost dimension (a scalar is one row of one element); quantized
// blocks never straddle rows.
std::int64_t row_length(const TensorInfo& tensor);
std::int64_t row_count(const TensorInfo& tensor);

// The whole tensor as float32, row-major (PyTorch order). Throws std::invalid_argument naming the
// tensor when its dtype cannot be converted.
std::vector<float> to_f32(const TensorInfo& tensor);
// Rows [first_row, first_row + count) as float32. Throws std::out_of_range naming the tensor when
// the range is not inside it.
std::vector<float> to_f32_rows(const TensorInfo& tensor, std::int64_t first_row, std::int64_t count);

}  // namespace linea::io
