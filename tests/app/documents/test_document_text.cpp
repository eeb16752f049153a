// Documents of every supported kind become the text the model reads; bad files say what is wrong.
#include "app/documents/document_text.h"

#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>

using namespace linea::documents;

namespace {

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
  const QString path = dir.filePath(name);
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
  file.write(bytes);
  return path;
}

// A PDF with a real text layer: one line of text per page.
QString writeTextPdf(const QTemporaryDir& dir, const QString& name, const QStringList& pages) {
  const QString path = dir.filePath(name);
  QPdfWriter writer(path);
  writer.setResolution(72);
  QPainter painter(&writer);
  painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 14));
  for (int i = 0; i < pages.size(); ++i) {
    if (i > 0) writer.newPage();
    painter.drawText(QPointF(72, 100), pages[i]);
  }
  painter.end();
  return path;
}

// A PDF whose only page is a picture of text: no text layer, as a scanner makes it.
QString writeScannedPdf(const QTemporaryDir& dir, const QString& name) {
  QImage image(600, 200, QImage::Format_RGB32);
  image.fill(Qt::white);
  {
    QPainter painter(&image);
    painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 28));
    painter.drawText(QPointF(20, 100), QStringLiteral("scanned words"));
  }
  const QString path = dir.filePath(name);
  QPdfWriter writer(path);
  QPainter painter(&writer);
  painter.drawImage(QRectF(0, 0, writer.width(), writer.width() / 3.0), image);
  return path;
}

}  // namespace

class TestDocumentText : public QObject {
  Q_OBJECT

