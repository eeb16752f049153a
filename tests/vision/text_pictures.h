// Pictures of text for the OCR tests, drawn with Qt (needs a QGuiApplication; the tests run on the
// offscreen platform): a font, a size, a rotation, optional noise, like a page from a scanner.
#pragma once

#include "vision/rgb_image.h"

#include <QFont>
#include <QImage>
#include <QPainter>
#include <QString>

#include <random>

namespace linea::test {

struct TextPicture {
  QString family = QStringLiteral("DejaVu Sans");
  int pixel_size = 40;          // glyph em size in pixels (40 px is 9.6 pt at 300 dpi)
  int width = 1800;             // page width in pixels; the height follows from the text
  double rotate_degrees = 0;    // counter-clockwise, as seen on the page
  double noise_sigma = 0;       // Gaussian noise on every pixel, in grey levels
  double speckle_fraction = 0;  // fraction of pixels set to pure black or white
  bool light_on_dark = false;
  unsigned seed = 1;
};

inline QImage draw_text_picture(const QString& text, const TextPicture& style) {
  QFont font(style.family);
  font.setPixelSize(style.pixel_size);
  font.setHintingPreference(QFont::PreferNoHinting);
  const int margin = style.pixel_size * 2;
  const QRect text_box(0, 0, style.width - 2 * margin, 100000);
  QRect used;
  {
    QImage probe(1, 1, QImage::Format_RGB32);
    QPainter painter(&probe);
    painter.setFont(font);
    used = painter.boundingRect(text_box, Qt::TextWordWrap | Qt::AlignLeft, text);
  }
  const int height = used.height() + 2 * margin + static_cast<int>(std::abs(style.rotate_degrees) * style.width / 57);
  QImage page(style.width, height, QImage::Format_RGB32);
  const QColor paper = style.light_on_dark ? QColor(20, 30, 60) : QColor(Qt::white);
  const QColor ink = style.light_on_dark ? QColor(240, 240, 220) : QColor(Qt::black);
  page.fill(paper);
  {
    QPainter painter(&page);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.setFont(font);
    painter.setPen(ink);
    painter.translate(style.width / 2.0, height / 2.0);
    painter.rotate(-style.rotate_degrees);  // Qt turns clockwise for positive angles (y points down)
    painter.translate(-used.width() / 2.0, -used.height() / 2.0);
    painter.drawText(QRect(0, 0, text_box.width(), used.height()), Qt::TextWordWrap | Qt::AlignLeft, text);
  }
  if (style.noise_sigma > 0 || style.speckle_fraction > 0) {
    std::mt19937 random(style.seed);
    std::normal_distribution<double> noise(0.0, style.noise_sigma > 0 ? style.noise_sigma : 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (int y = 0; y < page.height(); ++y) {
      auto* line = reinterpret_cast<QRgb*>(page.scanLine(y));
      for (int x = 0; x < page.width(); ++x) {
        int grey = qGray(line[x]);
        if (style.noise_sigma > 0) grey = std::clamp(static_cast<int>(grey + noise(random)), 0, 255);
        if (style.speckle_fraction > 0 && uniform(random) < style.speckle_fraction)
          grey = uniform(random) < 0.5 ? 0 : 255;
        line[x] = qRgb(grey, grey, grey);
      }
    }
  }
  return page;
}

inline vision::RgbImage rgb_image_of(const QImage& image) {
  const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
  vision::RgbImage out(rgb.width(), rgb.height());
  for (int y = 0; y < rgb.height(); ++y)
    std::copy(rgb.constScanLine(y), rgb.constScanLine(y) + rgb.width() * 3, out.row(y));
  return out;
}

}  // namespace linea::test
