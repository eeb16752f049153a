#include "engine/models/memory_tensor_source.h"

#include "engine/core/float16.h"
#include "engine/cpu/thread_pool.h"
#include "engine/io/quantize.h"

#include <algorithm>
#include <cstring>
#include <optional>
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
    default: add_quantized(std::move(name), dtype, std::move(shape), next); return;
  }
  add(std::move(name), dtype, std::move(shape), std::move(bytes));
}

void MemoryTensorSource::add_quantized(std::string name, DType target, std::vector<std::int64_t> shape,
                                       const std::function<float()>& next) {
  if (!io::can_quantize(target))
    throw std::invalid_argument("MemoryTensorSource: tensor '" + name +
                                "': stores generated values as F32, F16, BF16 or a type it can quantize to, not " +
                                std::string(dtype_name(target)));
  io::TensorInfo as_generated;
  as_generated.name = name;
  as_generated.dtype = DType::f32;
  as_generated.shape = shape;
  const std::optional<DType> stored = io::quantized_type_for(as_generated, target);
  if (!stored) {
    add_generated(std::move(name), DType::f32, std::move(shape), next);  // vectors and other shapes stay F32
    return;
  }
  // A matrix [rows, cols] with cols whole blocks of *stored, a few MiB of f32 rows at a time: drawn
  // in order on this thread, quantized on all cores (the K-quant scale search is the slow part).
  const std::int64_t rows = shape[0], cols = shape[1];
  const DTypeInfo info = dtype_info(*stored);
  const auto row_bytes = static_cast<std::size_t>(cols / info.block_size * info.block_bytes);
  const std::int64_t rows_per_chunk = std::max<std::int64_t>(1, (std::int64_t{1} << 20) / cols);
  std::vector<std::byte> bytes(static_cast<std::size_t>(rows) * row_bytes);
  std::vector<float> chunk(static_cast<std::size_t>(std::min(rows, rows_per_chunk) * cols));
  cpu::ThreadPool pool;
  for (std::int64_t first = 0; first < rows; first += rows_per_chunk) {
    const std::int64_t count = std::min(rows_per_chunk, rows - first);
    for (std::size_t i = 0; i < static_cast<std::size_t>(count * cols); ++i) chunk[i] = next();
    pool.parallel_for(count, 1, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t r = begin; r < end; ++r)
        io::quantize(
            *stored,
            std::span<const float>(chunk).subspan(static_cast<std::size_t>(r * cols), static_cast<std::size_t>(cols)),
            bytes.data() + static_cast<std::size_t>(first + r) * row_bytes);
    });
  }
  add(std::move(name), *stored, std::move(shape), std::move(bytes));
}

const io::TensorInfo* MemoryTensorSource::find(std::string_view name) const {
  const auto found = by_name_.find(std::string(name));
  return found == by_name_.end() ? nullptr : &tensors_[found->second];
}

}  // namespace linea
