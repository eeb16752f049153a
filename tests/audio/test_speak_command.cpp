// `linea-cli speak` as a user runs it: listing voices, exporting to each format, playing through the
// ALSA file device, and the errors for a bad voice, rate or extension.
#include "app/cli/cli_commands.h"
#include "audio_test_support.h"

#include <QTest>

#include <sstream>

namespace {

struct Run {
  int status;
  std::string out;
  std::string err;
};

Run speak(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), "speak");
  std::ostringstream out, err;
  const int status = linea::cli::run_cli(arguments, out, err);
  return {status, out.str(), err.str()};
}

}  // namespace

class TestSpeakCommand : public QObject {
  Q_OBJECT

  std::unique_ptr<linea::test::AlsaFileSink> sink_;

 private slots:
  void initTestCase() {
    sink_ = std::make_unique<linea::test::AlsaFileSink>();
    QVERIFY(sink_->ok());
  }

  void listsVoices() {
    const Run run = speak({"--list-voices"});
    QCOMPARE(run.status, 0);
    QVERIFY(run.out.find("flite:slt\ten-US\t16000 Hz\tslt (US English, female)\n") != std::string::npos);
    QVERIFY(run.out.find("espeak-ng:de\tde\t22050 Hz\tGerman\n") != std::string::npos);
    QVERIFY(run.out.find("default: English flite:slt, German espeak-ng:de, Chinese espeak-ng:cmn") !=
            std::string::npos);
  }

  void listsDevices() {
    const Run run = speak({"--list-devices"});
    QCOMPARE(run.status, 0);
    QVERIFY2(run.out.find("\tdefault\tALSA\t") != std::string::npos && run.out.find("(default)") != std::string::npos,
             run.out.c_str());
  }

  void exportsByExtension_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("codec");
    QTest::newRow("wav") << "out.wav"
                         << "pcm_s16le";
    QTest::newRow("opus") << "out.opus"
                          << "opus";
    QTest::newRow("mp3") << "out.mp3"
                         << "mp3";
  }
  void exportsByExtension() {
    QFETCH(QString, file);
    QFETCH(QString, codec);
    const QString path = sink_->directory() + "/" + file;
    const Run run =
        speak({"Guten Tag. Das ist ein Test.", "--voice", "de", "--rate", "1.2", "--out", path.toStdString()});
    QCOMPARE(run.status, 0);
    QVERIFY2(run.out.starts_with("wrote " + path.toStdString() + ": 2 sentences, "), run.out.c_str());
    const auto probe = linea::test::ffprobe(path);
    QVERIFY2(probe.ok, qPrintable(probe.error));
    QCOMPARE(probe.codec, codec);
    QVERIFY(linea::test::volumedetect(path).max_db > -12);
  }

  void playsAndWaitsUntilDone() {
    const Run run = speak({"Hello from the speak command. It waits until the audio has played.", "--voice", "slt"});
    QCOMPARE(run.status, 0);
    QVERIFY2(run.err.empty(), run.err.c_str());
    QString error;
    const auto captured = linea::test::read_wav(sink_->capture_path(), &error);
    QVERIFY2(captured, qPrintable(error));
    QVERIFY2(captured->duration_seconds() > 2.5, QByteArray::number(captured->duration_seconds()));
    QVERIFY(linea::test::rms(captured->samples) > 0.02);
  }

  void errorsNameTheProblem() {
    Run run = speak({"Hi.", "--voice", "nobody"});
    QCOMPARE(run.status, 1);
    QVERIFY2(run.err.find("unknown voice 'nobody'") != std::string::npos, run.err.c_str());
    run = speak({"Hi.", "--rate", "7"});
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.find("--rate 7 is outside 0.25..4") != std::string::npos, run.err.c_str());
    run = speak({"Hi.", "--out", (sink_->directory() + "/x.aiff").toStdString()});
    QCOMPARE(run.status, 1);
    QVERIFY2(run.err.find("unsupported audio file extension '.aiff'") != std::string::npos, run.err.c_str());
    run = speak({"Hi.", "--device", "no such device"});
    QCOMPARE(run.status, 1);
    QVERIFY2(run.err.find("no audio output device matches 'no such device'") != std::string::npos, run.err.c_str());
    run = speak({});
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.find("missing argument TEXT") != std::string::npos, run.err.c_str());
  }

  void cleanupTestCase() { sink_.reset(); }
};

QTEST_APPLESS_MAIN(TestSpeakCommand)
#include "test_speak_command.moc"
