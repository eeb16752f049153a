// Decoding an image file (or bytes) into RGB, safely: the header is read and checked against size
// limits before any codec runs, the EXIF orientation is applied, and every kind of bad input
// (empty, garbage, truncated, misnamed, oversized) is an io::FormatError naming the file.
//
//   const auto decoded = linea::vision::decode_image_file("photo.jpg");
//   use(decoded.image);  // RgbImage, upright, alpha composited on white
#pragma once

#include "vision/image_header.h"
#include "vision/rgb_image.h"

#include <cstdint>
#include <span>
#include <string>

namespace linea::vision {

struct DecodeLimits {
  std::uint64_t max_pixels = 100'000'000;     // width * height, checked from the header before decoding
  std::uint64_t max_file_bytes = 1ull << 30;  // files larger than this are not read at all
};

struct DecodedImage {
  RgbImage image;      // upright: the EXIF orientation already applied
  ImageHeader header;  // as stored in the file
};

// The file's content decides the format; a name whose extension claims a different image format
// (photo.png holding JPEG data) is refused, so a misnamed file is noticed rather than guessed at.
DecodedImage decode_image_file(const std::string& path, const DecodeLimits& limits = {});

// `name` is used in messages (and for the extension check when it has an image extension).
DecodedImage decode_image_bytes(std::span<const std::uint8_t> bytes, const std::string& name,
                                const DecodeLimits& limits = {});

// Rotates/mirrors `image` as EXIF orientation `orientation` (1..8) asks, so it displays upright.
RgbImage apply_exif_orientation(const RgbImage& image, int orientation);

}  // namespace linea::vision
