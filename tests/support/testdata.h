// Where tests find reference data published by others (../shared/testdata beside the checkout, or
// $LINEA_TESTDATA), and a guard that skips a test, saying what is missing, when it is absent.
#pragma once

#include <QFileInfo>
#include <QString>
#include <QTest>

namespace linea::test {

inline QString testdataDir() {
  const QByteArray fromEnv = qgetenv("LINEA_TESTDATA");
  return fromEnv.isEmpty() ? QStringLiteral(LINEA_TESTDATA_DIR) : QString::fromLocal8Bit(fromEnv);
}

inline QString testdataPath(const QString& relative) { return testdataDir() + QLatin1Char('/') + relative; }

inline QString sourcePath(const QString& relative) {
  return QStringLiteral(LINEA_SOURCE_DIR) + QLatin1Char('/') + relative;
}

}  // namespace linea::test

// Skips the current test function when a reference file is absent (a fresh clone has no ../shared).
#define LINEA_REQUIRE_TESTDATA(relative)                                                              \
  do {                                                                                               \
    const QString linea_required_path_ = ::linea::test::testdataPath(relative);                     \
    if (!QFileInfo::exists(linea_required_path_))                                                    \
      QSKIP(qPrintable(QStringLiteral("reference data absent: %1 (set LINEA_TESTDATA or check out " \
                                      "../shared/testdata)")                                         \
                           .arg(linea_required_path_)));                                             \
  } while (false)
