#include "vision/activations.h"

#include <cmath>
#include <stdexcept>

namespace linea::vision {

Activation activation_from_name(const std::string& name) {
  if (name == "gelu") return Activation::gelu;
  if (name == "gelu_new" || name == "gelu_pytorch_tanh" || name == "gelu_fast") return Activation::gelu_tanh;
  if (name == "quick_gelu") return Activation::quick_gelu;
  if (name == "relu") return Activation::relu;
  if (name == "silu" || name == "swish") return Activation::silu;
  throw std::invalid_argument("unsupported activation '" + name +
                              "' (supported: gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, quick_gelu, relu, silu)");
}

const char* activation_name(Activation activation) {
  switch (activation) {
    case Activation::gelu: return "gelu";
    case Activation::gelu_tanh: return "gelu_pytorch_tanh";
    case Activation::quick_gelu: return "quick_gelu";
    case Activation::relu: return "relu";
    case Activation::silu: return "silu";
  }
  return "?";
}

void apply_activation(Activation activation, std::span<float> values) {
  switch (activation) {
    case Activation::gelu:
      for (float& x : values) x = 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));
      return;
    case Activation::gelu_tanh:
      for (float& x : values) x = 0.5f * x * (1.0f + std::tanh(0.79788456080286536f * (x + 0.044715f * x * x * x)));
      return;
    case Activation::quick_gelu:
      for (float& x : values) x = x / (1.0f + std::exp(-1.702f * x));
      return;
    case Activation::relu:
      for (float& x : values) x = x > 0.0f ? x : 0.0f;
      return;
    case Activation::silu:
      for (float& x : values) x = x / (1.0f + std::exp(-x));
      return;
  }
}

}  // namespace linea::vision
