#include "app/cli/ocr_command.h"

#include "app/cli/argument_parser.h"
#include "vision/image_decode.h"
#include "vision/ocr.h"
#include "vision/pdf_text.h"

#include <algorithm>
#include <memory>
#include <ostream>

namespace linea::cli {

int run_ocr(CommandContext& context) {
  ArgumentParser parser("linea-cli ocr", "Print the text of an image or a PDF (scanned pages are read with OCR).");
  parser.add_positional("FILE", "image (PNG, JPEG, WebP, BMP, TIFF) or PDF");
  parser.add_option({"-l", "--language"}, "LANG", "Tesseract language(s), e.g. eng or eng+deu", "eng");
  parser.add_option({"--dpi"}, "N", "resolution for rendering scanned PDF pages", "300");
  parser.add_flag({"--no-deskew"}, "do not straighten skewed text");
  parser.add_flag({"--adaptive"}, "adaptive binarisation, for photos with uneven lighting");
  parser.add_flag({"--force-ocr"}, "OCR every PDF page, even those with a text layer");
  parser.add_flag({"-v", "--verbose"}, "report per page how the text was obtained, on stderr");
  parser.add_flag({"-h", "--help"}, "show this help");
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;
  const std::string path = *parser.positional("FILE");
  const long long dpi = parser.integer("--dpi");
  if (dpi < 36 || dpi > 1200) throw UsageError("--dpi " + std::to_string(dpi) + " is outside 36..1200");
  const bool verbose = parser.has("--verbose");

  vision::OcrOptions options;
  options.language = parser.value("--language");
  options.deskew = !parser.has("--no-deskew");
  options.adaptive_binarization = parser.has("--adaptive");

  if (vision::looks_like_pdf(path)) {
    // A PDF whose pages all carry text needs no Tesseract: only fail when a page needs OCR.
    std::unique_ptr<vision::OcrEngine> ocr;
    std::string ocr_problem;
    try {
      ocr = std::make_unique<vision::OcrEngine>(options);
    } catch (const vision::OcrError& error) {
      ocr_problem = error.what();
    }
    vision::PdfTextOptions pdf;
    pdf.dpi = static_cast<int>(dpi);
    pdf.force_ocr = parser.has("--force-ocr");
    std::vector<vision::PdfPageText> pages;
    try {
      pages = vision::read_pdf_text(path, ocr.get(), pdf);
    } catch (const vision::OcrError& error) {
      throw vision::OcrError(ocr_problem.empty() ? error.what() : std::string(error.what()) + ": " + ocr_problem);
    }
    for (std::size_t i = 0; i < pages.size(); ++i) {
      const vision::PdfPageText& page = pages[i];
      if (verbose) {
        context.err << "page " << page.page_number << ": ";
        if (page.source == vision::PageTextSource::text_layer)
          context.err << "text layer\n";
        else
          context.err << "OCR at " << page.render_dpi << " dpi, confidence " << page.ocr_confidence << "\n";
      }
      if (i > 0) context.out << "\n\f\n";  // form feed between pages, as pdftotext does
      context.out << page.text;
    }
    context.out << '\n';
    return 0;
  }

  const vision::DecodedImage decoded = vision::decode_image_file(path);
  vision::OcrEngine ocr(options);
  const vision::OcrResult result = ocr.recognize(decoded.image);
  if (verbose)
    context.err << path << ": " << decoded.image.width << " x " << decoded.image.height << ", skew "
                << result.skew_degrees << " degrees, scale " << result.scale << ", confidence "
                << result.mean_confidence << "\n";
  context.out << result.text << '\n';
  return 0;
}

}  // namespace linea::cli
