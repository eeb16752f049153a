#include "vision/weight_loading.h"

#include "engine/io/format_error.h"

namespace linea::vision {

using io::shape_text;

const io::TensorInfo& require_tensor(const io::TensorSource& weights, const std::string& name,
                                     const std::vector<std::int64_t>& shape) {
  const io::TensorInfo* tensor = weights.find(name);
  if (!tensor) throw io::FormatError(weights.describe(), std::nullopt, "tensor '" + name + "' is missing");
  if (tensor->shape != shape)
    throw io::FormatError(
        tensor->file, tensor->file_offset,
        "tensor '" + name + "' has shape " + shape_text(tensor->shape) + ", expected " + shape_text(shape));
  if (!cpu::weight_dtype_supported(tensor->dtype))
    throw io::FormatError(tensor->file, tensor->file_offset,
                          "tensor '" + name + "' has a dtype the CPU kernels cannot read");
  return *tensor;
}

cpu::WeightView matrix_view(const io::TensorInfo& tensor) {
  cpu::WeightView view;
  view.dtype = tensor.dtype;
  view.rows = tensor.shape.empty() ? 1 : tensor.shape[0];
  view.cols = view.rows == 0 ? 0 : tensor.element_count() / view.rows;
  view.data = tensor.data;
  return view;
}

std::vector<float> to_f32(const io::TensorInfo& tensor) {
  std::vector<float> values(static_cast<std::size_t>(tensor.element_count()));
  cpu::convert_to_f32(tensor.dtype, tensor.data, tensor.element_count(), values.data());
  return values;
}

void add_bias(std::vector<float>& y, const std::vector<float>& bias) {
  if (bias.empty()) return;
  const std::size_t n = bias.size();
  for (std::size_t i = 0; i < y.size(); i += n)
    for (std::size_t j = 0; j < n; ++j) y[i + j] += bias[j];
}

}  // namespace linea::vision
