// Packing the projected features of one image's tiles into the token sequence the language model
// receives (model-spec §1.9, transformers' LlavaNextModel.pack_image_features):
//   the thumbnail's features (side² tokens, no newline), then the tile grid reassembled into one
//   (rows·side) x (cols·side) map, cropped to the image's aspect ratio (AnyresGeometry's
//   feature_rows x feature_cols window), read row by row with `image_newline` after every row.
// Token count = side² + feature_rows · (feature_cols + 1) = AnyresGeometry::token_count.
#pragma once

#include "vision/anyres_geometry.h"

#include <span>
#include <vector>

namespace linea::vision {

// `tile_features`: F32 [tile_count][side·side][dim], tile 0 the thumbnail, then the grid row-major.
// Returns F32 [token_count][dim]. Throws std::invalid_argument when the sizes disagree.
std::vector<float> pack_image_features(std::span<const float> tile_features, const AnyresGeometry& geometry,
                                       std::span<const float> image_newline, int dim);

}  // namespace linea::vision
