// PortAudio really plays: ALSA's default device is pointed at its file plugin (see AlsaFileSink),
// a synthesised sentence goes through AudioOutput's ring and callback, and the recording is
// compared with the PCM. Also device listing and choice, resampling to the device rate, underrun
// counting when the ring runs dry mid-utterance, and stop() on a running stream.
#include "audio/playback/audio_output.h"
#include "audio/voices/speech_synthesizer.h"
#include "audio_test_support.h"

#include <QTest>

#include <thread>

using namespace linea::audio;
using namespace std::chrono_literals;

class TestAudioPlayback : public QObject {
  Q_OBJECT

  std::unique_ptr<linea::test::AlsaFileSink> sink_;
  std::unique_ptr<SpeechSynthesizer> synthesizer_;
  PcmBuffer sentence_;

  linea::test::WavData recording() {
    QString error;
    auto wav = linea::test::read_wav(sink_->capture_path(), &error);
    if (!wav) qFatal("%s", qPrintable(error));
    return *wav;
  }

  // The null PCM under the file plugin consumes samples as fast as they come, so an utterance that
  // started before all of it was queued would find the ring dry at once. Buffering each utterance
  // whole before it starts keeps the recording free of underrun gaps.
  static OutputConfig config(int sample_rate) {
    OutputConfig config;
    config.sample_rate = sample_rate;
    config.prebuffer_seconds = 60;
    return config;
  }

 private slots:
  void initTestCase() {
    sink_ = std::make_unique<linea::test::AlsaFileSink>();  // before PortAudio first initialises
    QVERIFY(sink_->ok());
    synthesizer_ = std::make_unique<SpeechSynthesizer>();
    sentence_ = synthesizer_->synthesize("flite:slt", "PortAudio plays this sentence into a file.").get();
    QVERIFY(sentence_.duration_seconds() > 1.5);
  }

  void listsAndChoosesDevices() {
    PortAudioLibrary library;
    const std::vector<OutputDevice> devices = library.output_devices();
    QVERIFY(!devices.empty());
    const OutputDevice chosen = library.find_output_device("");
    QVERIFY(chosen.is_default);
    QCOMPARE(chosen.name, std::string("default"));
    QCOMPARE(library.find_output_device(std::to_string(chosen.index)).index, chosen.index);
    QCOMPARE(library.find_output_device("DEFAULT").index, chosen.index);  // case-insensitive substring
    try {
      library.find_output_device("no such card");
      QFAIL("expected AudioDeviceError");
    } catch (const AudioDeviceError& error) {
      QVERIFY2(std::string(error.what()).find("no such card") != std::string::npos, error.what());
      QVERIFY2(std::string(error.what()).find("default") != std::string::npos, error.what());  // lists what exists
    }
    QVERIFY_THROWS_EXCEPTION(AudioDeviceError, library.find_output_device("9999"));
  }

  void playsASentenceIntoTheDevice() {
    OutputCounters counters;
    {
      AudioOutput output(config(sentence_.sample_rate));
      QCOMPARE(output.sample_rate(), sentence_.sample_rate);
      QVERIFY(output.write(sentence_.samples, sentence_.sample_rate));
      QVERIFY(output.wait_until_played(30s));
      QVERIFY(!output.playing());
      counters = output.counters();
    }  // closing the stream completes the WAV header
    QCOMPARE(counters.samples_played, static_cast<std::uint64_t>(sentence_.samples.size()));
    QCOMPARE(counters.underruns, std::uint64_t{0});
    QCOMPARE(counters.utterances, std::uint64_t{1});

    const linea::test::WavData captured = recording();
    QCOMPARE(captured.sample_rate, sentence_.sample_rate);
    const double expected = sentence_.duration_seconds();
    QVERIFY2(
        std::abs(captured.duration_seconds() - expected) <= 0.05 * expected,
        qPrintable(QStringLiteral("captured %1 s, synthesised %2 s").arg(captured.duration_seconds()).arg(expected)));
    // Without the device's zero padding the recording is the sentence itself.
    const auto heard = linea::test::trim_digital_silence(captured.samples);
    const auto spoken = linea::test::trim_digital_silence(sentence_.samples);
    QVERIFY(std::abs(static_cast<double>(heard.size()) - static_cast<double>(spoken.size())) <= 0.05 * spoken.size());
    const double heard_rms = linea::test::rms(heard), spoken_rms = linea::test::rms(spoken);
    QVERIFY2(std::abs(heard_rms - spoken_rms) <= 0.05 * spoken_rms,
             qPrintable(QStringLiteral("rms %1 vs %2").arg(heard_rms).arg(spoken_rms)));
  }

