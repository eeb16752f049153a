#include "vision/feature_packing.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace linea::vision {

std::vector<float> pack_image_features(std::span<const float> tile_features, const AnyresGeometry& g,
                                       std::span<const float> image_newline, int dim) {
  const std::size_t side = static_cast<std::size_t>(g.features_per_side);
  const std::size_t per_tile = side * side * dim;
  if (tile_features.size() != per_tile * g.tile_count)
    throw std::invalid_argument("pack_image_features: " + std::to_string(tile_features.size()) + " values for " +
                                std::to_string(g.tile_count) + " tiles of " + std::to_string(per_tile));
  if (image_newline.size() != static_cast<std::size_t>(dim))
    throw std::invalid_argument("pack_image_features: image_newline has " + std::to_string(image_newline.size()) +
                                " values, expected " + std::to_string(dim));
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(g.token_count) * dim);
  out.insert(out.end(), tile_features.begin(), tile_features.begin() + per_tile);  // the thumbnail
  for (int row = g.pad_rows_top; row < g.pad_rows_top + g.feature_rows; ++row) {
    const std::size_t tile_row = row / side, in_row = row % side;
    for (int col = g.pad_cols_left; col < g.pad_cols_left + g.feature_cols; ++col) {
      const std::size_t tile = 1 + tile_row * g.grid_cols + col / side;
      const float* feature = tile_features.data() + tile * per_tile + (in_row * side + col % side) * dim;
      out.insert(out.end(), feature, feature + dim);
    }
    out.insert(out.end(), image_newline.begin(), image_newline.end());
  }
  return out;
}

}  // namespace linea::vision
