#include "engine/models/tensor_reader.h"

#include "engine/io/format_error.h"

#include <stdexcept>

namespace linea {

using io::shape_text;

const io::TensorInfo& TensorReader::require(const std::string& name, std::string_view what) const {
  const io::TensorInfo* info = find(name);
  if (!info)
    throw io::FormatError(source_.describe(), std::nullopt,
                          "tensor '" + full_name(name) + "' (" + model_ + " " + std::string(what) + ") is missing");
  return *info;
}

void TensorReader::fail(const io::TensorInfo& info, std::string_view what, const std::string& message) const {
  const std::string file = info.file.empty() ? source_.describe() : info.file;
  throw io::FormatError(file, info.file_offset,
                        "tensor '" + info.name + "' (" + model_ + " " + std::string(what) + ") " + message);
}

cpu::WeightView TensorReader::table(const std::string& name, std::int64_t rows, std::int64_t cols,
                                    std::string_view what) const {
  const io::TensorInfo& info = require(name, what);
  if (info.shape != std::vector<std::int64_t>{rows, cols})
    fail(info, what, "has shape " + shape_text(info.shape) + ", expected " + shape_text({rows, cols}));
  if (!cpu::weight_dtype_supported(info.dtype))
    fail(info, what, "has dtype " + std::string(dtype_name(info.dtype)) + ", which the CPU kernels cannot read");
  return cpu::WeightView{info.dtype, rows, cols, info.data};
}

cpu::WeightView TensorReader::matrix(const std::string& name, std::int64_t rows, std::int64_t cols,
                                     std::string_view what) const {
  return packed_.prepare(table(name, rows, cols, what), source_);
}

cpu::WeightView TensorReader::stacked_matrix(const std::string& name, std::int64_t index, std::int64_t count,
                                             std::int64_t stack_rows, std::int64_t first, std::int64_t rows,
                                             std::int64_t cols, std::string_view what) const {
  if (first < 0 || rows < 0 || first + rows > stack_rows)
    throw std::invalid_argument("TensorReader::stacked_matrix: rows [" + std::to_string(first) + ", " +
                                std::to_string(first + rows) + ") are not within " + std::to_string(stack_rows));
  const io::TensorInfo& info = require(name, what);
  if (info.shape != std::vector<std::int64_t>{count, stack_rows, cols})
    fail(info, what, "has shape " + shape_text(info.shape) + ", expected " + shape_text({count, stack_rows, cols}));
  if (!cpu::weight_dtype_supported(info.dtype))
    fail(info, what, "has dtype " + std::string(dtype_name(info.dtype)) + ", which the CPU kernels cannot read");
  cpu::WeightView view{info.dtype, rows, cols, info.data};
  view.data += static_cast<std::size_t>(index * stack_rows + first) * view.row_bytes();
  return packed_.prepare(view, source_);
}

std::vector<float> TensorReader::values(const std::string& name, std::int64_t count, std::string_view what) const {
  const io::TensorInfo& info = require(name, what);
  std::vector<std::int64_t> significant;
  for (std::int64_t d : info.shape)
    if (d != 1) significant.push_back(d);
  const bool matches = significant == std::vector<std::int64_t>{count} || (count == 1 && significant.empty());
  if (!matches)
    fail(info, what, "has shape " + shape_text(info.shape) + ", expected " + shape_text({count}));
  if (dtype_info(info.dtype).quantized || !cpu::weight_dtype_supported(info.dtype))
    fail(info, what, "has dtype " + std::string(dtype_name(info.dtype)) + ", expected F32, F16 or BF16");
  std::vector<float> out(static_cast<std::size_t>(count));
  cpu::convert_to_f32(info.dtype, info.data, count, out.data());
  return out;
}

}  // namespace linea
