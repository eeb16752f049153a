// OCR end to end with the real Tesseract and poppler: text drawn by Qt in several fonts, rotated,
// noisy, small or inverted, is read back with at least 98% character accuracy (Levenshtein), and a
// two-page scanned PDF (images only, no text layer) becomes text.
#include "engine/io/format_error.h"
#include "tests/vision/text_accuracy.h"
#include "tests/vision/text_pictures.h"
#include "vision/ocr.h"
#include "vision/ocr_preprocess.h"
#include "vision/opencv_image.h"
#include "vision/pdf_text.h"

#include <QGuiApplication>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgproc.hpp>

#include <fstream>

using namespace linea::vision;
using linea::test::TextPicture;

namespace {

const QString kLetter = QStringLiteral(
    "The committee met on Tuesday morning to review the quarterly figures. Sales in the northern region "
    "rose by twelve percent, while costs stayed flat. Two new stores will open before the end of the year, "
    "and the warehouse will move to a larger building near the river.");

const QString kManual = QStringLiteral(
    "Before you switch the machine on, check that the water tank is full and the filter is clean. "
    "Press the green button once to start a short cycle, or hold it for three seconds to start a long one. "
    "If the red light blinks, open the lid and remove any paper that is stuck inside.");

const QString kStory = QStringLiteral(
    "It was late in the evening when the last train left the station. A small dog waited on the platform, "
    "looking at every door as it passed. Nobody knew where it had come from, but the guard gave it some "
    "bread and a blanket, and in the morning it was gone.");

double accuracy(const std::string& recognised, const QString& reference) {
  return linea::test::character_accuracy(recognised, reference.toStdString());
}

}  // namespace

