// `linea-cli ocr FILE [--language L] [--dpi N] [--no-deskew] [--adaptive] [--verbose]`: prints the
// text of an image (PNG, JPEG, WebP, BMP, TIFF) or a PDF on stdout. PDF pages with a text layer are
// read directly; scanned pages are rendered and recognised with Tesseract. A bad file exits with
// status 1 and the reason, naming the file, on stderr.
#pragma once

#include "app/cli/cli_commands.h"

namespace linea::cli {

int run_ocr(CommandContext& context);

}  // namespace linea::cli
