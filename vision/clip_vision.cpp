#include "vision/clip_vision.h"

#include "engine/cpu/attention_ops.h"
#include "engine/cpu/ops.h"
#include "engine/io/format_error.h"
#include "vision/weight_loading.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace linea::vision {
namespace {

// PyTorch's cubic convolution kernel (a = -0.75) for the four taps around a fractional position t.
void cubic_taps(float t, float taps[4]) {
  constexpr float a = -0.75f;
  const auto near = [](float x) { return ((a + 2.0f) * x - (a + 3.0f)) * x * x + 1.0f; };
  const auto far = [](float x) { return ((a * x - 5.0f * a) * x + 8.0f * a) * x - 4.0f * a; };
  taps[0] = far(t + 1.0f);
  taps[1] = near(t);
  taps[2] = near(1.0f - t);
  taps[3] = far(2.0f - t);
}

}  // namespace

std::string ClipVisionModel::find_root(const io::TensorSource& weights) {
  for (const char* root : {"vision_tower.vision_model.", "vision_tower.", "model.vision_tower.vision_model.",
                           "model.vision_tower.", "vision_model.", ""}) {
    if (weights.find(std::string(root) + "embeddings.patch_embedding.weight")) return root;
  }
  throw io::FormatError(
      weights.describe(), std::nullopt,
      "no CLIP vision tower: no tensor '[vision_tower.][vision_model.]embeddings.patch_embedding.weight'");
}

ClipVisionModel::Linear ClipVisionModel::linear(const io::TensorSource& weights, const std::string& name, int out,
                                                int in) const {
  Linear result;
  result.weight = matrix_view(require_tensor(weights, name + ".weight", {out, in}));
  if (weights.find(name + ".bias")) result.bias = to_f32(require_tensor(weights, name + ".bias", {out}));
  return result;
}

ClipVisionModel::Norm ClipVisionModel::norm(const io::TensorSource& weights, const std::string& name, int size) const {
  return {to_f32(require_tensor(weights, name + ".weight", {size})),
          to_f32(require_tensor(weights, name + ".bias", {size}))};
}

ClipVisionModel::ClipVisionModel(const ClipVisionConfig& config, const io::TensorSource& weights,
                                 const std::string& root)
    : config_(config) {
  const int d = config.hidden_size;
  const int p = config.patch_size;
  const int positions = config.grid_side() * config.grid_side() + 1;
  patch_embedding_ =
      matrix_view(require_tensor(weights, root + "embeddings.patch_embedding.weight", {d, config.num_channels, p, p}));
  class_embedding_ = to_f32(require_tensor(weights, root + "embeddings.class_embedding", {d}));
  position_embedding_ = to_f32(require_tensor(weights, root + "embeddings.position_embedding.weight", {positions, d}));
  pre_norm_ = norm(weights, root + "pre_layrnorm", d);  // sic: Hugging Face's spelling
  if (weights.find(root + "post_layernorm.weight")) post_norm_ = norm(weights, root + "post_layernorm", d);
  for (int i = 0; i < config.num_hidden_layers; ++i) {
    const std::string name = root + "encoder.layers." + std::to_string(i) + ".";
    Layer layer;
    layer.norm1 = norm(weights, name + "layer_norm1", d);
    layer.norm2 = norm(weights, name + "layer_norm2", d);
    layer.q = linear(weights, name + "self_attn.q_proj", d, d);
    layer.k = linear(weights, name + "self_attn.k_proj", d, d);
    layer.v = linear(weights, name + "self_attn.v_proj", d, d);
    layer.out = linear(weights, name + "self_attn.out_proj", d, d);
    layer.fc1 = linear(weights, name + "mlp.fc1", config.intermediate_size, d);
    layer.fc2 = linear(weights, name + "mlp.fc2", d, config.intermediate_size);
    layers_.push_back(std::move(layer));
  }
  if (weights.find(root + "encoder.layers." + std::to_string(config.num_hidden_layers) + ".layer_norm1.weight"))
    throw io::FormatError(
        weights.describe(), std::nullopt,
        "the checkpoint has more encoder layers than num_hidden_layers = " + std::to_string(config.num_hidden_layers));
}

