// Optical character recognition with Tesseract (its C++ API) after OpenCV clean-up
// (vision/ocr_preprocess.h). One OcrEngine holds one initialised Tesseract instance: create it once
// and reuse it; it is not thread-safe, so use one engine per thread.
//
//   linea::vision::OcrEngine ocr;                      // English, tessdata found automatically
//   std::string text = ocr.recognize(image).text;      // image: RgbImage
#pragma once

#include "vision/rgb_image.h"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace linea::vision {

// Tesseract could not be set up (language data missing, unreadable).
class OcrError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OcrOptions {
  std::string language = "eng";  // Tesseract language code(s), e.g. "eng" or "eng+deu"
  std::string tessdata_dir;      // empty: find it (see find_tessdata_dir)
  bool deskew = true;
  bool adaptive_binarization = false;  // for uneven lighting (photos of pages); Otsu otherwise
};

struct OcrResult {
  std::string text;         // UTF-8, lines separated by '\n', paragraphs by an empty line
  int mean_confidence = 0;  // Tesseract's 0..100
  double skew_degrees = 0;  // text rotation found and undone
  double scale = 1.0;       // enlargement applied to small text
};

// The folder holding "<language>.traineddata" for the first language of `language` ("eng+deu" ->
// eng): $TESSDATA_PREFIX (the folder itself or its tessdata/ child), then the Debian, Fedora,
// Homebrew and /usr/local locations. nullopt when none has it.
std::optional<std::string> find_tessdata_dir(const std::string& language);

class OcrEngine {
 public:
  // Throws OcrError naming the language and the folders searched when the data is missing.
  explicit OcrEngine(OcrOptions options = {});
  ~OcrEngine();
  OcrEngine(const OcrEngine&) = delete;
  OcrEngine& operator=(const OcrEngine&) = delete;

  // `dpi`: the image's resolution when known (a 300 dpi page render); 0 lets Tesseract estimate it.
  OcrResult recognize(const RgbImage& image, int dpi = 0);

  const std::string& tessdata_dir() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace linea::vision
