// Cleaning up a picture of text before Tesseract reads it: greyscale, enlarge small text to the
// size Tesseract is trained on, remove speckle noise, straighten a skewed scan, and binarise.
// OpenCV types appear here on purpose: this header is internal to linea_vision and its tests.
#pragma once

#include <opencv2/core.hpp>

namespace linea::vision {

enum class Binarization { otsu, adaptive, none };

struct OcrPreprocessOptions {
  bool deskew = true;
  double max_skew_degrees = 15.0;  // angles searched: [-max, +max]
  int target_text_height = 36;     // px; text whose median glyph is smaller is enlarged towards this
  double max_upscale = 4.0;
  double max_output_pixels = 60e6;  // enlargement never makes the page bigger than this
  bool remove_speckles = true;      // 3x3 median filter
  Binarization binarization = Binarization::otsu;
};

struct OcrPreprocessReport {
  double text_height = 0;   // median glyph height found, before scaling (0 = no text found)
  double scale = 1.0;       // enlargement applied
  double skew_degrees = 0;  // counter-clockwise rotation of the text found (and undone)
};

// `image`: CV_8UC1 or CV_8UC3 (R,G,B). Returns CV_8UC1, dark text on white.
cv::Mat prepare_for_ocr(const cv::Mat& image, const OcrPreprocessOptions& options,
                        OcrPreprocessReport* report = nullptr);

// The angle (degrees, counter-clockwise positive, as the text appears rotated on the page) that
// makes the text lines of `text_mask` (text pixels non-zero) horizontal: the rotation whose
// horizontal projection has the sharpest peaks. 0 for an empty mask.
double estimate_skew_degrees(const cv::Mat& text_mask, double max_degrees);

// Median height of the glyph-sized connected components of `text_mask`, 0 when there are none.
double median_glyph_height(const cv::Mat& text_mask);

}  // namespace linea::vision
