// The activation functions Hugging Face configs name in `hidden_act` / `projector_hidden_act`, as
// transformers' ACT2FN defines them, applied in place over float rows.
#pragma once

#include <span>
#include <string>

namespace linea::vision {

enum class Activation {
  gelu,        // "gelu": x·Φ(x) with the exact erf
  gelu_tanh,   // "gelu_new", "gelu_pytorch_tanh", "gelu_fast": the tanh approximation
  quick_gelu,  // "quick_gelu": x·σ(1.702·x), OpenAI CLIP's
  relu,
  silu,
};

// Throws std::invalid_argument naming the unknown activation.
Activation activation_from_name(const std::string& name);
const char* activation_name(Activation activation);

void apply_activation(Activation activation, std::span<float> values);

}  // namespace linea::vision
