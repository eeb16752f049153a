// The seam between RgbImage and OpenCV inside linea_vision (OpenCV stays out of public headers).
#pragma once

#include "vision/rgb_image.h"

#include <opencv2/core.hpp>

namespace linea::vision {

// A CV_8UC3 header over the image's pixels (R,G,B order); no copy, valid while `image` lives.
inline cv::Mat opencv_view(const RgbImage& image) {
  return cv::Mat(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.pixels.data()));
}

// Copies a CV_8UC3 matrix holding R,G,B into an RgbImage.
inline RgbImage rgb_image_from(const cv::Mat& rgb) {
  CV_Assert(rgb.type() == CV_8UC3);
  RgbImage image(rgb.cols, rgb.rows);
  for (int y = 0; y < rgb.rows; ++y)
    std::copy(rgb.ptr<std::uint8_t>(y), rgb.ptr<std::uint8_t>(y) + rgb.cols * 3, image.row(y));
  return image;
}

}  // namespace linea::vision
