// The voices: every flite voice and a range of espeak-ng languages produce audible PCM of a
// plausible length at their stated rate; the rate control shortens and lengthens speech; voice
// lookup, streaming, cancelling, and that all synthesis runs on the one worker thread.
#include "audio/voices/speech_synthesizer.h"
#include "audio_test_support.h"

#include <QTest>

#include <set>
#include <thread>

using namespace linea::audio;

class TestVoices : public QObject {
  Q_OBJECT

  std::unique_ptr<SpeechSynthesizer> synthesizer_;

  double seconds(const std::string& voice, const std::string& text, double rate = 1.0) {
    const PcmBuffer pcm = synthesizer_->synthesize(voice, text, {rate}).get();
    return pcm.duration_seconds();
  }

 private slots:
  void initTestCase() {
    synthesizer_ = std::make_unique<SpeechSynthesizer>();
    std::string errors;
    for (const std::string& error : synthesizer_->backend_errors()) errors += error + "; ";
    QVERIFY2(errors.empty(), errors.c_str());
  }

  void listsVoicesWithLanguages() {
    const auto& voices = synthesizer_->voices();
    QVERIFY2(voices.size() >= 100, QByteArray::number(static_cast<int>(voices.size())));
    std::set<std::string> ids;
    for (const VoiceInfo& voice : voices) {
      QVERIFY2(ids.insert(voice.id).second, voice.id.c_str());
      QVERIFY2(!voice.language.empty(), voice.id.c_str());
      QVERIFY2(voice.sample_rate >= 8000, voice.id.c_str());
      QVERIFY(voice.id.starts_with(voice.backend + ":"));
    }
    for (const char* id : {"flite:slt", "flite:rms", "flite:awb", "flite:kal", "flite:kal16", "espeak-ng:de",
                           "espeak-ng:cmn", "espeak-ng:fr-fr", "espeak-ng:en-us"})
      QVERIFY2(ids.contains(id), id);
    QCOMPARE(synthesizer_->voice("espeak-ng:de").language, std::string("de"));
    QCOMPARE(synthesizer_->voice("flite:slt").language, std::string("en-US"));
  }

  void findsVoicesByIdNameOrLanguage_data() {
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("id");
    QTest::newRow("id") << "flite:awb"
                        << "flite:awb";
    QTest::newRow("short name") << "slt"
                                << "flite:slt";
    QTest::newRow("display name") << "German"
                                  << "espeak-ng:de";
    QTest::newRow("english default") << "en"
                                     << "flite:slt";
    QTest::newRow("chinese default") << "zh"
                                     << "espeak-ng:cmn";
    QTest::newRow("espeak language") << "fr"
                                     << "espeak-ng:fr-fr";
  }
  void findsVoicesByIdNameOrLanguage() {
    QFETCH(QString, query);
    QFETCH(QString, id);
    QCOMPARE(QString::fromStdString(synthesizer_->voice(query.toStdString()).id), id);
  }

  void unknownVoiceAndBadRateAreErrors() {
    try {
      synthesizer_->voice("no-such-voice");
      QFAIL("expected VoiceError");
    } catch (const VoiceError& error) {
      QVERIFY2(std::string(error.what()).find("no-such-voice") != std::string::npos, error.what());
    }
    QVERIFY_THROWS_EXCEPTION(VoiceError, synthesizer_->synthesize("slt", "Hi.", {0.0}));
    QVERIFY_THROWS_EXCEPTION(VoiceError, synthesizer_->synthesize("slt", "Hi.", {9.0}));
  }

  void everyFliteVoiceSpeaks_data() {
    QTest::addColumn<QString>("voice");
    QTest::addColumn<int>("rate");
    QTest::newRow("slt") << "flite:slt" << 16000;
    QTest::newRow("rms") << "flite:rms" << 16000;
    QTest::newRow("awb") << "flite:awb" << 16000;
    QTest::newRow("kal16") << "flite:kal16" << 16000;
    QTest::newRow("kal") << "flite:kal" << 8000;
  }
  void everyFliteVoiceSpeaks() {
    QFETCH(QString, voice);
    QFETCH(int, rate);
    const PcmBuffer pcm =
        synthesizer_->synthesize(voice.toStdString(), "The quick brown fox jumps over the lazy dog.").get();
    QCOMPARE(pcm.sample_rate, rate);
    QCOMPARE(pcm.sample_rate, synthesizer_->voice(voice.toStdString()).sample_rate);
    // Nine words at a normal pace: roughly 2 to 3.5 seconds.
    QVERIFY2(pcm.duration_seconds() > 1.5 && pcm.duration_seconds() < 5.0, QByteArray::number(pcm.duration_seconds()));
    QVERIFY2(linea::test::rms(pcm.samples) > 0.02, QByteArray::number(linea::test::rms(pcm.samples)));
    QVERIFY(linea::test::peak(pcm.samples) > 0.2 && linea::test::peak(pcm.samples) <= 1.0f);
  }

