// The multimodal projector of LLaVA-NeXT / MiniMax-VL-01: vision features (the tower's hidden size)
// to the language model's embedding size, linear_1 -> activation -> linear_2, and the learned
// `image_newline` vector that ends every row of the packed tile grid.
#pragma once

#include "engine/cpu/thread_pool.h"
#include "engine/cpu/weight_view.h"
#include "engine/io/tensor_source.h"
#include "vision/activations.h"

#include <span>
#include <string>
#include <vector>

namespace linea::vision {

class MultiModalProjector {
 public:
  // `prefix`: "" for MiniMax-VL-01 / original LLaVA-NeXT names ("multi_modal_projector.linear_1.weight",
  // "image_newline"), "model." for transformers 5 LLaVA-NeXT. The sizes come from the tensors;
  // `vision_hidden` must equal linear_1's input size. Throws io::FormatError naming the tensor.
  MultiModalProjector(const io::TensorSource& weights, const std::string& prefix, int vision_hidden,
                      Activation activation);

  // "model." when the weights use transformers 5 names, "" otherwise; throws when neither is present.
  static std::string find_prefix(const io::TensorSource& weights);

  int input_size() const { return static_cast<int>(linear_1_.weight.cols); }
  int output_size() const { return static_cast<int>(linear_2_.weight.rows); }
  const std::vector<float>& image_newline() const { return image_newline_; }  // [output_size]

  // F32 [positions][input_size] -> F32 [positions][output_size].
  std::vector<float> project(std::span<const float> features, std::int64_t positions, cpu::ThreadPool& pool) const;

 private:
  struct Linear {
    cpu::WeightView weight;
    std::vector<float> bias;
  };
  Linear linear_1_, linear_2_;
  Activation activation_;
  std::vector<float> image_newline_;
};

}  // namespace linea::vision
