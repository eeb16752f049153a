// The text of every page of a PDF: a page with a text layer gives poppler's text directly; a page
// without one (a scan) is rendered with poppler at 300 dpi and read by OCR.
#pragma once

#include "vision/ocr.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace linea::vision {

enum class PageTextSource { text_layer, ocr };

struct PdfPageText {
  int page_number = 0;  // 1-based, as viewers number pages
  PageTextSource source = PageTextSource::text_layer;
  std::string text;         // UTF-8
  int ocr_confidence = -1;  // 0..100 for OCR pages, -1 for text-layer pages
  int render_dpi = 0;       // the resolution an OCR page was rendered at
};

struct PdfTextOptions {
  int dpi = 300;                     // rendering resolution for pages without text
  double max_render_pixels = 100e6;  // a huge page is rendered at a lower dpi so it stays under this
  bool force_ocr = false;            // OCR every page, even those with a text layer
  std::function<void(int done, int total)> progress;
  const std::atomic_bool* cancel = nullptr;  // checked between pages
};

// Throws io::FormatError naming the file for a missing, non-PDF, damaged or password-protected
// document, and OcrError when a page needs OCR and Tesseract is unavailable. `ocr` may be null when
// the caller knows every page has text; a page that then needs OCR is an OcrError.
std::vector<PdfPageText> read_pdf_text(const std::string& path, OcrEngine* ocr, const PdfTextOptions& options = {});

// True when the file starts with "%PDF-".
bool looks_like_pdf(const std::string& path);

}  // namespace linea::vision
