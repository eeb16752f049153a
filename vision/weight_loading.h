// Looking up the tensors a vision module needs in a TensorSource, with a precise error (source,
// tensor name, expected versus found shape) when one is missing or misshapen. Weights stay where
// the reader mapped them; only small vectors (biases, norms, embeddings) are converted to f32.
#pragma once

#include "engine/cpu/weight_view.h"
#include "engine/io/tensor_source.h"

#include <cstdint>
#include <string>
#include <vector>

namespace linea::vision {

// The tensor `name`, whose shape must equal `shape` (PyTorch order). Throws io::FormatError.
const io::TensorInfo& require_tensor(const io::TensorSource& weights, const std::string& name,
                                     const std::vector<std::int64_t>& shape);

// A weight used in place as a matrix [rows, cols]: the tensor's dims after the first are flattened
// (a Conv2d kernel [out, in, kh, kw] becomes [out, in·kh·kw]).
cpu::WeightView matrix_view(const io::TensorInfo& tensor);

// The tensor as f32 values (any supported dtype).
std::vector<float> to_f32(const io::TensorInfo& tensor);

// y [positions, out] += bias for every position.
void add_bias(std::vector<float>& y, const std::vector<float>& bias);

}  // namespace linea::vision