void ClipVisionModel::apply(const Linear& linear, const std::vector<float>& x, std::int64_t positions,
                            std::vector<float>& y, cpu::ThreadPool& pool) const {
  y.resize(static_cast<std::size_t>(positions * linear.weight.rows));
  cpu::matmul(pool, linear.weight, x, positions, y);
  add_bias(y, linear.bias);
}

std::vector<float> ClipVisionModel::patch_position_embeddings(int grid_height, int grid_width) const {
  const int d = config_.hidden_size;
  const int side = config_.grid_side();
  const float* stored = position_embedding_.data() + d;  // skip the class token's
  if (grid_height == side && grid_width == side) return {stored, stored + static_cast<std::size_t>(side) * side * d};
  std::vector<float> out(static_cast<std::size_t>(grid_height) * grid_width * d);
  const float scale_y = static_cast<float>(side) / static_cast<float>(grid_height);
  const float scale_x = static_cast<float>(side) / static_cast<float>(grid_width);
  const auto clamp = [side](int i) { return std::clamp(i, 0, side - 1); };
  for (int oy = 0; oy < grid_height; ++oy) {
    const float real_y = scale_y * (oy + 0.5f) - 0.5f;
    const int y0 = static_cast<int>(std::floor(real_y));
    float wy[4];
    cubic_taps(real_y - y0, wy);
    for (int ox = 0; ox < grid_width; ++ox) {
      const float real_x = scale_x * (ox + 0.5f) - 0.5f;
      const int x0 = static_cast<int>(std::floor(real_x));
      float wx[4];
      cubic_taps(real_x - x0, wx);
      float* dst = out.data() + (static_cast<std::size_t>(oy) * grid_width + ox) * d;
      for (int c = 0; c < d; ++c) {
        // Along x for each of the four rows, then along y: the order PyTorch uses.
        float rows[4];
        for (int a = 0; a < 4; ++a) {
          const float* row = stored + static_cast<std::size_t>(clamp(y0 - 1 + a)) * side * d;
          rows[a] = row[clamp(x0 - 1) * d + c] * wx[0] + row[clamp(x0) * d + c] * wx[1] +
                    row[clamp(x0 + 1) * d + c] * wx[2] + row[clamp(x0 + 2) * d + c] * wx[3];
        }
        dst[c] = rows[0] * wy[0] + rows[1] * wy[1] + rows[2] * wy[2] + rows[3] * wy[3];
      }
    }
  }
  return out;
}

