// An 8-bit RGB image in memory: the one picture type every vision stage passes along (decoding,
// preprocessing, OCR). Interleaved R,G,B bytes, rows top to bottom, no padding between rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace linea::vision {

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // U8 [height][width][3]

  RgbImage() = default;
  RgbImage(int w, int h) : width(w), height(h), pixels(static_cast<std::size_t>(w) * h * 3) {}

  bool empty() const { return width == 0 || height == 0; }
  std::uint8_t* row(int y) { return pixels.data() + static_cast<std::size_t>(y) * width * 3; }
  const std::uint8_t* row(int y) const { return pixels.data() + static_cast<std::size_t>(y) * width * 3; }
  std::uint8_t& at(int x, int y, int channel) { return row(y)[x * 3 + channel]; }
  std::uint8_t at(int x, int y, int channel) const { return row(y)[x * 3 + channel]; }
};

}  // namespace linea::vision
