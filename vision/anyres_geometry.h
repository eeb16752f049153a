// LLaVA-NeXT "anyres" geometry as MiniMax-VL-01 uses it (model-spec §1.9): which grid of 336x336
// tiles an image gets, how it is resized and padded into that grid, and how many tokens its packed
// features take. Integer-exact with transformers' select_best_resolution, get_patch_output_size,
// get_anyres_image_grid_shape, unpad_image and LlavaNextProcessor._get_number_of_features.
#pragma once

#include <span>
#include <vector>

namespace linea::vision {

struct ImageSize {
  int height = 0;  // (height, width), the order the reference's pinpoints use
  int width = 0;
  friend bool operator==(const ImageSize&, const ImageSize&) = default;
};

// The 28 grid resolutions of MiniMax-VL-01 (model-spec §1.9): every (h, w) in {336..2016}^2 with at
// most 18 tiles of 336.
std::span<const ImageSize> minimax_vl_01_pinpoints();

// The candidate that keeps the most of the image's pixels when the image is scaled to fit it, and
// among equals wastes the least area (ties keep the first in list order).
ImageSize select_best_resolution(ImageSize original, std::span<const ImageSize> candidates);

// The size `original` gets when resized to fit inside `target` keeping its aspect ratio: one side
// equals the target's, the other is rounded up (capped at the target's).
ImageSize fit_within(ImageSize original, ImageSize target);

struct AnyresGeometry {
  ImageSize original;
  ImageSize best_resolution;  // the chosen pinpoint
  ImageSize resized;          // fit_within(original, best_resolution): the image inside the padding
  int grid_rows = 0;          // tiles down
  int grid_cols = 0;          // tiles across
  int tile_count = 0;         // 1 (the thumbnail, tile 0) + grid_rows * grid_cols
  int features_per_side = 0;  // tile_size / patch_size (24 for 336 / 14)
  int feature_rows = 0;       // the unpadded grid feature map (h_num)
  int feature_cols = 0;       // (w_num)
  int pad_rows_top = 0;       // feature rows dropped at the top of the full grid map by unpadding
  int pad_cols_left = 0;      // feature columns dropped at the left
  int token_count = 0;        // features_per_side^2 + feature_rows * (feature_cols + 1)
};

// Throws std::invalid_argument for a non-positive size, tile or patch size, or no candidates.
AnyresGeometry anyres_geometry(ImageSize original, std::span<const ImageSize> pinpoints, int tile_size = 336,
                               int patch_size = 14);

}  // namespace linea::vision
