// Without any audio output device, playback says so plainly and export still works.
#include "audio/export/speech_export.h"
#include "audio/playback/audio_output.h"
#include "audio_test_support.h"

#include <QTemporaryDir>
#include <QTest>

using namespace linea::audio;

class TestAudioNoDevice : public QObject {
  Q_OBJECT

  QTemporaryDir home_;

 private slots:
  void initTestCase() {
    // ALSA's default PCM points at a sound card that does not exist; nothing else is configured.
    QVERIFY(home_.isValid());
    QFile config(home_.filePath(".asoundrc"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("pcm.!default { type hw card 42 }\nctl.!default { type hw card 42 }\n");
    config.close();
    qputenv("HOME", home_.path().toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", home_.path().toLocal8Bit());
    qunsetenv("ALSA_CONFIG_PATH");
  }

  void playbackReportsNoDevice() {
    {
      PortAudioLibrary library;
      if (!library.output_devices().empty())
        QSKIP("this machine has a real sound card, so 'no output device' cannot be arranged here");
    }
    try {
      AudioOutput output;
      QFAIL("expected AudioDeviceError");
    } catch (const AudioDeviceError& error) {
      QCOMPARE(std::string(error.what()), std::string("no audio output device"));
    }
  }

  void exportStillWorks() {
    SpeechSynthesizer synthesizer;
    const QString path = home_.filePath("reply.mp3");
    const std::vector<std::string> message = {"No speakers here, but the file is fine."};
    const auto summary = export_speech(synthesizer, message, path.toStdString());
    const auto probe = linea::test::ffprobe(path);
    QVERIFY2(probe.ok, qPrintable(probe.error));
    QCOMPARE(probe.codec, QStringLiteral("mp3"));
    QVERIFY(std::abs(probe.duration - summary.duration_seconds) <= 0.05 * summary.duration_seconds);
  }
};

QTEST_APPLESS_MAIN(TestAudioNoDevice)
#include "test_audio_no_device.moc"
