// Turning an RGB image into the CLIP tiles MiniMax-VL-01 / LLaVA-NeXT feed the vision tower:
// a 336x336 thumbnail of the whole image (squashed, tile 0), then the image resized (aspect kept) into
// the best pinpoint resolution, zero-padded around it and cut into 336x336 tiles, row by row; every
// tile rescaled by 1/255 and normalised with the CLIP mean/std. Matches transformers'
// LlavaNextImageProcessorPil (the Pillow path) value for value; see tests/vision/test_preprocess.cpp.
#pragma once

#include "vision/anyres_geometry.h"
#include "vision/resample.h"
#include "vision/rgb_image.h"

#include <array>
#include <vector>

namespace linea::vision {

struct PreprocessConfig {
  int tile_size = 336;  // CLIP input side, the thumbnail side and the tile side
  int patch_size = 14;  // ViT patch side
  std::vector<ImageSize> pinpoints;
  double rescale_factor = 1.0 / 255.0;
  std::array<float, 3> mean{0.48145466f, 0.4578275f, 0.40821073f};  // OpenAI CLIP
  std::array<float, 3> std{0.26862954f, 0.26130258f, 0.27577711f};
  ResampleMethod resample = ResampleMethod::pil_bicubic;

  // MiniMax-VL-01: CLIP ViT-L/14-336, its 28 pinpoints, OpenAI CLIP mean/std, bicubic.
  static PreprocessConfig minimax_vl_01();
};

struct PreprocessedImage {
  AnyresGeometry geometry;
  std::vector<float> pixel_values;  // F32 [tile_count][3][tile_size][tile_size], tile 0 = thumbnail

  const float* tile(int index, int tile_size) const {
    return pixel_values.data() + static_cast<std::size_t>(index) * 3 * tile_size * tile_size;
  }
};

// Throws std::invalid_argument for an empty image.
PreprocessedImage preprocess_anyres(const RgbImage& image, const PreprocessConfig& config);

// The anyres image before normalisation: the resized image centred in the best resolution, zero
// borders (what is cut into tiles), and the thumbnail. Exposed for tests and the benchmark.
struct AnyresCanvas {
  AnyresGeometry geometry;
  RgbImage padded;     // best_resolution.width x best_resolution.height
  RgbImage thumbnail;  // tile_size x tile_size
};
AnyresCanvas anyres_canvas(const RgbImage& image, const PreprocessConfig& config);

// Rescale and normalise one tile_size x tile_size window of `source` at (left, top) into CHW floats.
void normalise_tile(const RgbImage& source, int left, int top, const PreprocessConfig& config, float* out);

}  // namespace linea::vision
