#include "vision/anyres_geometry.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace linea::vision {
namespace {

constexpr std::array<ImageSize, 28> kMinimaxPinpoints = {{
    {336, 336},   {336, 672},   {336, 1008},  {336, 1344},  {336, 1680}, {336, 2016}, {672, 336},
    {672, 672},   {672, 1008},  {672, 1344},  {672, 1680},  {672, 2016}, {1008, 336}, {1008, 672},
    {1008, 1008}, {1008, 1344}, {1008, 1680}, {1008, 2016}, {1344, 336}, {1344, 672}, {1344, 1008},
    {1344, 1344}, {1680, 336},  {1680, 672},  {1680, 1008}, {2016, 336}, {2016, 672}, {2016, 1008},
}};

// Python's int(round(x, 7)) for x >= 0: rounding to 7 decimals first means a value a hair below an
// integer (float error in a ratio) counts as that integer, then the rest is truncated.
int floor_after_rounding_to_7_decimals(double x) {
  const long long scaled = std::llround(x * 1e7);
  return static_cast<int>(scaled / 10000000);
}

}  // namespace

std::span<const ImageSize> minimax_vl_01_pinpoints() { return kMinimaxPinpoints; }

ImageSize select_best_resolution(ImageSize original, std::span<const ImageSize> candidates) {
  if (original.height <= 0 || original.width <= 0)
    throw std::invalid_argument("select_best_resolution: image size " + std::to_string(original.width) + " x " +
                                std::to_string(original.height) + " is not positive");
  if (candidates.empty()) throw std::invalid_argument("select_best_resolution: no candidate resolutions");
  ImageSize best{};
  std::int64_t best_effective = 0;
  std::int64_t least_wasted = std::numeric_limits<std::int64_t>::max();
  const std::int64_t original_area = std::int64_t{original.width} * original.height;
  for (const ImageSize& candidate : candidates) {
    const double scale = std::min(static_cast<double>(candidate.width) / original.width,
                                  static_cast<double>(candidate.height) / original.height);
    const auto scaled_width = static_cast<std::int64_t>(original.width * scale);
    const auto scaled_height = static_cast<std::int64_t>(original.height * scale);
    const std::int64_t effective = std::min(scaled_width * scaled_height, original_area);
    const std::int64_t wasted = std::int64_t{candidate.width} * candidate.height - effective;
    if (effective > best_effective || (effective == best_effective && wasted < least_wasted)) {
      best_effective = effective;
      least_wasted = wasted;
      best = candidate;
    }
  }
  return best;
}

ImageSize fit_within(ImageSize original, ImageSize target) {
  const double scale_w = static_cast<double>(target.width) / original.width;
  const double scale_h = static_cast<double>(target.height) / original.height;
  if (scale_w < scale_h)
    return {std::min(static_cast<int>(std::ceil(original.height * scale_w)), target.height), target.width};
  return {target.height, std::min(static_cast<int>(std::ceil(original.width * scale_h)), target.width)};
}

AnyresGeometry anyres_geometry(ImageSize original, std::span<const ImageSize> pinpoints, int tile_size,
                               int patch_size) {
  if (tile_size <= 0 || patch_size <= 0 || tile_size % patch_size != 0)
    throw std::invalid_argument("anyres_geometry: tile size " + std::to_string(tile_size) +
                                " must be a positive multiple of the patch size " + std::to_string(patch_size));
  AnyresGeometry g;
  g.original = original;
  g.best_resolution = select_best_resolution(original, pinpoints);
  g.resized = fit_within(original, g.best_resolution);
  g.grid_rows = g.best_resolution.height / tile_size;
  g.grid_cols = g.best_resolution.width / tile_size;
  g.tile_count = 1 + g.grid_rows * g.grid_cols;
  g.features_per_side = tile_size / patch_size;

  // unpad_image: the full map is (rows*24) x (cols*24); crop the padding the resize left, with the
  // crop size derived from the aspect ratio (not from the pixel padding).
  const int full_rows = g.grid_rows * g.features_per_side;
  const int full_cols = g.grid_cols * g.features_per_side;
  const double original_aspect = static_cast<double>(original.width) / original.height;
  const double current_aspect = static_cast<double>(full_cols) / full_rows;
  g.feature_rows = full_rows;
  g.feature_cols = full_cols;
  if (original_aspect > current_aspect) {
    const double scale = static_cast<double>(full_cols) / original.width;
    const int new_rows = floor_after_rounding_to_7_decimals(original.height * scale);
    g.pad_rows_top = (full_rows - new_rows) / 2;
    g.feature_rows = full_rows - 2 * g.pad_rows_top;
  } else {
    const double scale = static_cast<double>(full_rows) / original.height;
    const int new_cols = floor_after_rounding_to_7_decimals(original.width * scale);
    g.pad_cols_left = (full_cols - new_cols) / 2;
    g.feature_cols = full_cols - 2 * g.pad_cols_left;
  }
  g.token_count = g.features_per_side * g.features_per_side + g.feature_rows * (g.feature_cols + 1);
  return g;
}

}  // namespace linea::vision
