// SpeechQueue end to end on the ALSA file device: a reply streamed token by token is spoken
// sentence by sentence, every synthesised sample reaches PortAudio and the recording; "auto" picks
// each sentence's language's voice; stop() silences everything within 100 ms and the queue takes
// the next reply.
#include "audio/playback/speech_queue.h"
#include "audio_test_support.h"

#include <QTest>

#include <random>
#include <thread>

using namespace linea::audio;
using namespace std::chrono_literals;

class TestSpeechQueue : public QObject {
  Q_OBJECT

  std::unique_ptr<linea::test::AlsaFileSink> sink_;
  std::unique_ptr<SpeechSynthesizer> synthesizer_;

  // The null device under the file plugin consumes audio as fast as it is written, so each
  // utterance is buffered whole before it starts: the recording then has no underrun gaps.
  static OutputConfig file_device_config() {
    OutputConfig config;
    config.sample_rate = 16000;
    config.prebuffer_seconds = 120;
    config.ring_seconds = 240;
    return config;
  }

  static void push_in_tokens(SpeechQueue& queue, const std::string& text, unsigned seed) {
    std::mt19937 random(seed);
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t length = 1 + random() % 6;
      queue.push_text_piece(std::string_view(text).substr(at, length));
      at += length;
    }
  }

  // What the queue should have played: each sentence on its own, at the output's rate.
  std::size_t expected_samples(const std::vector<SpeechSentence>& sentences, const std::string& voice,
                               int output_rate) {
    std::size_t total = 0;
    for (const SpeechSentence& sentence : sentences) {
      const std::string chosen = voice == "auto" ? synthesizer_->default_voice(sentence.language).id : voice;
      const PcmBuffer pcm = synthesizer_->synthesize(chosen, sentence.text).get();
      total += resample(pcm.samples, pcm.sample_rate, output_rate).size();
    }
    return total;
  }

 private slots:
  void initTestCase() {
    sink_ = std::make_unique<linea::test::AlsaFileSink>();
    QVERIFY(sink_->ok());
    synthesizer_ = std::make_unique<SpeechSynthesizer>();
  }

  void speaksAStreamedReply() {
    const std::string reply =
        "Sure! Here is the answer. The **first** step takes 2 minutes.\n\n```sh\nmake all\n```\n\n"
        "- Then check the output.\n- Finally, visit https://example.com to read more.";
    SpeechQueueStats stats;
    std::vector<SpeechSentence> sentences;
    {
      AudioOutput output(file_device_config());
      SpeechQueueOptions options;
      options.voice = "flite:slt";
      SpeechQueue queue(*synthesizer_, output, options);
      push_in_tokens(queue, reply, 3);
      queue.finish();
      QVERIFY(queue.wait_until_done(120s));
      stats = queue.stats();
      sentences = queue.sentences();
    }
    QStringList spoken;
    for (const SpeechSentence& s : sentences) spoken << QString::fromStdString(s.text);
    QCOMPARE(spoken, (QStringList{"Sure!", "Here is the answer.", "The first step takes two minutes.", "Code omitted.",
                                  "Then check the output.", "Finally, visit link to example dot com to read more."}));
    QCOMPARE(stats.sentences_queued, std::size_t{6});
    QCOMPARE(stats.sentences_spoken, std::size_t{6});
    QCOMPARE(stats.synthesis_errors, std::size_t{0});
    QCOMPARE(stats.output.underruns, std::uint64_t{0});
    QVERIFY(stats.first_audio_latency.has_value());

    const std::size_t expected = expected_samples(sentences, "flite:slt", 16000);
    QCOMPARE(stats.output.samples_played, static_cast<std::uint64_t>(expected));
    QString error;
    const auto captured = linea::test::read_wav(sink_->capture_path(), &error);
    QVERIFY2(captured, qPrintable(error));
    const double expected_seconds = expected / 16000.0;
    QVERIFY2(
        std::abs(captured->duration_seconds() - expected_seconds) <= 0.05 * expected_seconds,
        qPrintable(
            QStringLiteral("captured %1 s, expected %2 s").arg(captured->duration_seconds()).arg(expected_seconds)));
    QVERIFY(linea::test::rms(captured->samples) > 0.02);
  }

  void autoVoiceFollowsTheLanguage() {
    const std::string reply = "Das ist die Antwort auf Deutsch. Sie hat zwei Sätze.";
    AudioOutput output(file_device_config());
    SpeechQueue queue(*synthesizer_, output);  // voice "auto"
    push_in_tokens(queue, reply, 5);
    queue.finish();
    QVERIFY(queue.wait_until_done(120s));
    const auto sentences = queue.sentences();
    QCOMPARE(sentences.size(), std::size_t{2});
    for (const SpeechSentence& s : sentences) QCOMPARE(s.language, SpeechLanguage::german);
    // espeak-ng's German at 22.05 kHz, resampled to the 16 kHz device; espeak-ng's length varies
    // by a few samples from run to run, hence the 1% here.
    const double expected = static_cast<double>(expected_samples(sentences, "auto", 16000));
    const double played = static_cast<double>(queue.stats().output.samples_played);
    QVERIFY2(std::abs(played - expected) <= 0.01 * expected,
             QByteArray::number(played) + " vs " + QByteArray::number(expected));
  }

  void stopSilencesWithin100ms_data() {
    QTest::addColumn<double>("prebuffer");
    QTest::newRow("audio queued, not started") << 120.0;
    QTest::newRow("audio playing") << 0.05;
  }
  void stopSilencesWithin100ms() {
    QFETCH(double, prebuffer);
    OutputConfig config = file_device_config();
    config.prebuffer_seconds = prebuffer;
    AudioOutput output(config);
    SpeechQueueOptions options;
    options.voice = "flite:slt";
    SpeechQueue queue(*synthesizer_, output, options);
    std::string reply;
    for (int i = 1; i <= 25; ++i) reply += "This is sentence number " + std::to_string(i) + " of a long reply. ";
    queue.push_text_piece(reply);
    for (int i = 0; i < 30000 && queue.stats().sentences_spoken < 2; ++i) std::this_thread::sleep_for(1ms);
    QVERIFY(queue.stats().sentences_spoken >= 2);
    QVERIFY(queue.stats().sentences_queued >= 24);

    const auto before = std::chrono::steady_clock::now();
    queue.stop();
    const auto took = std::chrono::steady_clock::now() - before;
    QVERIFY2(took < 100ms, QByteArray::number(std::chrono::duration<double, std::milli>(took).count()) + " ms");
    QVERIFY(!output.playing());
    QVERIFY(queue.idle());
    const auto played = queue.stats().output.samples_played;
    const auto spoken = queue.stats().sentences_spoken;
    std::this_thread::sleep_for(300ms);
    QCOMPARE(queue.stats().output.samples_played, played);  // nothing more reaches the device
    QCOMPARE(queue.stats().sentences_spoken, spoken);
    QVERIFY(spoken < 25);

    // The next reply is spoken normally.
    const auto before_next = queue.stats().output.samples_played;
    queue.push_text_piece("A new reply.");
    queue.finish();
    QVERIFY(queue.wait_until_done(60s));
    QCOMPARE(queue.stats().sentences_spoken, std::size_t{1});
    const auto next = queue.stats().output.samples_played - before_next;
    QCOMPARE(next, static_cast<std::uint64_t>(expected_samples(queue.sentences(), "flite:slt", 16000)));
  }

  void unknownVoiceIsRejectedUpFront() {
    AudioOutput output(file_device_config());
    SpeechQueueOptions options;
    options.voice = "nobody";
    QVERIFY_THROWS_EXCEPTION(VoiceError, SpeechQueue(*synthesizer_, output, options));
  }

  void cleanupTestCase() {
    synthesizer_.reset();
    sink_.reset();
  }
};

QTEST_APPLESS_MAIN(TestSpeechQueue)
#include "test_speech_queue.moc"
