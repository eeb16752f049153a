#include "vision/vision_encoder.h"

#include "engine/io/open_weights.h"
#include "vision/feature_packing.h"

#include <stdexcept>

namespace linea::vision {

std::unique_ptr<VisionEncoder> VisionEncoder::open(const std::filesystem::path& model_dir) {
  const VisionLanguageConfig config = read_vision_config(model_dir / "config.json");
  return std::make_unique<VisionEncoder>(config, io::open_weights(model_dir));
}

VisionEncoder::VisionEncoder(const VisionLanguageConfig& config, std::unique_ptr<io::TensorSource> weights)
    : config_(config), weights_(std::move(weights)) {
  tower_ = std::make_unique<ClipVisionModel>(config_.vision, *weights_, ClipVisionModel::find_root(*weights_));
  projector_ = std::make_unique<MultiModalProjector>(*weights_, MultiModalProjector::find_prefix(*weights_),
                                                     config_.vision.hidden_size, config_.projector_act);
  preprocess_.tile_size = config_.vision.image_size;
  preprocess_.patch_size = config_.vision.patch_size;
  preprocess_.pinpoints = config_.pinpoints;
}

std::vector<float> VisionEncoder::encode_tiles(const PreprocessedImage& tiles, cpu::ThreadPool& pool) const {
  const int side = preprocess_.tile_size;
  const std::size_t tile_values = static_cast<std::size_t>(config_.vision.num_channels) * side * side;
  const int hidden = config_.vision.hidden_size;
  const int skip = config_.drop_cls_token ? 1 : 0;
  std::vector<float> out;
  for (int t = 0; t < tiles.geometry.tile_count; ++t) {
    const std::span<const float> pixels(tiles.pixel_values.data() + t * tile_values, tile_values);
    const std::vector<float> state = tower_->hidden_state(pixels, side, side, config_.vision_feature_layer, pool);
    const std::int64_t tokens = static_cast<std::int64_t>(state.size()) / hidden - skip;
    const std::vector<float> projected = projector_->project(
        std::span<const float>(state).subspan(static_cast<std::size_t>(skip) * hidden), tokens, pool);
    out.insert(out.end(), projected.begin(), projected.end());
  }
  return out;
}

ImageEmbeddings VisionEncoder::encode(const RgbImage& image, cpu::ThreadPool& pool) const {
  if (!config_.drop_cls_token)
    throw std::invalid_argument("vision encoder: anyres packing needs vision_feature_select_strategy 'default'");
  const PreprocessedImage tiles = preprocess_anyres(image, preprocess_);
  ImageEmbeddings result;
  result.geometry = tiles.geometry;
  result.embeddings =
      pack_image_features(encode_tiles(tiles, pool), tiles.geometry, projector_->image_newline(), embedding_size());
  return result;
}

}  // namespace linea::vision