 private slots:
  void textEncodings_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("warns");
    const QString text = QStringLiteral("Grüße, 世界!\nline 2");
    QTest::newRow("utf-8") << text.toUtf8() << text << false;
    QTest::newRow("utf-8 bom") << QByteArray("\xef\xbb\xbf") + text.toUtf8() << text << false;
    QStringEncoder utf16(QStringEncoder::Utf16LE, QStringEncoder::Flag::WriteBom);
    QTest::newRow("utf-16le bom") << QByteArray(utf16.encode(text)) << text << false;
    QTest::newRow("latin-1") << QByteArray("caf\xe9 cr\xe8me") << QStringLiteral("café crème") << true;
  }
  void textEncodings() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QFETCH(bool, warns);
    QTemporaryDir dir;
    const DocumentText document = readDocument(writeFile(dir, QStringLiteral("notes.txt"), bytes));
    QCOMPARE(document.text, expected);
    QCOMPARE(document.format, DocumentFormat::plainText);
    QCOMPARE(!document.warnings.isEmpty(), warns);
  }

  void formatsByNameAndContent_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("format");
    QTest::newRow("md") << "README.md" << int(DocumentFormat::markdown);
    QTest::newRow("html") << "page.HTML" << int(DocumentFormat::html);
    QTest::newRow("cpp") << "main.cpp" << int(DocumentFormat::sourceCode);
    QTest::newRow("cmake") << "CMakeLists.txt" << int(DocumentFormat::sourceCode);
    QTest::newRow("txt") << "a.txt" << int(DocumentFormat::plainText);
    QTest::newRow("pdf without suffix") << "download" << int(DocumentFormat::pdf);
  }
  void formatsByNameAndContent() {
    QFETCH(QString, name);
    QFETCH(int, format);
    QTemporaryDir dir;
    const QByteArray content = name == QLatin1String("download") ? QByteArray("%PDF-1.4\n") : QByteArray("x");
    QCOMPARE(int(detectFormat(writeFile(dir, name, content))), format);
  }

  void htmlBecomesPlainText() {
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("page.html"),
                                   "<html><head><style>p{color:red}</style><script>alert(1)</script></head>"
                                   "<body><h1>Title</h1><p>First &amp; <b>bold</b>.</p><ul><li>one</li></ul></body></html>");
    const DocumentText document = readDocument(path);
    QCOMPARE(document.format, DocumentFormat::html);
    QVERIFY2(document.text.contains(QStringLiteral("Title")), qPrintable(document.text));
    QVERIFY(document.text.contains(QStringLiteral("First & bold.")));
    QVERIFY(document.text.contains(QStringLiteral("one")));
    QVERIFY(!document.text.contains(QStringLiteral("<b>")));
    QVERIFY(!document.text.contains(QStringLiteral("color:red")));
  }

  void markdownAndSourceKeepTheirText() {
    QTemporaryDir dir;
    const QByteArray markdown = "# Heading\n\n```cpp\nint main() {}\n```\n";
    QCOMPARE(readDocument(writeFile(dir, QStringLiteral("a.md"), markdown)).text, QString::fromUtf8(markdown));
    QCOMPARE(readDocument(writeFile(dir, QStringLiteral("b.py"), "print('x')\n")).text, QStringLiteral("print('x')\n"));
  }

  void pdfPagesAreReadWithProgress() {
    QTemporaryDir dir;
    const QString path = writeTextPdf(dir, QStringLiteral("book.pdf"),
                                      {QStringLiteral("Chapter one begins"), QStringLiteral("Chapter two ends")});
    QList<QPair<int, int>> progress;
    ReadOptions options;
    options.progress = [&](int done, int total) { progress.append({done, total}); };
    const DocumentText document = readDocument(path, options);
    QCOMPARE(document.format, DocumentFormat::pdf);
    QCOMPARE(document.pageCount, 2);
    QVERIFY(document.pagesWithoutText.isEmpty());
    const QStringList pages = document.text.split(QLatin1Char('\f'));
    QCOMPARE(pages.size(), 2);
    QCOMPARE(pages[0], QStringLiteral("Chapter one begins"));
    QCOMPARE(pages[1], QStringLiteral("Chapter two ends"));
    QCOMPARE(progress, (QList<QPair<int, int>>{{1, 2}, {2, 2}}));
  }

  void scannedPdfPagesAreMarkedForOcr() {
    QTemporaryDir dir;
    const DocumentText document = readDocument(writeScannedPdf(dir, QStringLiteral("scan.pdf")));
    QCOMPARE(document.pageCount, 1);
    QCOMPARE(document.pagesWithoutText, QList<int>{0});
    QVERIFY(document.warnings.join(' ').contains(QStringLiteral("no text layer")));
  }

  void cancelStopsBetweenPages() {
    QTemporaryDir dir;
    const QString path = writeTextPdf(dir, QStringLiteral("long.pdf"),
                                      {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
    std::atomic_bool cancel = false;
    ReadOptions options;
    options.cancel = &cancel;
    options.progress = [&](int done, int) { cancel = done >= 1; };
    QVERIFY_THROWS_EXCEPTION(DocumentCancelled, readDocument(path, options));
  }

  void badFilesSayWhatIsWrong_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    QTest::newRow("broken pdf") << "broken.pdf" << QByteArray("%PDF-1.4\ngarbage") << "not a readable PDF";
    QTest::newRow("binary") << "blob.txt" << QByteArray("\x7f" "ELF\0\0\0\x02", 8) << "looks like a binary file";
  }
  void badFilesSayWhatIsWrong() {
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = writeFile(dir, name, bytes);
    try {
      readDocument(path);
      QFAIL("expected an error");
    } catch (const DocumentError& error) {
      const QString text = QString::fromUtf8(error.what());
      QVERIFY2(text.startsWith(path) && text.contains(message), error.what());
    }
  }

  void missingFileAndFolder() {
    QTemporaryDir dir;
    QVERIFY_THROWS_EXCEPTION(DocumentError, readDocument(dir.filePath(QStringLiteral("nope.txt"))));
    QVERIFY_THROWS_EXCEPTION(DocumentError, readDocument(dir.path()));
  }
};

QTEST_MAIN(TestDocumentText)
#include "test_document_text.moc"
