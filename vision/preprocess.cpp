#include "vision/preprocess.h"

#include <algorithm>
#include <stdexcept>

namespace linea::vision {

PreprocessConfig PreprocessConfig::minimax_vl_01() {
  PreprocessConfig config;
  const auto pinpoints = minimax_vl_01_pinpoints();
  config.pinpoints.assign(pinpoints.begin(), pinpoints.end());
  return config;
}

AnyresCanvas anyres_canvas(const RgbImage& image, const PreprocessConfig& config) {
  if (image.empty()) throw std::invalid_argument("preprocess: the image is empty");
  AnyresCanvas canvas;
  canvas.geometry = anyres_geometry({image.height, image.width}, config.pinpoints, config.tile_size, config.patch_size);
  const AnyresGeometry& g = canvas.geometry;
  const RgbImage resized = resize_image(image, g.resized.width, g.resized.height, config.resample);
  // Centred; an odd leftover goes to the bottom/right border.
  const int top = (g.best_resolution.height - g.resized.height) / 2;
  const int left = (g.best_resolution.width - g.resized.width) / 2;
  canvas.padded = RgbImage(g.best_resolution.width, g.best_resolution.height);  // zero = black borders
  for (int y = 0; y < resized.height; ++y)
    std::copy(resized.row(y), resized.row(y) + resized.width * 3, canvas.padded.row(top + y) + left * 3);
  canvas.thumbnail = resize_image(image, config.tile_size, config.tile_size, config.resample);
  return canvas;
}

void normalise_tile(const RgbImage& source, int left, int top, const PreprocessConfig& config, float* out) {
  const int side = config.tile_size;
  const std::size_t plane = static_cast<std::size_t>(side) * side;
  // The reference rescales in double and stores float32, then normalises in float32:
  // (x - mean) / std, a subtraction and a true division, so we do the same for identical values.
  std::array<float, 256> rescaled{};
  for (int v = 0; v < 256; ++v) rescaled[v] = static_cast<float>(v * config.rescale_factor);
  for (int c = 0; c < 3; ++c) {
    std::array<float, 256> lookup{};
    for (int v = 0; v < 256; ++v) lookup[v] = (rescaled[v] - config.mean[c]) / config.std[c];
    float* channel = out + c * plane;
    for (int y = 0; y < side; ++y) {
      const std::uint8_t* row = source.row(top + y) + static_cast<std::size_t>(left) * 3;
      float* dst = channel + static_cast<std::size_t>(y) * side;
      for (int x = 0; x < side; ++x) dst[x] = lookup[row[x * 3 + c]];
    }
  }
}

PreprocessedImage preprocess_anyres(const RgbImage& image, const PreprocessConfig& config) {
  const AnyresCanvas canvas = anyres_canvas(image, config);
  const AnyresGeometry& g = canvas.geometry;
  const int side = config.tile_size;
  const std::size_t tile_floats = static_cast<std::size_t>(3) * side * side;
  PreprocessedImage result;
  result.geometry = g;
  result.pixel_values.resize(tile_floats * g.tile_count);
  normalise_tile(canvas.thumbnail, 0, 0, config, result.pixel_values.data());
  for (int row = 0; row < g.grid_rows; ++row)
    for (int col = 0; col < g.grid_cols; ++col)
      normalise_tile(canvas.padded, col * side, row * side, config,
                     result.pixel_values.data() + tile_floats * (1 + row * g.grid_cols + col));
  return result;
}

}  // namespace linea::vision
