// The CLIP vision transformer (Hugging Face CLIPVisionModel, and the tower of LLaVA-NeXT and
// MiniMax-VL-01), forward pass in fp32 over weights used in place (F32, F16 or BF16):
//
//   patches  = conv(pixels)            a Conv2d with stride = kernel = patch: one matmul over the
//                                      flattened patches [N, C·p·p] · W[D, C·p·p]ᵀ
//   x        = [class_embedding; patches] + position_embedding   (bicubic-resized for other grids)
//   x        = pre_layrnorm(x)                                     = hidden_states[0]
//   layer i:   x += out_proj(attention(layer_norm1(x)))            (all tokens see all tokens)
//              x += fc2(act(fc1(layer_norm2(x))))                  = hidden_states[i + 1]
//   pooled   = post_layernorm(x[CLS]) (when the checkpoint has it; MiniMax-VL-01's has not)
//
// Matmuls and LayerNorm are the engine's CPU ops (engine/cpu/ops.h); softmax attention and the
// activations are computed here until the engine has a softmax-attention op to share.
// A model is immutable after construction: encode() may run from several threads at once.
#pragma once

#include "engine/cpu/thread_pool.h"
#include "engine/cpu/weight_view.h"
#include "engine/io/tensor_source.h"
#include "vision/vision_config.h"

#include <span>
#include <string>
#include <vector>

namespace linea::vision {

class ClipVisionModel {
 public:
  // `weights` must outlive the model (its matrices are used in place). `root` is what precedes
  // "embeddings.patch_embedding.weight" in the tensor names (see find_root). Throws io::FormatError
  // naming the tensor for a missing or misshapen weight.
  ClipVisionModel(const ClipVisionConfig& config, const io::TensorSource& weights, const std::string& root);

  // Where the tower's tensors live in `weights`, the first that exists of:
  //   "vision_tower.vision_model."  MiniMax-VL-01, LLaVA-NeXT written by transformers 4
  //   "vision_tower."               LLaVA-NeXT written by transformers 5
  //   "vision_model."               CLIPVisionModel / CLIPModel written by transformers 4, OpenAI CLIP
  //   ""                            CLIPVisionModel written by transformers 5
  //   "model.vision_tower[.vision_model]."  transformers 5 in-memory names
  // Throws io::FormatError when there is none.
  static std::string find_root(const io::TensorSource& weights);

  const ClipVisionConfig& config() const { return config_; }
  bool has_post_layernorm() const { return !post_norm_.weight.empty(); }

  // hidden_states[layer] (transformers' numbering: 0 = embeddings after pre_layrnorm, i = output of
  // encoder layer i, negative counts from the end) for one image `pixels` F32 [channels][height][width]
  // whose sides are multiples of the patch size. Only the layers needed are run.
  // Returns F32 [1 + (height/patch)·(width/patch)][hidden], the class token first.
  std::vector<float> hidden_state(std::span<const float> pixels, int height, int width, int layer,
                                  cpu::ThreadPool& pool) const;

  // CLIPVisionModel's pooler_output: post_layernorm of the last layer's class token. Throws
  // std::logic_error when the checkpoint has no post_layernorm.
  std::vector<float> pooled_output(std::span<const float> pixels, int height, int width, cpu::ThreadPool& pool) const;

  // The position embeddings of the patches [grid_height·grid_width][hidden] for another grid:
  // PyTorch's bicubic interpolate (a = -0.75, align_corners = false, edges clamped), as
  // CLIPVisionEmbeddings.interpolate_pos_encoding uses it; the stored ones for the trained grid.
  std::vector<float> patch_position_embeddings(int grid_height, int grid_width) const;

 private:
  struct Linear {
    cpu::WeightView weight;
    std::vector<float> bias;
  };
  struct Norm {
    std::vector<float> weight, bias;
  };
  struct Layer {
    Norm norm1, norm2;
    Linear q, k, v, out, fc1, fc2;
  };

  Linear linear(const io::TensorSource& weights, const std::string& name, int out, int in) const;
  Norm norm(const io::TensorSource& weights, const std::string& name, int size) const;
  void apply(const Linear& linear, const std::vector<float>& x, std::int64_t positions, std::vector<float>& y,
             cpu::ThreadPool& pool) const;
  void layer_forward(const Layer& layer, std::vector<float>& x, std::int64_t tokens, cpu::ThreadPool& pool) const;
  std::vector<float> embeddings(std::span<const float> pixels, int height, int width, cpu::ThreadPool& pool) const;

  ClipVisionConfig config_;
  cpu::WeightView patch_embedding_;        // [hidden, channels·patch·patch]
  std::vector<float> class_embedding_;     // [hidden]
  std::vector<float> position_embedding_;  // [1 + grid², hidden]
  Norm pre_norm_, post_norm_;
  std::vector<Layer> layers_;
};

}  // namespace linea::vision
