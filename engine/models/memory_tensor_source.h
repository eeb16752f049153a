// A TensorSource whose tensors live in memory it owns: random weights for benchmarks, and tensors
// built by tests. Add tensors, then hand it to a loader like any file.
#pragma once

#include "engine/io/tensor_source.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace linea {

class MemoryTensorSource final : public io::TensorSource {
 public:
  explicit MemoryTensorSource(std::string description) : description_(std::move(description)) {}

  // Adds a tensor of `shape` (PyTorch order) holding `bytes` (their size must match dtype and shape;
  // throws std::invalid_argument otherwise, or when the name is taken).
  void add(std::string name, DType dtype, std::vector<std::int64_t> shape, std::vector<std::byte> bytes);
  // Adds a tensor from f32 values, stored as `dtype` (F32, F16 or BF16; rounded to nearest even).
  void add_f32(std::string name, DType dtype, std::vector<std::int64_t> shape, std::span<const float> values);
  // The same with values drawn one by one from `next`, in row-major order (no f32 copy of a big
  // tensor is ever held). `dtype` may also be a type io::quantize writes (Q8_0, Q4_0, Q4_K, Q6_K, ...):
  // then the tensor gets the type io::quantized_type_for gives it (a matrix whose rows are whole
  // blocks: `dtype`, or Q8_0 for a K-quant matrix with rows of whole 32-blocks only), quantized a row
  // at a time, and anything else (vectors, other shapes) is stored as F32. Throws
  // std::invalid_argument for a type it can neither store nor quantize.
  void add_generated(std::string name, DType dtype, std::vector<std::int64_t> shape,
                     const std::function<float()>& next);

  const io::TensorInfo* find(std::string_view name) const override;
  const std::vector<io::TensorInfo>& tensors() const override { return tensors_; }
  std::string describe() const override { return description_; }

 private:
  void add_quantized(std::string name, DType target, std::vector<std::int64_t> shape,
                     const std::function<float()>& next);

  std::string description_;
  std::vector<io::TensorInfo> tensors_;
  std::vector<std::unique_ptr<std::vector<std::byte>>> storage_;  // stable addresses
  std::unordered_map<std::string, std::size_t> by_name_;
};

}  // namespace linea