std::vector<float> ClipVisionModel::embeddings(std::span<const float> pixels, int height, int width,
                                               cpu::ThreadPool& pool) const {
  const int p = config_.patch_size;
  const int channels = config_.num_channels;
  if (height <= 0 || width <= 0 || height % p != 0 || width % p != 0)
    throw std::invalid_argument("clip vision: image " + std::to_string(width) + " x " + std::to_string(height) +
                                " is not a positive multiple of the patch size " + std::to_string(p));
  if (pixels.size() != static_cast<std::size_t>(channels) * height * width)
    throw std::invalid_argument("clip vision: pixels hold " + std::to_string(pixels.size()) + " values, expected " +
                                std::to_string(channels) + " x " + std::to_string(height) + " x " +
                                std::to_string(width));
  const int grid_h = height / p, grid_w = width / p;
  const std::int64_t patches = static_cast<std::int64_t>(grid_h) * grid_w;
  const int d = config_.hidden_size;

  // Each patch flattened in the kernel's order [channel][row][column].
  const std::int64_t patch_values = static_cast<std::int64_t>(channels) * p * p;
  std::vector<float> flat(static_cast<std::size_t>(patches * patch_values));  // F32 [patches, C·p·p]
  for (int gy = 0; gy < grid_h; ++gy)
    for (int gx = 0; gx < grid_w; ++gx) {
      float* dst = flat.data() + (static_cast<std::size_t>(gy) * grid_w + gx) * patch_values;
      for (int c = 0; c < channels; ++c)
        for (int ky = 0; ky < p; ++ky) {
          const float* src = pixels.data() + (static_cast<std::size_t>(c) * height + gy * p + ky) * width + gx * p;
          std::copy(src, src + p, dst + (c * p + ky) * p);
        }
    }
  std::vector<float> x(static_cast<std::size_t>(patches + 1) * d);  // F32 [1 + patches, D]
  cpu::matmul(pool, patch_embedding_, flat, patches, std::span<float>(x).subspan(d));
  std::copy(class_embedding_.begin(), class_embedding_.end(), x.begin());

  const std::vector<float> positions = patch_position_embeddings(grid_h, grid_w);
  for (int c = 0; c < d; ++c) x[c] += position_embedding_[c];
  for (std::size_t i = 0; i < positions.size(); ++i) x[d + i] += positions[i];

  std::vector<float> normed(x.size());
  cpu::layer_norm(x, d, pre_norm_.weight, pre_norm_.bias, config_.layer_norm_eps, normed);
  return normed;
}

void ClipVisionModel::layer_forward(const Layer& layer, std::vector<float>& x, std::int64_t tokens,
                                    cpu::ThreadPool& pool) const {
  const int d = config_.hidden_size;
  const float eps = config_.layer_norm_eps;
  std::vector<float> h(x.size()), q, k, v, attended(x.size()), projected;
  cpu::layer_norm(x, d, layer.norm1.weight, layer.norm1.bias, eps, h);
  apply(layer.q, h, tokens, q, pool);
  apply(layer.k, h, tokens, k, pool);
  apply(layer.v, h, tokens, v, pool);
  const float scale = 1.0f / std::sqrt(static_cast<float>(config_.head_dim()));
  cpu::full_attention(pool, tokens, config_.num_attention_heads, config_.head_dim(), scale, q, k, v, attended);
  apply(layer.out, attended, tokens, projected, pool);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += projected[i];

  cpu::layer_norm(x, d, layer.norm2.weight, layer.norm2.bias, eps, h);
  std::vector<float> inner, back;
  apply(layer.fc1, h, tokens, inner, pool);
  apply_activation(config_.hidden_act, inner);
  apply(layer.fc2, inner, tokens, back, pool);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += back[i];
}

std::vector<float> ClipVisionModel::hidden_state(std::span<const float> pixels, int height, int width, int layer,
                                                 cpu::ThreadPool& pool) const {
  const int count = config_.num_hidden_layers;
  const int index = layer < 0 ? count + 1 + layer : layer;
  if (index < 0 || index > count)
    throw std::invalid_argument("clip vision: hidden state " + std::to_string(layer) + " does not exist for " +
                                std::to_string(count) + " layers");
  std::vector<float> x = embeddings(pixels, height, width, pool);
  const std::int64_t tokens = static_cast<std::int64_t>(x.size()) / config_.hidden_size;
  for (int i = 0; i < index; ++i) layer_forward(layers_[i], x, tokens, pool);
  return x;
}

std::vector<float> ClipVisionModel::pooled_output(std::span<const float> pixels, int height, int width,
                                                  cpu::ThreadPool& pool) const {
  if (!has_post_layernorm()) throw std::logic_error("clip vision: this checkpoint has no post_layernorm");
  const std::vector<float> last = hidden_state(pixels, height, width, -1, pool);
  const int d = config_.hidden_size;
  std::vector<float> pooled(d);
  cpu::layer_norm(std::span<const float>(last).first(d), d, post_norm_.weight, post_norm_.bias, config_.layer_norm_eps,
                  pooled);
  return pooled;
}

}  // namespace linea::vision
