#include "vision/ocr_preprocess.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace linea::vision {
namespace {

// Text pixels white on black (Otsu's threshold on an already dark-text-on-light page).
cv::Mat text_mask_of(const cv::Mat& grey) {
  cv::Mat mask;
  cv::threshold(grey, mask, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  return mask;
}

// Sum of squared bin counts of the points projected on the direction perpendicular to text lines
// rotated by `degrees`: largest when the bins line up with the text lines.
double projection_sharpness(const std::vector<cv::Point>& points, double degrees, int bins, double offset) {
  const double radians = degrees * std::numbers::pi / 180.0;
  const double c = std::cos(radians), s = std::sin(radians);
  std::vector<int> histogram(bins, 0);
  for (const cv::Point& p : points) {
    const int bin = static_cast<int>(std::lround(p.y * c + p.x * s + offset));
    if (bin >= 0 && bin < bins) ++histogram[bin];
  }
  double score = 0;
  for (int count : histogram) score += static_cast<double>(count) * count;
  return score;
}

}  // namespace

double median_glyph_height(const cv::Mat& text_mask) {
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(text_mask, labels, stats, centroids, 8, CV_32S);
  std::vector<int> heights;
  for (int i = 1; i < count; ++i) {  // 0 is the background
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH);
    const int h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const int area = stats.at<int>(i, cv::CC_STAT_AREA);
    // Glyph-like: not a speck, not a rule line or a frame, not a whole-page blob.
    if (h >= 3 && area >= 4 && w <= 6 * h && h <= text_mask.rows / 3) heights.push_back(h);
  }
  if (heights.empty()) return 0;
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  return heights[heights.size() / 2];
}

double estimate_skew_degrees(const cv::Mat& text_mask, double max_degrees) {
  // Work on at most ~1000 px across: the angle does not need more, and it keeps this fast.
  cv::Mat small = text_mask;
  const double shrink = std::min(1.0, 1000.0 / std::max(text_mask.cols, text_mask.rows));
  if (shrink < 1.0) {
    cv::resize(text_mask, small, cv::Size(), shrink, shrink, cv::INTER_AREA);
    cv::threshold(small, small, 64, 255, cv::THRESH_BINARY);
  }
  std::vector<cv::Point> points;
  cv::findNonZero(small, points);
  if (points.size() < 20) return 0.0;
  const double diagonal = std::hypot(small.cols, small.rows);
  const int bins = static_cast<int>(std::ceil(2 * diagonal)) + 2;
  const double offset = diagonal;  // keeps projections of every angle non-negative
  double best = 0.0;
  double best_score = -1.0;
  // Coarse 0.5 degree steps, then 0.05 degree steps around the best.
  for (double a = -max_degrees; a <= max_degrees + 1e-9; a += 0.5) {
    const double score = projection_sharpness(points, a, bins, offset);
    if (score > best_score) best_score = score, best = a;
  }
  const double coarse = best;
  for (double a = coarse - 0.5; a <= coarse + 0.5 + 1e-9; a += 0.05) {
    const double score = projection_sharpness(points, a, bins, offset);
    if (score > best_score) best_score = score, best = a;
  }
  return best;
}

cv::Mat prepare_for_ocr(const cv::Mat& image, const OcrPreprocessOptions& options, OcrPreprocessReport* report) {
  OcrPreprocessReport local;
  OcrPreprocessReport& r = report ? *report : local;
  r = {};
  cv::Mat grey;
  if (image.channels() == 3) {
    cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
  } else {
    grey = image.clone();
  }
  if (grey.empty()) return grey;

  // Light text on a dark background: invert, so the rest can assume dark text.
  cv::Mat mask = text_mask_of(grey);
  if (static_cast<std::size_t>(cv::countNonZero(mask)) > mask.total() / 2) {
    cv::bitwise_not(grey, grey);
    mask = text_mask_of(grey);
  }

  // Enlarge small text: Tesseract's models expect glyphs roughly 20-40 px tall.
  cv::Mat denoised_mask;
  cv::medianBlur(mask, denoised_mask, 3);
  r.text_height = median_glyph_height(options.remove_speckles ? denoised_mask : mask);
  if (r.text_height > 0 && r.text_height < 0.75 * options.target_text_height) {
    double scale = std::min(options.target_text_height / r.text_height, options.max_upscale);
    scale = std::min(scale, std::sqrt(options.max_output_pixels / static_cast<double>(grey.total())));
    if (scale > 1.05) {
      cv::resize(grey, grey, cv::Size(), scale, scale, cv::INTER_CUBIC);
      r.scale = scale;
    }
  }

  if (options.remove_speckles) cv::medianBlur(grey, grey, 3);

  if (options.deskew) {
    r.skew_degrees = estimate_skew_degrees(text_mask_of(grey), options.max_skew_degrees);
    if (std::abs(r.skew_degrees) >= 0.1) {
      // Rotate back (clockwise for a positive angle) onto a canvas large enough for every corner.
      const cv::Point2f centre(grey.cols / 2.0f, grey.rows / 2.0f);
      cv::Mat rotation = cv::getRotationMatrix2D(centre, -r.skew_degrees, 1.0);
      const cv::Rect2f bounds = cv::RotatedRect(centre, cv::Size2f(grey.size()), -r.skew_degrees).boundingRect2f();
      rotation.at<double>(0, 2) += bounds.width / 2.0 - centre.x;
      rotation.at<double>(1, 2) += bounds.height / 2.0 - centre.y;
      cv::warpAffine(grey, grey, rotation,
                     cv::Size(static_cast<int>(std::ceil(bounds.width)), static_cast<int>(std::ceil(bounds.height))),
                     cv::INTER_CUBIC, cv::BORDER_CONSTANT, cv::Scalar(255));
    }
  }

  cv::Mat binary;
  switch (options.binarization) {
    case Binarization::otsu: cv::threshold(grey, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU); return binary;
    case Binarization::adaptive: {
      // A window a few glyphs wide follows uneven lighting without eating thick strokes.
      const double glyph = r.text_height > 0 ? r.text_height * r.scale : 30.0;
      const int block = static_cast<int>(glyph * 2) | 1;
      cv::adaptiveThreshold(grey, binary, 255, cv::ADAPTIVE_THRESH_GAUSSIAN_C, cv::THRESH_BINARY, std::max(block, 15),
                            15);
      return binary;
    }
    case Binarization::none: return grey;
  }
  return grey;
}

}  // namespace linea::vision
