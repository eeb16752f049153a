#include "vision/projector.h"

#include "engine/cpu/ops.h"
#include "engine/io/format_error.h"
#include "vision/weight_loading.h"

namespace linea::vision {

std::string MultiModalProjector::find_prefix(const io::TensorSource& weights) {
  for (const char* prefix : {"", "model."})
    if (weights.find(std::string(prefix) + "multi_modal_projector.linear_1.weight")) return prefix;
  throw io::FormatError(weights.describe(), std::nullopt,
                        "no multimodal projector: no tensor '[model.]multi_modal_projector.linear_1.weight'");
}

MultiModalProjector::MultiModalProjector(const io::TensorSource& weights, const std::string& prefix, int vision_hidden,
                                         Activation activation)
    : activation_(activation) {
  const std::string root = prefix + "multi_modal_projector.";
  const io::TensorInfo* first = weights.find(root + "linear_1.weight");
  if (!first || first->shape.size() != 2)
    throw io::FormatError(weights.describe(), std::nullopt,
                          "tensor '" + root + "linear_1.weight' is missing or not 2-D");
  const std::int64_t text_hidden = first->shape[0];
  linear_1_.weight = matrix_view(require_tensor(weights, root + "linear_1.weight", {text_hidden, vision_hidden}));
  linear_2_.weight = matrix_view(require_tensor(weights, root + "linear_2.weight", {text_hidden, text_hidden}));
  if (weights.find(root + "linear_1.bias"))
    linear_1_.bias = to_f32(require_tensor(weights, root + "linear_1.bias", {text_hidden}));
  if (weights.find(root + "linear_2.bias"))
    linear_2_.bias = to_f32(require_tensor(weights, root + "linear_2.bias", {text_hidden}));
  image_newline_ = to_f32(require_tensor(weights, prefix + "image_newline", {text_hidden}));
}

std::vector<float> MultiModalProjector::project(std::span<const float> features, std::int64_t positions,
                                                cpu::ThreadPool& pool) const {
  std::vector<float> hidden(static_cast<std::size_t>(positions * linear_1_.weight.rows));
  cpu::matmul(pool, linear_1_.weight, features, positions, hidden);
  add_bias(hidden, linear_1_.bias);
  apply_activation(activation_, hidden);
  std::vector<float> out(static_cast<std::size_t>(positions * linear_2_.weight.rows));
  cpu::matmul(pool, linear_2_.weight, hidden, positions, out);
  add_bias(out, linear_2_.bias);
  return out;
}

}  // namespace linea::vision