class TestOcr : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!find_tessdata_dir("eng")) QSKIP("Tesseract English data absent (install tesseract-ocr-eng)");
    engine_ = std::make_unique<OcrEngine>();
  }

  void readsRenderedText_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("family");
    QTest::addColumn<int>("pixelSize");
    QTest::addColumn<double>("rotation");
    QTest::addColumn<double>("noise");
    QTest::addColumn<double>("speckles");
    QTest::addColumn<bool>("inverted");
    QTest::newRow("sans") << kLetter << "DejaVu Sans" << 40 << 0.0 << 0.0 << 0.0 << false;
    QTest::newRow("serif") << kManual << "DejaVu Serif" << 40 << 0.0 << 0.0 << 0.0 << false;
    QTest::newRow("mono") << kStory << "DejaVu Sans Mono" << 40 << 0.0 << 0.0 << 0.0 << false;
    QTest::newRow("condensed") << kLetter << "DejaVu Sans Condensed" << 40 << 0.0 << 0.0 << 0.0 << false;
    QTest::newRow("sans rotated 3") << kManual << "DejaVu Sans" << 40 << 3.0 << 0.0 << 0.0 << false;
    QTest::newRow("serif rotated -3") << kStory << "DejaVu Serif" << 40 << -3.0 << 0.0 << 0.0 << false;
    QTest::newRow("sans noisy") << kStory << "DejaVu Sans" << 40 << 0.0 << 40.0 << 0.02 << false;
    QTest::newRow("serif rotated 3 noisy") << kLetter << "DejaVu Serif" << 40 << 3.0 << 30.0 << 0.01 << false;
    QTest::newRow("small text enlarged") << kManual << "DejaVu Sans" << 15 << 0.0 << 0.0 << 0.0 << false;
    QTest::newRow("light on dark") << kLetter << "DejaVu Sans" << 36 << 0.0 << 0.0 << 0.0 << true;
  }
  void readsRenderedText() {
    QFETCH(QString, text);
    QFETCH(QString, family);
    QFETCH(int, pixelSize);
    QFETCH(double, rotation);
    QFETCH(double, noise);
    QFETCH(double, speckles);
    QFETCH(bool, inverted);
    TextPicture style;
    style.family = family;
    style.pixel_size = pixelSize;
    style.width = pixelSize * 45;
    style.rotate_degrees = rotation;
    style.noise_sigma = noise;
    style.speckle_fraction = speckles;
    style.light_on_dark = inverted;
    const RgbImage picture = linea::test::rgb_image_of(linea::test::draw_text_picture(text, style));
    const OcrResult result = engine_->recognize(picture);
    const double score = accuracy(result.text, text);
    qInfo("%s: accuracy %.4f, skew %.2f, scale %.2f, confidence %d", QTest::currentDataTag(), score,
          result.skew_degrees, result.scale, result.mean_confidence);
    QVERIFY2(score >= 0.98,
             qPrintable(
                 QStringLiteral("accuracy %1 < 0.98; read:\n%2").arg(score).arg(QString::fromStdString(result.text))));
    if (rotation != 0) QVERIFY2(std::abs(result.skew_degrees - rotation) < 0.5, "skew not found");
    if (pixelSize < 20) QVERIFY(result.scale > 1.5);
  }

  void skewIsMeasured_data() {
    QTest::addColumn<double>("rotation");
    for (double angle : {-7.0, -3.0, -1.0, 0.0, 1.5, 3.0, 10.0})
      QTest::newRow(qPrintable(QString::number(angle))) << angle;
  }
  void skewIsMeasured() {
    QFETCH(double, rotation);
    TextPicture style;
    style.rotate_degrees = rotation;
    style.width = 1400;
    const QImage picture = linea::test::draw_text_picture(kStory, style);
    const RgbImage rgb = linea::test::rgb_image_of(picture);
    cv::Mat grey, mask;
    cv::cvtColor(opencv_view(rgb), grey, cv::COLOR_RGB2GRAY);
    cv::threshold(grey, mask, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
    const double found = estimate_skew_degrees(mask, 15.0);
    QVERIFY2(std::abs(found - rotation) <= 0.3, qPrintable(QStringLiteral("found %1").arg(found)));
  }

  void blankPageGivesNoText() {
    RgbImage blank(600, 400);
    std::fill(blank.pixels.begin(), blank.pixels.end(), 255);
    QCOMPARE(engine_->recognize(blank).text, std::string());
    QCOMPARE(engine_->recognize(RgbImage()).text, std::string());
  }

  void missingLanguageIsAClearError() {
    OcrOptions options;
    options.language = "xqz";
    try {
      OcrEngine engine(options);
      QFAIL("no error");
    } catch (const OcrError& error) {
      const std::string message = error.what();
      QVERIFY2(message.find("'xqz.traineddata' not found") != std::string::npos, message.c_str());
      QVERIFY2(message.find("tesseract-ocr-xqz") != std::string::npos, message.c_str());
    }
  }

  // Two pages rendered to images and put in a PDF as pictures: no text layer, so every page is OCR'd.
  void scannedPdfBecomesText() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("scan.pdf"));
    const QString pages[2] = {kLetter, kStory};
    {
      QPdfWriter writer(path);
      writer.setResolution(300);
      writer.setPageSize(QPageSize(QSizeF(6.5, 4.0), QPageSize::Inch));
      writer.setPageMargins(QMarginsF(0, 0, 0, 0));
      QPainter painter(&writer);
      for (int i = 0; i < 2; ++i) {
        if (i > 0) writer.newPage();
        TextPicture style;
        style.family = i == 0 ? QStringLiteral("DejaVu Serif") : QStringLiteral("DejaVu Sans");
        style.width = 1800;
        style.rotate_degrees = i == 0 ? 0.0 : 2.0;
        style.noise_sigma = 12;
        const QImage scan = linea::test::draw_text_picture(pages[i], style);
        const QRect target = painter.viewport();
        const QSize fitted = scan.size().scaled(target.size(), Qt::KeepAspectRatio);
        painter.drawImage(QRect(target.topLeft(), fitted), scan);
      }
    }
    const std::vector<PdfPageText> text = read_pdf_text(path.toStdString(), engine_.get());
    QCOMPARE(text.size(), std::size_t{2});
    for (int i = 0; i < 2; ++i) {
      QCOMPARE(text[i].page_number, i + 1);
      QCOMPARE(int(text[i].source), int(PageTextSource::ocr));
      QCOMPARE(text[i].render_dpi, 300);
      const double score = accuracy(text[i].text, pages[i]);
      qInfo("scanned page %d: accuracy %.4f, confidence %d", i + 1, score, text[i].ocr_confidence);
      QVERIFY2(score >= 0.98, text[i].text.c_str());
    }
  }

  // A page with a text layer is read from the layer (exactly), a scanned one by OCR, in one file.
  void pdfWithTextLayerUsesItDirectly() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mixed.pdf"));
    {
      QPdfWriter writer(path);
      writer.setResolution(300);
      writer.setPageSize(QPageSize(QSizeF(6.5, 4.0), QPageSize::Inch));
      QPainter painter(&writer);
      QFont font(QStringLiteral("DejaVu Sans"));
      font.setPointSize(11);
      painter.setFont(font);
      painter.drawText(QRect(0, 0, 1500, 800), Qt::TextWordWrap, QStringLiteral("Invoice 4471 is due on Friday."));
      writer.newPage();
      TextPicture style;
      style.width = 1800;
      const QImage scan = linea::test::draw_text_picture(kManual, style);
      painter.drawImage(QRect(QPoint(0, 0), scan.size().scaled(painter.viewport().size(), Qt::KeepAspectRatio)), scan);
    }
    int progress_calls = 0;
    PdfTextOptions options;
    options.progress = [&](int done, int total) {
      ++progress_calls;
      QCOMPARE(total, 2);
      QCOMPARE(done, progress_calls);
    };
    const std::vector<PdfPageText> text = read_pdf_text(path.toStdString(), engine_.get(), options);
    QCOMPARE(text.size(), std::size_t{2});
    QCOMPARE(int(text[0].source), int(PageTextSource::text_layer));
    QCOMPARE(linea::test::collapse_whitespace(text[0].text), std::string("Invoice 4471 is due on Friday."));
    QCOMPARE(int(text[1].source), int(PageTextSource::ocr));
    QVERIFY2(accuracy(text[1].text, kManual) >= 0.98, text[1].text.c_str());
    QCOMPARE(progress_calls, 2);
    // Without an OCR engine the scanned page is an error naming the file and the page.
    try {
      read_pdf_text(path.toStdString(), nullptr);
      QFAIL("no error");
    } catch (const OcrError& error) {
      QVERIFY2(std::string(error.what()).find("page 2 has no text layer and OCR is not available") != std::string::npos,
               error.what());
    }
  }

  void badPdfsAreClearErrors() {
    QTemporaryDir dir;
    const std::string not_pdf = dir.filePath(QStringLiteral("notes.pdf")).toStdString();
    std::ofstream(not_pdf) << "just some text\n";
    const std::string damaged = dir.filePath(QStringLiteral("damaged.pdf")).toStdString();
    std::ofstream(damaged) << "%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage garbage\n";
    const std::string missing = dir.filePath(QStringLiteral("missing.pdf")).toStdString();
    const std::pair<std::string, std::string> cases[] = {
        {not_pdf, "not a PDF: the file does not start with %PDF-"},
        {damaged, "poppler could not open the PDF: it is damaged"},
        {missing, "cannot open: no such file"},
    };
    for (const auto& [file, fragment] : cases) {
      try {
        read_pdf_text(file, engine_.get());
        QFAIL(("no error for " + file).c_str());
      } catch (const linea::io::FormatError& error) {
        const std::string message = error.what();
        QVERIFY2(message.starts_with(file) && message.find(fragment) != std::string::npos, message.c_str());
      }
    }
  }

 private:
  std::unique_ptr<OcrEngine> engine_;
};

QTEST_MAIN(TestOcr)
#include "test_ocr.moc"
