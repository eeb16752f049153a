// Resizing RGB images. The default reproduces Pillow's Image.resize(BICUBIC) on 8-bit RGB exactly
// (same kernel, same antialiasing support, same 22-bit fixed-point rounding and the same
// horizontal-then-vertical passes), because the reference preprocessors (transformers'
// LlavaNextImageProcessorPil, CLIPImageProcessor) resize with Pillow and the vision model was
// trained on those pixels. OpenCV's INTER_CUBIC is a different filter (a = -0.75, no antialiasing
// when shrinking); it is offered for comparison and measured in tools/vision/README.md.
#pragma once

#include "vision/rgb_image.h"

namespace linea::vision {

enum class ResampleMethod {
  pil_bicubic,   // Pillow BICUBIC: Keys cubic a = -0.5, support widened by the scale when shrinking
  opencv_cubic,  // cv::resize INTER_CUBIC
};

// Throws std::invalid_argument for an empty source or a non-positive target size.
RgbImage resize_image(const RgbImage& image, int width, int height,
                      ResampleMethod method = ResampleMethod::pil_bicubic);

}  // namespace linea::vision
