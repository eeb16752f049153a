#include "vision/vision_config.h"

#include "engine/io/format_error.h"
#include "engine/io/json_file.h"

#include <fstream>
#include <sstream>

namespace linea::vision {
namespace {

using io::FormatError;
using nlohmann::json;

const std::vector<ImageSize> kLlavaNextDefaultPinpoints = {
    {336, 672}, {672, 336}, {672, 672}, {1008, 336}, {336, 1008}};

int read_int(const json& object, const char* key, int fallback, const std::string& where, const std::string& source) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_number_integer())
    throw FormatError(source, std::nullopt, where + key + " must be an integer, found " + it->dump());
  const auto value = it->get<std::int64_t>();
  if (value < -1000000 || value > 1000000)
    throw FormatError(source, std::nullopt, where + key + " = " + std::to_string(value) + " is out of range");
  return static_cast<int>(value);
}

int read_positive(const json& object, const char* key, int fallback, const std::string& where,
                  const std::string& source) {
  const int value = read_int(object, key, fallback, where, source);
  if (value <= 0)
    throw FormatError(source, std::nullopt, where + key + " = " + std::to_string(value) + " must be positive");
  return value;
}

std::string read_string(const json& object, const char* key, const std::string& fallback, const std::string& where,
                        const std::string& source) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_string()) throw FormatError(source, std::nullopt, where + key + " must be a string, found " + it->dump());
  return it->get<std::string>();
}

Activation read_activation(const json& object, const char* key, Activation fallback, const std::string& where,
                           const std::string& source) {
  const std::string name = read_string(object, key, activation_name(fallback), where, source);
  try {
    return activation_from_name(name);
  } catch (const std::invalid_argument& error) {
    throw FormatError(source, std::nullopt, where + key + ": " + error.what());
  }
}

ClipVisionConfig read_clip(const json& object, ClipVisionConfig defaults, const std::string& where,
                           const std::string& source) {
  ClipVisionConfig c = defaults;
  c.hidden_size = read_positive(object, "hidden_size", c.hidden_size, where, source);
  c.intermediate_size = read_positive(object, "intermediate_size", c.intermediate_size, where, source);
  c.num_hidden_layers = read_positive(object, "num_hidden_layers", c.num_hidden_layers, where, source);
  c.num_attention_heads = read_positive(object, "num_attention_heads", c.num_attention_heads, where, source);
  c.num_channels = read_positive(object, "num_channels", c.num_channels, where, source);
  c.image_size = read_positive(object, "image_size", c.image_size, where, source);
  c.patch_size = read_positive(object, "patch_size", c.patch_size, where, source);
  if (const auto it = object.find("layer_norm_eps"); it != object.end() && !it->is_null()) {
    if (!it->is_number() || it->get<double>() <= 0)
      throw FormatError(source, std::nullopt, where + "layer_norm_eps must be a positive number, found " + it->dump());
    c.layer_norm_eps = static_cast<float>(it->get<double>());
  }
  c.hidden_act = read_activation(object, "hidden_act", c.hidden_act, where, source);
  if (c.hidden_size % c.num_attention_heads != 0)
    throw FormatError(source, std::nullopt,
                      where + "hidden_size " + std::to_string(c.hidden_size) +
                          " is not divisible by num_attention_heads " + std::to_string(c.num_attention_heads));
  if (c.image_size % c.patch_size != 0)
    throw FormatError(source, std::nullopt,
                      where + "image_size " + std::to_string(c.image_size) + " is not a multiple of patch_size " +
                          std::to_string(c.patch_size));
  return c;
}

std::vector<ImageSize> read_pinpoints(const json& root, std::vector<ImageSize> fallback, const std::string& source) {
  const auto it = root.find("image_grid_pinpoints");
  if (it == root.end() || it->is_null()) return fallback;
  std::vector<ImageSize> pinpoints;
  if (!it->is_array() || it->empty())
    throw FormatError(source, std::nullopt, "image_grid_pinpoints must be a non-empty list of [height, width]");
  for (const json& pair : *it) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number_integer() || !pair[1].is_number_integer() ||
        pair[0].get<int>() <= 0 || pair[1].get<int>() <= 0)
      throw FormatError(source, std::nullopt, "image_grid_pinpoints: entry " + pair.dump() + " is not [height, width]");
    pinpoints.push_back({pair[0].get<int>(), pair[1].get<int>()});
  }
  return pinpoints;
}

}  // namespace

