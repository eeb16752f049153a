// `linea-cli chat --speak` as a user runs it: the real binary, messages on stdin, the real tiny
// RWKV-7 model, and PortAudio playing into ALSA's file device (a test-local .asoundrc under a
// temporary HOME). The recording must be as long as the reply's sentences synthesised with the same
// voice (±5%); without an audio device the chat says so and goes on in text only.
#include "audio/playback/resampler.h"
#include "audio/text/speech_text_stream.h"
#include "audio/voices/speech_synthesizer.h"
#include "tests/audio/audio_test_support.h"
#include "tests/support/testdata.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace linea::audio;

namespace {

const QString kTinyModel = QStringLiteral("rwkv7-tiny/tiny-rwkv-7v0-834K-FP32.bin");

struct Run {
  int status = -1;
  QByteArray out;
  QString err;
};

Run runCli(const QStringList& arguments, const QByteArray& input, const QProcessEnvironment& environment) {
  Run run;
  QProcess process;
  process.setProcessEnvironment(environment);
  process.start(qEnvironmentVariable("LINEA_CLI"), arguments);
  if (!process.waitForStarted(30000)) return run;
  process.write(input);
  process.closeWriteChannel();
  if (!process.waitForFinished(600000)) {
    process.kill();
    process.waitForFinished();
    run.err = QStringLiteral("timed out");
    return run;
  }
  run.status = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
  run.out = process.readAllStandardOutput();
  run.err = QString::fromUtf8(process.readAllStandardError());
  return run;
}

}  // namespace

class TestChatSpeak : public QObject {
  Q_OBJECT

  std::unique_ptr<linea::test::AlsaFileSink> sink_;

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("LINEA_CLI"))
      QSKIP("LINEA_CLI (the linea-cli binary) is not set; run through ctest");
    sink_ = std::make_unique<linea::test::AlsaFileSink>();  // HOME for this process and its children
    QVERIFY(sink_->ok());
  }

  void init() { LINEA_REQUIRE_TESTDATA(kTinyModel); }

  void speaksEachReplyAndWaitsForIt() {
    // The null device under the file plugin takes audio as fast as it comes: --audio-buffer lets each
    // utterance queue whole before it plays, so the recording has no underrun gaps to measure.
    const Run run = runCli({"chat", "--model", linea::test::testdataPath(kTinyModel), "--speak", "--voice", "slt",
                            "--audio-buffer", "120", "-n", "400", "--seed", "7", "--temp", "0.5"},
                           "Tell me a story.\nAnd another one.\n", QProcessEnvironment::systemEnvironment());
    QVERIFY2(run.status == 0, qPrintable(run.err));
    // stdout: "> " REPLY "\n> " REPLY "\n> \n" (prompts, replies, the prompt that met the end of input).
    QVERIFY2(run.out.startsWith("> ") && run.out.endsWith("\n> \n"), run.out.constData());
    const qsizetype between = run.out.indexOf("\n> ", 2);
    QVERIFY(between > 0 && between < run.out.size() - 4);
    // Each reply is finished on its own: its sentences never run into the next reply's.
    SpeechTextOptions english;
    english.language = SpeechLanguage::english;
    std::vector<SpeechSentence> sentences;
    const QByteArray first = run.out.mid(2, between - 2);
    const QByteArray second = run.out.mid(between + 3, run.out.size() - 4 - (between + 3));
    for (const QByteArray& reply : {first, second}) {
      const std::vector<SpeechSentence> ofReply = prepare_speech(reply.toStdString(), english);
      QVERIFY2(!ofReply.empty(), reply.constData());
      sentences.insert(sentences.end(), ofReply.begin(), ofReply.end());
    }
    QVERIFY2(sentences.size() >= 3, qPrintable(QString::number(sentences.size())));

    const QRegularExpressionMatch summary =
        QRegularExpression(QStringLiteral(R"(\[spoke ([0-9.e+-]+) s of audio, (\d+) underruns\])")).match(run.err);
    QVERIFY2(summary.hasMatch(), qPrintable(run.err));
    QCOMPARE(summary.captured(2), QStringLiteral("0"));

    QString error;
    const auto captured = linea::test::read_wav(sink_->capture_path(), &error);
    QVERIFY2(captured, qPrintable(error));
    SpeechSynthesizer synthesizer;
    std::size_t expected = 0;
    for (const SpeechSentence& sentence : sentences) {
      const PcmBuffer pcm = synthesizer.synthesize("flite:slt", sentence.text).get();
      expected += resample(pcm.samples, pcm.sample_rate, captured->sample_rate).size();
    }
    const double expectedSeconds = static_cast<double>(expected) / captured->sample_rate;
    qInfo("%zu sentences, %.2f s synthesised, %.2f s recorded", sentences.size(), expectedSeconds,
          captured->duration_seconds());
    QVERIFY2(
        std::abs(captured->duration_seconds() - expectedSeconds) <= 0.05 * expectedSeconds,
        qPrintable(
            QStringLiteral("recorded %1 s, synthesised %2 s").arg(captured->duration_seconds()).arg(expectedSeconds)));
    const double reported = summary.captured(1).toDouble();
    QVERIFY2(std::abs(reported - expectedSeconds) <= 0.05 * expectedSeconds, qPrintable(run.err));
    QVERIFY(linea::test::rms(captured->samples) > 0.01);
  }

  void withoutADeviceTheChatIsTextOnly() {
    // The binary probes the devices itself; the kernel's card list says whether there are any.
    QFile cards(QStringLiteral("/proc/asound/cards"));
    if (cards.open(QIODevice::ReadOnly) && !cards.readAll().contains("no soundcards"))
      QSKIP("this machine has a real sound card, so 'no output device' cannot be arranged here");
    QTemporaryDir home;
    QFile config(home.filePath(QStringLiteral(".asoundrc")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("pcm.!default { type hw card 42 }\nctl.!default { type hw card 42 }\n");
    config.close();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), home.path());
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
    const Run run =
        runCli({"chat", "--model", linea::test::testdataPath(kTinyModel), "--speak", "-n", "40", "--seed", "7"},
               "Hello\n", environment);
    QVERIFY2(run.status == 0, qPrintable(run.err));
    QVERIFY2(
        run.err.contains(QStringLiteral("linea-cli chat: no audio output device; the replies are shown as text only")),
        qPrintable(run.err));
    QVERIFY2(!run.err.contains(QStringLiteral("[spoke")), qPrintable(run.err));
    QVERIFY2(run.out.startsWith("> ") && run.out.size() > 6, run.out.constData());
  }

  void badSpeechOptionsAreUsageErrors_data() {
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::newRow("rate") << QStringList{"--rate", "9"} << 2 << "--rate 9 is outside 0.25..4";
    QTest::newRow("buffer") << QStringList{"--audio-buffer", "-1"} << 2
                            << "--audio-buffer must be between 0 and 600 seconds";
    QTest::newRow("voice") << QStringList{"--voice", "nobody"} << 1 << "unknown voice 'nobody'";
  }
  void badSpeechOptionsAreUsageErrors() {
    QFETCH(QStringList, options);
    QFETCH(int, status);
    QFETCH(QString, message);
    const Run run = runCli(QStringList{"chat", "--model", linea::test::testdataPath(kTinyModel), "--speak"} + options,
                           "Hello\n", QProcessEnvironment::systemEnvironment());
    QCOMPARE(run.status, status);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
  }

  void cleanupTestCase() { sink_.reset(); }
};

QTEST_APPLESS_MAIN(TestChatSpeak)
#include "test_chat_speak.moc"
