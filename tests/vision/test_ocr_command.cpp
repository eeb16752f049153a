// `linea-cli ocr`: prints the text of an image or a PDF; bad input is an error naming the file.
#include "app/cli/cli_commands.h"
#include "tests/vision/text_accuracy.h"
#include "tests/vision/text_pictures.h"
#include "vision/ocr.h"

#include <QGuiApplication>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <sstream>

namespace {

struct Run {
  int status;
  std::string out;
  std::string err;
};

Run run(std::vector<std::string> arguments) {
  std::ostringstream out, err;
  const int status = linea::cli::run_cli(arguments, out, err);
  return {status, out.str(), err.str()};
}

const QString kText = QStringLiteral(
    "Please return the signed form to the front desk before noon on Monday. Late forms cannot be accepted.");

}  // namespace

class TestOcrCommand : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!linea::vision::find_tessdata_dir("eng")) QSKIP("Tesseract English data absent (install tesseract-ocr-eng)");
  }

  void printsTheTextOfAnImage() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("form.png"));
    linea::test::TextPicture style;
    style.width = 1600;
    style.rotate_degrees = 2;
    QVERIFY(linea::test::draw_text_picture(kText, style).save(path));
    const Run result = run({"ocr", path.toStdString(), "--verbose"});
    QCOMPARE(result.status, 0);
    const double score = linea::test::character_accuracy(result.out, kText.toStdString());
    QVERIFY2(score >= 0.98, result.out.c_str());
    QVERIFY2(result.err.find("skew 2") != std::string::npos, result.err.c_str());
  }

  void printsEveryPageOfAPdf() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("two.pdf"));
    {
      QPdfWriter writer(path);
      writer.setResolution(300);
      writer.setPageSize(QPageSize(QSizeF(6.5, 3.0), QPageSize::Inch));
      QPainter painter(&writer);
      painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 12));
      painter.drawText(QRect(0, 0, 1500, 400), Qt::TextWordWrap, QStringLiteral("First page has real text."));
      writer.newPage();
      linea::test::TextPicture style;
      style.width = 1600;
      const QImage scan = linea::test::draw_text_picture(kText, style);
      painter.drawImage(QRect(QPoint(0, 0), scan.size().scaled(painter.viewport().size(), Qt::KeepAspectRatio)), scan);
    }
    const Run result = run({"ocr", path.toStdString(), "-v"});
    QCOMPARE(result.status, 0);
    const std::size_t split = result.out.find('\f');
    QVERIFY2(split != std::string::npos, result.out.c_str());
    QCOMPARE(linea::test::collapse_whitespace(result.out.substr(0, split)), std::string("First page has real text."));
    QVERIFY(linea::test::character_accuracy(result.out.substr(split + 1), kText.toStdString()) >= 0.98);
    QVERIFY2(result.err.find("page 1: text layer") != std::string::npos, result.err.c_str());
    QVERIFY2(result.err.find("page 2: OCR at 300 dpi") != std::string::npos, result.err.c_str());
  }

  void missingFileIsAnError() {
    const Run result = run({"ocr", "/nonexistent/scan.png"});
    QCOMPARE(result.status, 1);
    QCOMPARE(result.err, std::string("linea-cli ocr: error: /nonexistent/scan.png: cannot open: no such file\n"));
    QVERIFY(result.out.empty());
  }

  void garbageIsAnError() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("photo.jpg")).toStdString();
    std::ofstream(path) << "this is not a photo";
    const Run result = run({"ocr", path});
    QCOMPARE(result.status, 1);
    QVERIFY2(result.err.find(path + ": at byte 0: not a recognised image") != std::string::npos, result.err.c_str());
  }

  void usageErrors() {
    QCOMPARE(run({"ocr"}).status, 2);
    QCOMPARE(run({"ocr", "a.png", "--dpi", "5"}).status, 2);
    QCOMPARE(run({"ocr", "a.png", "--frobnicate"}).status, 2);
    const Run help = run({"ocr", "--help"});
    QCOMPARE(help.status, 0);
    QVERIFY(help.out.find("--language") != std::string::npos);
  }
};

QTEST_MAIN(TestOcrCommand)
#include "test_ocr_command.moc"
