// Export through FFmpeg: WAV, Ogg/Opus and MP3 files checked with ffprobe (codec, rate, duration)
// and ffmpeg's volumedetect (not silent); the WAV holds exactly the synthesised samples; files
// appear atomically and bad requests name what is wrong.
#include "audio/export/audio_file_writer.h"
#include "audio/export/speech_export.h"
#include "audio_test_support.h"

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace linea::audio;

class TestAudioExport : public QObject {
  Q_OBJECT

  std::unique_ptr<SpeechSynthesizer> synthesizer_;
  QTemporaryDir dir_;
  const std::vector<std::string> message_ = {
      "Exporting speech works. This file was written by **Linea** at 3.5 times real time, e.g. quickly."};

  SpeechExportOptions slt() const {
    SpeechExportOptions options;
    options.voice = "flite:slt";
    return options;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    synthesizer_ = std::make_unique<SpeechSynthesizer>();
  }

  void debianFfmpegHasTheEncoders() {
    for (const char* name : {"pcm_s16le", "libopus", "libmp3lame"})
      QVERIFY2(avcodec_find_encoder_by_name(name) != nullptr, name);
  }

  void exportsAndProbes_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("codec");
    QTest::addColumn<QString>("container");
    QTest::addColumn<int>("rate");
    QTest::newRow("wav") << "speech.wav"
                         << "pcm_s16le"
                         << "wav" << 16000;
    QTest::newRow("opus") << "speech.opus"
                          << "opus"
                          << "ogg" << 48000;
    QTest::newRow("ogg") << "speech.ogg"
                         << "opus"
                         << "ogg" << 48000;
    QTest::newRow("mp3") << "speech.mp3"
                         << "mp3"
                         << "mp3" << 16000;
    QTest::newRow("upper-case extension") << "SPEECH.MP3"
                                          << "mp3"
                                          << "mp3" << 16000;
  }
  void exportsAndProbes() {
    QFETCH(QString, file);
    QFETCH(QString, codec);
    QFETCH(QString, container);
    QFETCH(int, rate);
    const QString path = dir_.filePath(file);
    const SpeechExportSummary summary = export_speech(*synthesizer_, message_, path.toStdString(), slt());
    QCOMPARE(summary.sentences, std::size_t{2});
    QCOMPARE(summary.sample_rate, 16000);
    QVERIFY(summary.duration_seconds > 3.0);

    const linea::test::ProbeResult probe = linea::test::ffprobe(path);
    QVERIFY2(probe.ok, qPrintable(probe.error));
    QCOMPARE(probe.codec, codec);
    QVERIFY2(probe.format.split(',').contains(container), qPrintable(probe.format));
    QCOMPARE(probe.sample_rate, rate);
    QCOMPARE(probe.channels, 1);
    QVERIFY2(
        std::abs(probe.duration - summary.duration_seconds) <= 0.05 * summary.duration_seconds,
        qPrintable(QStringLiteral("probed %1 s, rendered %2 s").arg(probe.duration).arg(summary.duration_seconds)));

    const linea::test::Loudness loudness = linea::test::volumedetect(path);
    QVERIFY(loudness.ok);
    QVERIFY2(loudness.max_db > -12 && loudness.mean_db > -40,
             qPrintable(QStringLiteral("mean %1 dB, max %2 dB").arg(loudness.mean_db).arg(loudness.max_db)));
  }

  void wavHoldsTheRenderedSamples() {
    const PcmBuffer pcm = render_speech(*synthesizer_, message_, slt());
    const QString path = dir_.filePath("exact.wav");
    write_audio_file(path.toStdString(), pcm);
    QString error;
    const auto wav = linea::test::read_wav(path, &error);
    QVERIFY2(wav, qPrintable(error));
    QCOMPARE(wav->sample_rate, pcm.sample_rate);
    QCOMPARE(wav->samples.size(), pcm.samples.size());
    float worst = 0;
    for (std::size_t i = 0; i < pcm.samples.size(); ++i)
      worst = std::max(worst, std::abs(wav->samples[i] - pcm.samples[i]));
    QVERIFY2(worst <= 1.5f / 32767, QByteArray::number(worst));  // 16-bit rounding only
  }

  void conversationIsLongerThanOneMessage() {
    const std::vector<std::string> conversation = {"What is the capital of France?",
                                                   "The capital of France is Paris. It has about 2 million people.",
                                                   "Thank you!"};
    const PcmBuffer one = render_speech(*synthesizer_, std::span(conversation).subspan(1, 1), slt());
    std::size_t sentences = 0;
    const PcmBuffer all = render_speech(*synthesizer_, conversation, slt(), &sentences);
    QCOMPARE(sentences, std::size_t{4});
    QVERIFY(all.duration_seconds() > one.duration_seconds() + 1.0);
    const QString path = dir_.filePath("conversation.opus");
    const auto summary = export_speech(*synthesizer_, conversation, path.toStdString(), slt());
    const auto probe = linea::test::ffprobe(path);
    QVERIFY2(probe.ok, qPrintable(probe.error));
    QVERIFY(std::abs(probe.duration - summary.duration_seconds) <= 0.05 * summary.duration_seconds);
  }

  void autoVoiceResamplesMixedLanguages() {
    // English (flite, 16 kHz) then German (espeak-ng, 22.05 kHz) in one file at the first rate.
    const std::vector<std::string> messages = {"Hello there.", "Das ist ein Satz auf Deutsch, und er ist nicht kurz."};
    const QString path = dir_.filePath("mixed.wav");
    const auto summary = export_speech(*synthesizer_, messages, path.toStdString());
    QCOMPARE(summary.sample_rate, 16000);
    const auto probe = linea::test::ffprobe(path);
    QCOMPARE(probe.sample_rate, 16000);
    QVERIFY(std::abs(probe.duration - summary.duration_seconds) <= 0.05 * summary.duration_seconds);
  }

  void writesAtomically() {
    const QString path = dir_.filePath("keep.wav");
    export_speech(*synthesizer_, message_, path.toStdString(), slt());
    const QByteArray before = [&] {
      QFile file(path);
      file.open(QIODevice::ReadOnly);
      return file.readAll();
    }();
    // A failed export (nothing to say) leaves the existing file exactly as it was, and no debris.
    const std::vector<std::string> nothing = {"---\n\n***\n"};  // only thematic breaks
    QVERIFY_THROWS_EXCEPTION(AudioExportError, export_speech(*synthesizer_, nothing, path.toStdString(), slt()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);
    const QStringList leftovers = QDir(dir_.path()).entryList({"*.partial-*"}, QDir::Files | QDir::Hidden);
    QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(", ")));
  }

  void badRequestsNameTheProblem() {
    const auto message_of = [&](const std::string& path) -> std::string {
      try {
        export_speech(*synthesizer_, message_, path, slt());
      } catch (const AudioExportError& error) {
        return error.what();
      }
      return {};
    };
    const std::string flac = message_of(dir_.filePath("speech.flac").toStdString());
    QVERIFY2(flac.find("speech.flac") != std::string::npos && flac.find(".flac") != std::string::npos &&
                 flac.find(".opus") != std::string::npos,
             flac.c_str());
    const std::string missing_dir = dir_.filePath("no/such/dir/speech.wav").toStdString();
    const std::string folder = message_of(missing_dir);
    QVERIFY2(folder.find(missing_dir) != std::string::npos, folder.c_str());
    QVERIFY(!QFile::exists(QString::fromStdString(missing_dir)));
    PcmBuffer empty;
    empty.sample_rate = 16000;
    QVERIFY_THROWS_EXCEPTION(AudioExportError, write_audio_file(dir_.filePath("empty.wav").toStdString(), empty));
  }

  void cleanupTestCase() { synthesizer_.reset(); }
};

QTEST_APPLESS_MAIN(TestAudioExport)
#include "test_audio_export.moc"
