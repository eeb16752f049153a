// linea_audio reports the libraries it really runs with, and they are the ones it was compiled against.
#include "audio/library_versions.h"

#include <QTest>

extern "C" {
#include <libavformat/version.h>
}
#include <portaudio.h>

#include <map>

class TestAudioLibraryVersions : public QObject {
  Q_OBJECT

 private slots:
  void runtimeVersionsMatchHeaders() {
    std::map<std::string, std::string> versions;
    for (const auto& component : linea::audio::library_versions()) versions[component.name] = component.version;
    QVERIFY2(versions.at("libavformat").starts_with(std::to_string(LIBAVFORMAT_VERSION_MAJOR) + "."),
             versions.at("libavformat").c_str());
    QVERIFY2(versions.at("PortAudio").find("PortAudio") != std::string::npos, versions.at("PortAudio").c_str());
    QVERIFY(!versions.at("FFmpeg").empty());
    QVERIFY(!versions.at("espeak-ng").empty() && versions.at("espeak-ng") != "unknown");
    QVERIFY(!versions.at("flite").empty());
  }
};

QTEST_APPLESS_MAIN(TestAudioLibraryVersions)
#include "test_library_versions.moc"
