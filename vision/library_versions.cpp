#include "vision/library_versions.h"

#include <opencv2/core/utility.hpp>
#include <poppler-version.h>
#include <tesseract/baseapi.h>

namespace linea::vision {

ComponentVersions library_versions() {
  return {
      {"OpenCV", cv::getVersionString()},
      {"Tesseract", tesseract::TessBaseAPI::Version()},
      {"poppler-qt6", Poppler::Version::string().toStdString()},
  };
}

}  // namespace linea::vision
