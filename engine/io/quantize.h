// Reference quantizers for the ggml block formats gguf-py can also produce: Q8_0, Q4_0, Q4_1, Q5_0,
// Q5_1 (model-spec §6.3). Each matches ggml's quantize_row_*_ref and gguf-py's quants.quantize bit
// for bit (tests/data/io goldens). Used by the quantize command and to make test weights.
#pragma once

#include "engine/core/dtype.h"

#include <cstddef>
#include <span>
#include <vector>

namespace linea::io {

bool can_quantize(DType type);

// Quantizes `values` (a multiple of the block size, 32) into whole blocks at `out`
// (values.size() / 32 * block_bytes bytes). Throws std::invalid_argument for another type or size.
void quantize(DType type, std::span<const float> values, std::byte* out);
std::vector<std::byte> quantize(DType type, std::span<const float> values);

}  // namespace linea::io
