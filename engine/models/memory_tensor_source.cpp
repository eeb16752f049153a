#include "engine/models/memory_tensor_source.h"

#include "engine/core/float16.h"

#include <cstring>
#include <stdexcept>

namespace linea {

void MemoryTensorSource::add(std::string name, DType dtype, std::vector<std::int64_t> shape,
                             std::vector<std::byte> bytes) {
  if (by_name_.contains(name)) throw std::invalid_argument("MemoryTensorSource: tensor '" + name + "' added twice");
  io::TensorInfo info;
  info.name = name;
  info.dtype = dtype;
  info.shape = std::move(shape);
  const DTypeInfo type = dtype_info(dtype);
  const auto expected = static_cast<std::uint64_t>(info.element_count()) / type.block_size * type.block_bytes;
  if (bytes.size() != expected)
    throw std::invalid_argument("MemoryTensorSource: tensor '" + name + "' has " + std::to_string(bytes.size()) +
                                " bytes, its dtype and shape need " + std::to_string(expected));
  storage_.push_back(std::make_unique<std::vector<std::byte>>(std::move(bytes)));
  info.data = storage_.back()->data();
  info.size_bytes = storage_.back()->size();
  info.file = description_;
  by_name_.emplace(name, tensors_.size());
  tensors_.push_back(std::move(info));
}

void MemoryTensorSource::add_f32(std::string name, DType dtype, std::vector<std::int64_t> shape,
                                 std::span<const float> values) {
  std::size_t at = 0;
  add_generated(std::move(name), dtype, std::move(shape), [&] { return values[at++]; });
}

void MemoryTensorSource::add_generated(std::string name, DType dtype, std::vector<std::int64_t> shape,
                                       const std::function<float()>& next) {
  std::size_t count = 1;
  for (std::int64_t d : shape) count *= static_cast<std::size_t>(d);
  std::vector<std::byte> bytes;
  switch (dtype) {
    case DType::f32:
      bytes.resize(count * 4);
      for (std::size_t i = 0; i < count; ++i) {
        const float value = next();
        std::memcpy(bytes.data() + 4 * i, &value, 4);
      }
      break;
    case DType::f16:
    case DType::bf16:
      bytes.resize(count * 2);
      for (std::size_t i = 0; i < count; ++i) {
        const float value = next();
        const std::uint16_t half = dtype == DType::f16 ? f32_to_fp16(value) : f32_to_bf16(value);
        std::memcpy(bytes.data() + 2 * i, &half, 2);
      }
      break;
    default:
      throw std::invalid_argument("MemoryTensorSource: stores generated values as F32, F16 or BF16, not " +
                                  std::string(dtype_name(dtype)));
  }
  add(std::move(name), dtype, std::move(shape), std::move(bytes));
}

const io::TensorInfo* MemoryTensorSource::find(std::string_view name) const {
  const auto found = by_name_.find(std::string(name));
  return found == by_name_.end() ? nullptr : &tensors_[found->second];
}

}  // namespace linea
