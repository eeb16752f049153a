#include "vision/image_decode.h"

#include "engine/io/format_error.h"
#include "vision/opencv_image.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <vector>

namespace linea::vision {
namespace {

using io::FormatError;

std::string megapixels(std::uint64_t pixels) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", static_cast<double>(pixels) / 1e6);
  return buffer;
}

std::vector<std::uint8_t> read_whole_file(const std::string& path, const DecodeLimits& limits) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) throw FormatError(path, std::nullopt, "cannot open: no such file");
  if (std::filesystem::is_directory(status)) throw FormatError(path, std::nullopt, "cannot open: it is a directory");
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) throw FormatError(path, std::nullopt, "cannot read its size: " + error.message());
  if (size > limits.max_file_bytes)
    throw FormatError(path, std::nullopt,
                      "the file has " + std::to_string(size) + " bytes, over the image file limit of " +
                          std::to_string(limits.max_file_bytes) + " bytes");
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw FormatError(path, std::nullopt, std::string("cannot open: ") + std::strerror(errno));
  std::vector<std::uint8_t> bytes(size);
  stream.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(stream.gcount()) != size)
    throw FormatError(path, static_cast<std::uint64_t>(stream.gcount()), "read error: the file ended early");
  return bytes;
}

// Any depth/channel layout OpenCV returns -> 8-bit RGB: 16-bit scaled by 1/257, float clamped to
// [0,1], grey expanded, alpha composited on white (what a viewer shows and what the model expects).
cv::Mat to_rgb8(const cv::Mat& decoded, const std::string& name) {
  const int channels = decoded.channels();
  double scale = 1.0;
  switch (decoded.depth()) {
    case CV_8U: scale = 1.0 / 255.0; break;
    case CV_16U: scale = 1.0 / 65535.0; break;
    case CV_32F: scale = 1.0; break;
    default:
      throw FormatError(name, std::nullopt,
                        "unsupported sample type (OpenCV depth " + std::to_string(decoded.depth()) +
                            "): only 8-bit, 16-bit and float images are supported");
  }
  if (channels < 1 || channels > 4)
    throw FormatError(name, std::nullopt, "unsupported channel count " + std::to_string(channels));
  cv::Mat rgb;
  if (decoded.depth() == CV_8U && (channels == 1 || channels == 3)) {
    cv::cvtColor(decoded, rgb, channels == 1 ? cv::COLOR_GRAY2RGB : cv::COLOR_BGR2RGB);
    return rgb;
  }
  cv::Mat unit;  // float in [0,1]
  decoded.convertTo(unit, CV_32F, scale);
  if (decoded.depth() == CV_32F) cv::min(cv::max(unit, 0.0), 1.0, unit);
  std::vector<cv::Mat> planes;
  cv::split(unit, planes);
  cv::Mat alpha;
  if (channels == 2 || channels == 4) {
    alpha = planes.back();
    planes.pop_back();
  }
  if (planes.size() == 1) {
    planes = {planes[0], planes[0], planes[0]};
  } else {
    std::swap(planes[0], planes[2]);  // OpenCV's BGR -> RGB
  }
  if (!alpha.empty()) {
    const cv::Mat transparent = 1.0 - alpha;
    for (cv::Mat& plane : planes) plane = plane.mul(alpha) + transparent;
  }
  cv::Mat merged;
  cv::merge(planes, merged);
  merged.convertTo(rgb, CV_8U, 255.0);  // rounds to nearest, saturates
  return rgb;
}

}  // namespace

RgbImage apply_exif_orientation(const RgbImage& image, int orientation) {
  if (orientation <= 1 || orientation > 8) return image;
  const cv::Mat source = opencv_view(image);
  cv::Mat result;
  switch (orientation) {
    case 2: cv::flip(source, result, 1); break;  // mirrored left-right
    case 3: cv::rotate(source, result, cv::ROTATE_180); break;
    case 4: cv::flip(source, result, 0); break;    // mirrored top-bottom
    case 5: cv::transpose(source, result); break;  // mirrored along the main diagonal
    case 6: cv::rotate(source, result, cv::ROTATE_90_CLOCKWISE); break;
    case 7:
      cv::rotate(source, result, cv::ROTATE_180);
      cv::transpose(result, result);
      break;  // anti-diagonal
    case 8: cv::rotate(source, result, cv::ROTATE_90_COUNTERCLOCKWISE); break;
  }
  return rgb_image_from(result);
}

DecodedImage decode_image_bytes(std::span<const std::uint8_t> bytes, const std::string& name,
                                const DecodeLimits& limits) {
  const auto content = sniff_image_format(bytes);
  const auto claimed = image_format_for_name(name);
  if (content && claimed && *content != *claimed)
    throw FormatError(name, std::nullopt,
                      std::string("the file name says ") + image_format_name(*claimed) + " but the content is a " +
                          image_format_name(*content) + " image; rename it with the right extension");
  DecodedImage result;
  result.header = read_image_header(bytes, name);
  const ImageHeader& header = result.header;
  const std::uint64_t pixels = std::uint64_t{header.width} * header.height;
  if (pixels > limits.max_pixels)
    throw FormatError(name, std::nullopt,
                      std::string(image_format_name(header.format)) + " header declares " +
                          std::to_string(header.width) + " x " + std::to_string(header.height) + " pixels (" +
                          megapixels(pixels) + " megapixels), over the limit of " + megapixels(limits.max_pixels) +
                          " megapixels (" + std::to_string(limits.max_pixels) + " pixels); refusing to decode");
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw FormatError(name, std::nullopt,
                      "the data has " + std::to_string(bytes.size()) + " bytes, more than the decoder accepts (2 GiB)");
  cv::Mat decoded;
  try {
    const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data()));
    // IMREAD_UNCHANGED keeps alpha and 16-bit samples and leaves the EXIF orientation to us.
    decoded = cv::imdecode(encoded, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& error) {
    throw FormatError(name, std::nullopt,
                      std::string("the ") + image_format_name(header.format) + " decoder failed: " + error.err);
  }
  if (decoded.empty())
    throw FormatError(name, std::nullopt,
                      std::string("the ") + image_format_name(header.format) +
                          " decoder could not read the pixel data: the file is corrupt or uses an unsupported variant");
  if (static_cast<std::uint32_t>(decoded.cols) != header.width ||
      static_cast<std::uint32_t>(decoded.rows) != header.height)
    throw FormatError(name, std::nullopt,
                      "decoded " + std::to_string(decoded.cols) + " x " + std::to_string(decoded.rows) +
                          " pixels but the header declares " + std::to_string(header.width) + " x " +
                          std::to_string(header.height));
  result.image = apply_exif_orientation(rgb_image_from(to_rgb8(decoded, name)), header.exif_orientation);
  return result;
}

DecodedImage decode_image_file(const std::string& path, const DecodeLimits& limits) {
  const std::vector<std::uint8_t> bytes = read_whole_file(path, limits);
  return decode_image_bytes(bytes, path, limits);
}

}  // namespace linea::vision
