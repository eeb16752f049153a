// The deterministic test picture that tools/vision/synthetic_image.py also draws, byte for byte:
// a diagonal ramp plus a hashed noise texture (smooth areas and sharp, clipping-prone edges).
#pragma once

#include "vision/rgb_image.h"

#include <cstdint>
#include <vector>

namespace linea::test {

inline std::uint32_t synthetic_hash(std::uint32_t x, std::uint32_t y, std::uint32_t c, std::uint32_t seed) {
  std::uint32_t h = x * 0x9E3779B1u + y * 0x85EBCA77u + c * 0xC2B2AE3Du + seed * 0x27D4EB2Fu;
  h ^= h >> 15;
  h *= 0x2C1B3C6Du;
  h ^= h >> 12;
  return h;
}

inline vision::RgbImage synthetic_image(int height, int width, std::uint32_t seed) {
  vision::RgbImage image(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < 3; ++c) {
        const std::uint32_t ux = static_cast<std::uint32_t>(x), uy = static_cast<std::uint32_t>(y);
        const std::uint32_t ramp = (ux * 7 + uy * 3 + static_cast<std::uint32_t>(c) * 50) & 255u;
        const std::uint32_t noise = synthetic_hash(ux, uy, static_cast<std::uint32_t>(c), seed) & 63u;
        image.at(x, y, c) = static_cast<std::uint8_t>((ramp + noise) & 255u);
      }
  return image;
}

// Model inputs in [-2, 2] for the encoder goldens: F32 [channels][height][width], the same hash as
// synthetic_pixels() in tools/vision/make_goldens.py.
inline std::vector<float> synthetic_pixels(int channels, int height, int width, std::uint32_t seed) {
  std::vector<float> values(static_cast<std::size_t>(channels) * height * width);
  std::size_t i = 0;
  for (int c = 0; c < channels; ++c)
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) {
        const std::uint32_t h = synthetic_hash(static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y),
                                               static_cast<std::uint32_t>(c), seed);
        values[i++] = static_cast<float>(static_cast<double>(h & 0xFFFFu) / 65535.0 * 4.0 - 2.0);
      }
  return values;
}

}  // namespace linea::test
