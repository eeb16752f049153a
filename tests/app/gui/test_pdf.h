// A PDF made on the spot for tests and screenshots: `pages` pages, each with three lines of real,
// varied text drawn as text (so the PDF has a text layer that poppler extracts).
#pragma once

#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QString>

namespace linea::test {

inline void writeTextPdf(const QString& path, int pages) {
  QPdfWriter writer(path);
  writer.setPageSize(QPageSize(QPageSize::A5));
  writer.setResolution(72);
  QPainter painter(&writer);
  QFont font = painter.font();
  font.setPointSize(11);
  painter.setFont(font);
  for (int page = 1; page <= pages; ++page) {
    if (page > 1) writer.newPage();
    painter.drawText(QPointF(40, 60), QStringLiteral("Page %1 of the test book.").arg(page));
    painter.drawText(QPointF(40, 80),
                     QStringLiteral("The river keeps %1 stones and %2 birds.").arg(page * 7).arg(page % 13));
    painter.drawText(QPointF(40, 100),
                     QStringLiteral("Chapter %1 ends where the road turns north.").arg(page / 10 + 1));
  }
  painter.end();
}

}  // namespace linea::test
