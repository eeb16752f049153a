// What an image file's header says before any pixel is decoded: its format (from the content, not
// the name), its stored width and height, and its EXIF orientation. Reading this first lets the
// decoder refuse decompression bombs and truncated files with a precise message instead of letting
// a codec allocate gigabytes or silently fill the missing part with grey.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace linea::vision {

// The formats Linea decodes (the ones Debian 12's OpenCV 4.6 imgcodecs reads and we can check the
// header of). GIF is absent on purpose: OpenCV 4.6 has no GIF decoder.
enum class ImageFormat { png, jpeg, webp, bmp, tiff };

const char* image_format_name(ImageFormat format);  // "PNG", "JPEG", ...

// The format a file name's extension claims (".png", ".JPG", ".tiff", ...), nullopt for others.
std::optional<ImageFormat> image_format_for_name(std::string_view file_name);

// The format the first bytes identify, nullopt when none matches.
std::optional<ImageFormat> sniff_image_format(std::span<const std::uint8_t> bytes);

struct ImageHeader {
  ImageFormat format = ImageFormat::png;
  std::uint32_t width = 0;  // as stored, before the EXIF orientation is applied
  std::uint32_t height = 0;
  int exif_orientation = 1;  // 1..8 (1 = as stored)
};

// Parses the header and checks the file's structure far enough to know it is complete (PNG up to
// IEND, JPEG up to the end-of-image marker, WebP's RIFF size, BMP's pixel array). Throws
// io::FormatError naming `name` and the byte offset of the problem.
ImageHeader read_image_header(std::span<const std::uint8_t> bytes, const std::string& name);

}  // namespace linea::vision
