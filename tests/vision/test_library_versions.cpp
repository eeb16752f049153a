// linea_vision reports the libraries it really runs with, and they are the ones it was compiled against.
#include "vision/library_versions.h"

#include <QTest>

#include <opencv2/core/version.hpp>
#include <tesseract/version.h>

#include <map>

class TestVisionLibraryVersions : public QObject {
  Q_OBJECT

 private slots:
  void runtimeVersionsMatchHeaders() {
    std::map<std::string, std::string> versions;
    for (const auto& component : linea::vision::library_versions()) versions[component.name] = component.version;
    QCOMPARE(versions.at("OpenCV"), std::string(CV_VERSION));
    QVERIFY2(versions.at("Tesseract").starts_with(std::to_string(TESSERACT_MAJOR_VERSION) + "."),
             versions.at("Tesseract").c_str());
    QVERIFY(!versions.at("poppler-qt6").empty());
  }
};

QTEST_APPLESS_MAIN(TestVisionLibraryVersions)
#include "test_library_versions.moc"