ClipVisionConfig ClipVisionConfig::vit_large_14_336() {
  ClipVisionConfig c;
  c.hidden_size = 1024;
  c.intermediate_size = 4096;
  c.num_hidden_layers = 24;
  c.num_attention_heads = 16;
  c.image_size = 336;
  c.patch_size = 14;
  c.hidden_act = Activation::gelu;
  return c;
}

VisionLanguageConfig parse_vision_config(std::string_view json_text, const std::string& source) {
  const json root = io::parse_json(json_text, source);
  if (!root.is_object()) throw FormatError(source, std::nullopt, "config.json is not a JSON object");
  VisionLanguageConfig config;
  config.model_type = read_string(root, "model_type", "", "", source);
  const bool minimax = config.model_type == "minimax_vl_01";

  ClipVisionConfig tower_defaults;  // CLIPVisionConfig's class defaults
  if (minimax) tower_defaults.hidden_act = Activation::gelu;
  if (const auto it = root.find("vision_config"); it != root.end() && !it->is_null()) {
    if (!it->is_object()) throw FormatError(source, std::nullopt, "vision_config must be an object");
    config.vision = read_clip(*it, tower_defaults, "vision_config.", source);
  } else if (config.model_type == "clip_vision_model" || config.model_type.empty()) {
    config.vision = read_clip(root, tower_defaults, "", source);
  } else {
    throw FormatError(source, std::nullopt,
                      "model_type '" + config.model_type + "' has no vision_config: not a vision checkpoint");
  }

  const std::vector<ImageSize> default_pinpoints =
      minimax ? std::vector<ImageSize>(minimax_vl_01_pinpoints().begin(), minimax_vl_01_pinpoints().end())
              : kLlavaNextDefaultPinpoints;
  config.vision_feature_layer = read_int(root, "vision_feature_layer", minimax ? -1 : -2, "", source);
  config.image_token_index = read_int(root, "image_token_index", minimax ? 200025 : 32000, "", source);
  if (const auto it = root.find("vision_feature_layer"); it != root.end() && it->is_array())
    throw FormatError(source, std::nullopt, "vision_feature_layer: a list of layers is not supported");
  const int layers = config.vision.num_hidden_layers;
  if (config.vision_feature_layer < -(layers + 1) || config.vision_feature_layer > layers)
    throw FormatError(source, std::nullopt,
                      "vision_feature_layer " + std::to_string(config.vision_feature_layer) + " is outside [-" +
                          std::to_string(layers + 1) + ", " + std::to_string(layers) + "] for " +
                          std::to_string(layers) + " layers");
  const std::string strategy = read_string(root, "vision_feature_select_strategy", "default", "", source);
  if (strategy != "default" && strategy != "full")
    throw FormatError(source, std::nullopt,
                      "vision_feature_select_strategy '" + strategy + "' is neither 'default' nor 'full'");
  config.drop_cls_token = strategy == "default";
  config.projector_act = read_activation(root, "projector_hidden_act", Activation::gelu, "", source);
  if (const auto it = root.find("multimodal_projector_bias"); it != root.end() && it->is_boolean())
    config.projector_bias = it->get<bool>();
  config.pinpoints = read_pinpoints(root, default_pinpoints, source);
  return config;
}

VisionLanguageConfig read_vision_config(const std::filesystem::path& config_json) {
  std::ifstream stream(config_json, std::ios::binary);
  if (!stream) throw FormatError(config_json.string(), std::nullopt, "cannot open: no such file");
  std::ostringstream text;
  text << stream.rdbuf();
  return parse_vision_config(text.str(), config_json.string());
}

}  // namespace linea::vision
