// Every string in every translation catalogue is translated: no "unfinished", no empty translation,
// and placeholders (%1, %2, ...) survive translation.
#include "tests/support/testdata.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QXmlStreamReader>

class TestTranslationsComplete : public QObject {
  Q_OBJECT

 private slots:
  void catalogues_data() {
    QTest::addColumn<QString>("path");
    const QDir dir(linea::test::sourcePath(QStringLiteral("translations")));
    const QStringList files = dir.entryList({QStringLiteral("*.ts")}, QDir::Files);
    QVERIFY(files.contains(QStringLiteral("linea_zh_CN.ts")));
    QVERIFY(files.contains(QStringLiteral("linea_de.ts")));
    for (const QString& file : files) QTest::newRow(qPrintable(file)) << dir.filePath(file);
  }

  void catalogues() {
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
    QXmlStreamReader xml(&file);
    QString source;
    int messages = 0;
    const QRegularExpression placeholder(QStringLiteral("%\\d"));
    while (!xml.atEnd()) {
      xml.readNext();
      if (!xml.isStartElement()) continue;
      if (xml.name() == QLatin1String("source")) {
        source = xml.readElementText();
      } else if (xml.name() == QLatin1String("translation")) {
        const QString type = xml.attributes().value(QLatin1String("type")).toString();
        const QString translation = xml.readElementText();
        ++messages;
        QVERIFY2(type != QLatin1String("unfinished"), qPrintable(QStringLiteral("unfinished: ") + source));
        QVERIFY2(type != QLatin1String("vanished") && type != QLatin1String("obsolete"),
                 qPrintable(QStringLiteral("stale entry: ") + source));
        QVERIFY2(!translation.trimmed().isEmpty(), qPrintable(QStringLiteral("empty: ") + source));
        QSet<QString> expected, found;
        for (const auto& match : placeholder.globalMatch(source)) expected.insert(match.captured());
        for (const auto& match : placeholder.globalMatch(translation)) found.insert(match.captured());
        QVERIFY2(expected == found, qPrintable(QStringLiteral("placeholders differ: ") + source));
      }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY2(messages > 10, "a catalogue with almost no messages is not the real one");
  }
};

QTEST_APPLESS_MAIN(TestTranslationsComplete)
#include "test_translations_complete.moc"