  void resamplesToTheDeviceRate() {
    {
      AudioOutput output(config(48000));
      QVERIFY(output.write(sentence_.samples, sentence_.sample_rate));
      QVERIFY(output.wait_until_played(30s));
      const double played_seconds = static_cast<double>(output.counters().samples_played) / 48000;
      QVERIFY(std::abs(played_seconds - sentence_.duration_seconds()) <= 0.01 * sentence_.duration_seconds());
    }
    const linea::test::WavData captured = recording();
    QCOMPARE(captured.sample_rate, 48000);
    const double expected = sentence_.duration_seconds();
    QVERIFY2(
        std::abs(captured.duration_seconds() - expected) <= 0.05 * expected,
        qPrintable(QStringLiteral("captured %1 s, synthesised %2 s").arg(captured.duration_seconds()).arg(expected)));
    QVERIFY(linea::test::rms(captured.samples) > 0.5 * linea::test::rms(sentence_.samples));
  }

  void twoUtterancesPlayBackToBack() {
    {
      AudioOutput output(config(sentence_.sample_rate));
      QVERIFY(output.write(sentence_.samples, sentence_.sample_rate));
      output.end_utterance();
      QVERIFY(output.write(sentence_.samples, sentence_.sample_rate));  // waits for the first to finish
      QVERIFY(output.wait_until_played(30s));
      QCOMPARE(output.counters().utterances, std::uint64_t{2});
      QCOMPARE(output.counters().samples_played, static_cast<std::uint64_t>(2 * sentence_.samples.size()));
      QCOMPARE(output.counters().underruns, std::uint64_t{0});
    }
    const double expected = 2 * sentence_.duration_seconds();
    const double captured = recording().duration_seconds();
    QVERIFY2(std::abs(captured - expected) <= 0.05 * expected, QByteArray::number(captured));
  }

  void countsUnderrunsAndStopsARunningStream() {
    // No prebuffer and no end of utterance: the null device drains the ring at once and then finds
    // it dry mid-utterance, over and over, until stop().
    OutputConfig starving = config(sentence_.sample_rate);
    starving.prebuffer_seconds = 0;
    AudioOutput output(starving);
    QVERIFY(output.write(std::span(sentence_.samples).first(8000), sentence_.sample_rate));
    for (int i = 0; i < 500 && output.counters().underruns < 10; ++i) std::this_thread::sleep_for(1ms);
    QVERIFY(output.playing());
    QVERIFY2(output.counters().underruns >= 10,
             QByteArray::number(static_cast<qulonglong>(output.counters().underruns)));
    QCOMPARE(output.counters().samples_played, std::uint64_t{8000});

    const auto before = std::chrono::steady_clock::now();
    output.stop();
    const auto took = std::chrono::steady_clock::now() - before;
    QVERIFY2(took < 100ms, QByteArray::number(std::chrono::duration<double, std::milli>(took).count()) + " ms");
    QVERIFY(!output.playing());
    const auto underruns = output.counters().underruns;
    std::this_thread::sleep_for(50ms);
    QCOMPARE(output.counters().underruns, underruns);  // the callback no longer runs
    // and the output plays again after a stop
    QVERIFY(output.write(sentence_.samples, sentence_.sample_rate));
    QVERIFY(output.wait_until_played(30s));
    QCOMPARE(output.counters().samples_played, 8000 + static_cast<std::uint64_t>(sentence_.samples.size()));
  }

  void stopDropsQueuedAudio() {
    OutputConfig holding = config(sentence_.sample_rate);
    holding.prebuffer_seconds = 60;  // nothing starts before the utterance ends
    AudioOutput output(holding);
    QVERIFY(output.write(sentence_.samples, sentence_.sample_rate));
    output.stop();
    QVERIFY(output.wait_until_played(1s));
    QCOMPARE(output.counters().samples_played, std::uint64_t{0});
  }

  void cleanupTestCase() {
    synthesizer_.reset();
    sink_.reset();
  }
};

QTEST_APPLESS_MAIN(TestAudioPlayback)
#include "test_audio_playback.moc"