  void espeakLanguagesSpeak_data() {
    QTest::addColumn<QString>("voice");
    QTest::addColumn<QString>("text");
    QTest::newRow("de") << "espeak-ng:de"
                        << "Der schnelle braune Fuchs springt über den faulen Hund.";
    QTest::newRow("cmn") << "espeak-ng:cmn"
                         << "敏捷的棕色狐狸跳过了那只懒狗。";
    QTest::newRow("fr") << "espeak-ng:fr-fr"
                        << "Le renard brun rapide saute par-dessus le chien paresseux.";
    QTest::newRow("es") << "espeak-ng:es"
                        << "El rápido zorro marrón salta sobre el perro perezoso.";
    QTest::newRow("ru") << "espeak-ng:ru"
                        << "Быстрая коричневая лиса прыгает через ленивую собаку.";
    QTest::newRow("en-us") << "espeak-ng:en-us"
                           << "The quick brown fox jumps over the lazy dog.";
  }
  void espeakLanguagesSpeak() {
    QFETCH(QString, voice);
    QFETCH(QString, text);
    const PcmBuffer pcm = synthesizer_->synthesize(voice.toStdString(), text.toStdString()).get();
    QCOMPARE(pcm.sample_rate, synthesizer_->voice(voice.toStdString()).sample_rate);
    QCOMPARE(pcm.sample_rate, 22050);  // espeak_Initialize's rate in espeak-ng 1.51
    QVERIFY2(pcm.duration_seconds() > 1.5 && pcm.duration_seconds() < 8.0, QByteArray::number(pcm.duration_seconds()));
    QVERIFY2(linea::test::rms(pcm.samples) > 0.02, QByteArray::number(linea::test::rms(pcm.samples)));
  }

  void rateChangesDuration_data() {
    QTest::addColumn<QString>("voice");
    QTest::newRow("flite slt") << "flite:slt";
    QTest::newRow("flite kal") << "flite:kal";
    QTest::newRow("espeak de") << "espeak-ng:de";
  }
  void rateChangesDuration() {
    QFETCH(QString, voice);
    const std::string text = "Speaking faster makes this sentence shorter, and slower makes it longer.";
    const double slow = seconds(voice.toStdString(), text, 0.6);
    const double normal = seconds(voice.toStdString(), text, 1.0);
    const double fast = seconds(voice.toStdString(), text, 1.8);
    QVERIFY2(slow > normal * 1.25, QByteArray::number(slow) + " vs " + QByteArray::number(normal));
    QVERIFY2(fast < normal * 0.8, QByteArray::number(fast) + " vs " + QByteArray::number(normal));
  }

  void streamsChunksOnTheWorkerThread() {
    std::vector<std::size_t> chunk_sizes;
    std::set<std::thread::id> threads;
    const bool completed = synthesizer_
                               ->synthesize_streaming("slt", "A sentence long enough to arrive in several chunks.", {},
                                                      [&](std::span<const float> chunk) {
                                                        chunk_sizes.push_back(chunk.size());
                                                        threads.insert(std::this_thread::get_id());
                                                        return true;
                                                      })
                               .get();
    QVERIFY(completed);
    QVERIFY2(chunk_sizes.size() >= 5, QByteArray::number(static_cast<int>(chunk_sizes.size())));
    QCOMPARE(threads.size(), std::size_t{1});
    QVERIFY(!threads.contains(std::this_thread::get_id()));
    // espeak-ng runs on that same thread
    std::set<std::thread::id> espeak_threads;
    synthesizer_
        ->synthesize_streaming("de", "Hallo.", {},
                               [&](std::span<const float>) {
                                 espeak_threads.insert(std::this_thread::get_id());
                                 return true;
                               })
        .get();
    QCOMPARE(espeak_threads, threads);
  }

  void sinkCanStopTheSynthesis_data() {
    QTest::addColumn<QString>("voice");
    QTest::newRow("flite") << "slt";
    QTest::newRow("espeak-ng") << "de";
  }
  void sinkCanStopTheSynthesis() {
    QFETCH(QString, voice);
    std::size_t chunks = 0;
    const std::string long_text = "This goes on and on. " + std::string(40, 'a') + " and on and on and on.";
    const bool completed = synthesizer_
                               ->synthesize_streaming(voice.toStdString(), long_text, {},
                                                      [&](std::span<const float>) {
                                                        ++chunks;
                                                        return false;
                                                      })
                               .get();
    QVERIFY(!completed);
    QCOMPARE(chunks, std::size_t{1});
    // and the voice still works afterwards
    QVERIFY(synthesizer_->synthesize(voice.toStdString(), "Still here.").get().samples.size() > 1000);
  }

  void sinkExceptionsReachTheCaller() {
    auto future = synthesizer_->synthesize_streaming(
        "slt", "Hello.", {}, [](std::span<const float>) -> bool { throw std::runtime_error("sink failed"); });
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, future.get());
    QVERIFY(synthesizer_->synthesize("slt", "Fine again.").get().samples.size() > 1000);
  }

  void secondSynthesizerSharesTheEngines() {
    // espeak-ng and flite keep process-wide state; a second synthesizer (e.g. the GUI's and the
    // exporter's) must work alongside the first and after it is gone.
    {
      SpeechSynthesizer second;
      QVERIFY(second.synthesize("de", "Zweiter.").get().samples.size() > 1000);
      QVERIFY(second.synthesize("slt", "Second.").get().samples.size() > 1000);
    }
    QVERIFY(synthesizer_->synthesize("slt", "First still works.").get().samples.size() > 1000);
    QVERIFY(synthesizer_->synthesize("de", "Immer noch.").get().samples.size() > 1000);
  }

  void cleanupTestCase() { synthesizer_.reset(); }
};

QTEST_APPLESS_MAIN(TestVoices)
#include "test_voices.moc"
