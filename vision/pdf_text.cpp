#include "vision/pdf_text.h"

#include "engine/core/log.h"
#include "engine/io/format_error.h"

#include <QImage>
#include <QString>

#include <poppler-qt6.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace linea::vision {
namespace {

using io::FormatError;

bool has_visible_text(const QString& text) {
  return std::any_of(text.begin(), text.end(), [](QChar c) { return !c.isSpace(); });
}

RgbImage rgb_image_from(const QImage& rendered) {
  const QImage rgb = rendered.convertToFormat(QImage::Format_RGB888);
  RgbImage image(rgb.width(), rgb.height());
  for (int y = 0; y < rgb.height(); ++y) {
    const uchar* line = rgb.constScanLine(y);
    std::copy(line, line + static_cast<std::size_t>(rgb.width()) * 3, image.row(y));
  }
  return image;
}

// Poppler reports syntax problems of damaged files through this hook; route them to our log.
void route_poppler_messages() {
  static const bool installed = [] {
    Poppler::setDebugErrorFunction(
        [](const QString& message, const QVariant&) {
          log_message(LogLevel::debug, "poppler: " + message.toStdString());
        },
        QVariant());
    return true;
  }();
  (void)installed;
}

}  // namespace

bool looks_like_pdf(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  char magic[5] = {};
  stream.read(magic, 5);
  return stream.gcount() == 5 && std::string_view(magic, 5) == "%PDF-";
}

std::vector<PdfPageText> read_pdf_text(const std::string& path, OcrEngine* ocr, const PdfTextOptions& options) {
  route_poppler_messages();
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    throw FormatError(path, std::nullopt, "cannot open: no such file");
  if (!looks_like_pdf(path)) throw FormatError(path, 0, "not a PDF: the file does not start with %PDF-");
  std::unique_ptr<Poppler::Document> document = Poppler::Document::load(QString::fromStdString(path));
  if (!document) throw FormatError(path, std::nullopt, "poppler could not open the PDF: it is damaged");
  if (document->isLocked()) throw FormatError(path, std::nullopt, "the PDF is password-protected");
  document->setRenderHint(Poppler::Document::Antialiasing, true);
  document->setRenderHint(Poppler::Document::TextAntialiasing, true);

  const int pages = document->numPages();
  if (pages <= 0) throw FormatError(path, std::nullopt, "the PDF has no pages");
  std::vector<PdfPageText> result;
  for (int index = 0; index < pages; ++index) {
    if (options.cancel && options.cancel->load()) break;
    std::unique_ptr<Poppler::Page> page = document->page(index);
    if (!page) throw FormatError(path, std::nullopt, "page " + std::to_string(index + 1) + " cannot be read");
    PdfPageText out;
    out.page_number = index + 1;
    const QString layer = page->text(QRectF());
    if (!options.force_ocr && has_visible_text(layer)) {
      out.text = layer.toStdString();
    } else {
      if (!ocr)
        throw OcrError(path + ": page " + std::to_string(index + 1) + " has no text layer and OCR is not available");
      // Points are 1/72 inch; lower the dpi for huge pages so the render stays bounded.
      const QSizeF points = page->pageSizeF();
      double dpi = options.dpi;
      const double pixels = (points.width() / 72.0 * dpi) * (points.height() / 72.0 * dpi);
      if (pixels > options.max_render_pixels) dpi *= std::sqrt(options.max_render_pixels / pixels);
      const QImage rendered = page->renderToImage(dpi, dpi);
      if (rendered.isNull())
        throw FormatError(path, std::nullopt, "page " + std::to_string(index + 1) + " could not be rendered");
      const OcrResult read = ocr->recognize(rgb_image_from(rendered), static_cast<int>(std::lround(dpi)));
      out.source = PageTextSource::ocr;
      out.text = read.text;
      out.ocr_confidence = read.mean_confidence;
      out.render_dpi = static_cast<int>(std::lround(dpi));
    }
    result.push_back(std::move(out));
    if (options.progress) options.progress(index + 1, pages);
  }
  return result;
}

}  // namespace linea::vision
