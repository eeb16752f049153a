// Quantizers for ggml block formats (model-spec §6.3). Q8_0, Q4_0, Q4_1, Q5_0 and Q5_1 match ggml's
// quantize_row_*_ref and gguf-py's quants.quantize bit for bit (tests/data/io goldens). Q4_K and
// Q6_K write ggml's block layouts with our own scale search (not bit-identical to ggml's; checked
// by decoding through io::dequantize). Used by the quantize command and to make test weights.
#pragma once

#include "engine/core/dtype.h"
#include "engine/io/tensor_source.h"

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace linea::io {

bool can_quantize(DType type);

// Quantizes `values` (a multiple of the block size: 32, or 256 for Q4_K / Q6_K) into whole blocks
// at `out` (values.size() / block_size * block_bytes bytes). Throws std::invalid_argument for another type or size.
void quantize(DType type, std::span<const float> values, std::byte* out);
std::vector<std::byte> quantize(DType type, std::span<const float> values);

// The type `tensor` gets when a model is quantized to `target`, or nullopt to keep it as it is.
// The rule: matrices are quantized, everything else is kept. A matrix is a 2-D float tensor
// (F32, F16, BF16, F64) of at least 2 rows; its rows must be whole blocks of `target` (256 values for
// Q4_K / Q6_K, 32 for the others). A K-quant matrix whose rows are whole blocks of 32 but not 256
// (low-rank projections such as RWKV-7's [C, 64]) gets Q8_0 instead, as llama.cpp falls back for
// such shapes. Vectors (norms, biases, mixing coefficients), 3-D+ tensors and quantized tensors are
// kept unchanged.
std::optional<DType> quantized_type_for(const TensorInfo& tensor, DType target);

}  // namespace linea::io
