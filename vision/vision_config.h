// What a vision checkpoint's config.json says about its image side: the CLIP vision tower, the
// feature layer and selection, the projector and the anyres pinpoints. Reads the config.json of a
// CLIPVisionModel, a CLIPModel (its vision_config), a LLaVA-NeXT or a MiniMax-VL-01 checkpoint.
//
// Defaults for absent keys follow the class that wrote the file (transformers writes only values
// that differ from its class defaults):
//   CLIPVisionConfig: 768 hidden, 3072 MLP, 12 layers, 12 heads, 224 px, patch 32, quick_gelu, eps 1e-5.
//   LlavaNextConfig:  vision_feature_layer -2, strategy "default", projector gelu with bias, its 5 pinpoints.
//   MiniMax-VL-01 (model_type "minimax_vl_01"): model-spec §1.9 leaves vision_feature_layer (-1 in the
//     native HF port, -2 in vLLM's fallback class) and the tower's hidden_act (gelu vs quick_gelu)
//     open. A value in the file always wins. When absent we take the native HF port's defaults
//     (-1, gelu), because that port's config class is the one whose defaults describe MiniMax's own
//     checkpoint, while vLLM's -2 is a generic LLaVA fallback; the 28 pinpoints of §1.9.
#pragma once

#include "vision/activations.h"
#include "vision/anyres_geometry.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace linea::vision {

struct ClipVisionConfig {
  int hidden_size = 768;
  int intermediate_size = 3072;
  int num_hidden_layers = 12;
  int num_attention_heads = 12;
  int num_channels = 3;
  int image_size = 224;
  int patch_size = 32;
  float layer_norm_eps = 1e-5f;
  Activation hidden_act = Activation::quick_gelu;

  int grid_side() const { return image_size / patch_size; }
  int head_dim() const { return hidden_size / num_attention_heads; }

  // MiniMax-VL-01's tower (model-spec §1.9): ViT-L/14 at 336 px, 24 layers, gelu.
  static ClipVisionConfig vit_large_14_336();
};

struct VisionLanguageConfig {
  std::string model_type;  // "clip_vision_model", "clip", "llava_next", "minimax_vl_01", ...
  ClipVisionConfig vision;
  int vision_feature_layer = -2;  // index into hidden_states: 0 = embeddings, -1 = last layer
  bool drop_cls_token = true;     // vision_feature_select_strategy "default" (vs "full")
  Activation projector_act = Activation::gelu;
  bool projector_bias = true;
  std::vector<ImageSize> pinpoints;
  // The token id of the prompt's image placeholder (config image_token_index; MiniMax-VL-01's
  // default 200025, LLaVA-NeXT's 32000 when the config does not say).
  int image_token_index = -1;
};

// Throws io::FormatError naming the file and the key for malformed or inconsistent values.
VisionLanguageConfig parse_vision_config(std::string_view json_text, const std::string& source);
VisionLanguageConfig read_vision_config(const std::filesystem::path& config_json);

}  // namespace linea::vision
