#include "vision/ocr.h"

#include "vision/ocr_preprocess.h"
#include "vision/opencv_image.h"

#include <tesseract/baseapi.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace linea::vision {
namespace {

struct TesseractDeleter {
  void operator()(tesseract::TessBaseAPI* api) const {
    api->End();
    delete api;
  }
};
using TesseractPtr = std::unique_ptr<tesseract::TessBaseAPI, TesseractDeleter>;

std::vector<std::string> tessdata_candidates() {
  std::vector<std::string> folders;
  if (const char* prefix = std::getenv("TESSDATA_PREFIX"); prefix && *prefix) {
    folders.emplace_back(prefix);
    folders.push_back(std::string(prefix) + "/tessdata");
  }
  // Debian/Ubuntu version folders (5, 4.00), newest first, then the other common layouts.
  std::error_code error;
  std::vector<std::string> versioned;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/share/tesseract-ocr", error))
    versioned.push_back(entry.path().string() + "/tessdata");
  std::sort(versioned.rbegin(), versioned.rend());
  folders.insert(folders.end(), versioned.begin(), versioned.end());
  for (const char* folder : {"/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata",
                             "/usr/share/tesseract/tessdata"})
    folders.emplace_back(folder);
  return folders;
}

std::string first_language(const std::string& language) { return language.substr(0, language.find('+')); }

// Tesseract's text ends with a newline per line and a blank line per paragraph; drop the trailing ones.
std::string tidy(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

std::optional<std::string> find_tessdata_dir(const std::string& language) {
  const std::string file = first_language(language) + ".traineddata";
  for (const std::string& folder : tessdata_candidates()) {
    std::error_code error;
    if (std::filesystem::is_regular_file(std::filesystem::path(folder) / file, error)) return folder;
  }
  return std::nullopt;
}

struct OcrEngine::Impl {
  OcrOptions options;
  std::string tessdata;
  TesseractPtr api;
};

OcrEngine::OcrEngine(OcrOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  const std::string& language = impl_->options.language;
  if (!impl_->options.tessdata_dir.empty()) {
    impl_->tessdata = impl_->options.tessdata_dir;
  } else if (auto found = find_tessdata_dir(language)) {
    impl_->tessdata = *found;
  } else {
    std::string searched;
    for (const std::string& folder : tessdata_candidates()) searched += (searched.empty() ? "" : ", ") + folder;
    throw OcrError("Tesseract language data '" + first_language(language) + ".traineddata' not found (looked in " +
                   searched + "); install tesseract-ocr-" + first_language(language) + " or set TESSDATA_PREFIX");
  }
  impl_->api.reset(new tesseract::TessBaseAPI());
  if (impl_->api->Init(impl_->tessdata.c_str(), language.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
    throw OcrError("Tesseract could not load language '" + language + "' from " + impl_->tessdata);
  impl_->api->SetPageSegMode(tesseract::PSM_AUTO);
  // Keep Tesseract's own diagnostics off stderr: the caller reports problems.
  impl_->api->SetVariable("debug_file", "/dev/null");
}

OcrEngine::~OcrEngine() = default;

const std::string& OcrEngine::tessdata_dir() const { return impl_->tessdata; }

OcrResult OcrEngine::recognize(const RgbImage& image, int dpi) {
  OcrResult result;
  if (image.empty()) return result;
  OcrPreprocessOptions prepare;
  prepare.deskew = impl_->options.deskew;
  prepare.binarization = impl_->options.adaptive_binarization ? Binarization::adaptive : Binarization::otsu;
  OcrPreprocessReport report;
  const cv::Mat page = prepare_for_ocr(opencv_view(image), prepare, &report);
  result.skew_degrees = report.skew_degrees;
  result.scale = report.scale;

  tesseract::TessBaseAPI& api = *impl_->api;
  api.SetImage(page.data, page.cols, page.rows, 1, static_cast<int>(page.step));
  // A known resolution (raised by the enlargement) keeps Tesseract from guessing and warning; for a
  // picture of unknown resolution, 300 dpi matches the glyph size the enlargement aims for.
  api.SetSourceResolution(dpi > 0 ? static_cast<int>(dpi * report.scale) : 300);
  const std::unique_ptr<char[]> text(api.GetUTF8Text());
  result.text = text ? tidy(text.get()) : std::string();
  result.mean_confidence = api.MeanTextConf();
  api.Clear();
  return result;
}

}  // namespace linea::vision
