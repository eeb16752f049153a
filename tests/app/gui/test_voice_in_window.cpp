// The voice in the real window. PortAudio plays into ALSA's file device (a test-local .asoundrc
// under a temporary HOME), so what the app played can be read back:
// - with "Speak Replies" on, a reply of the real tiny RWKV-7 model goes to the voice while it
//   streams, and the recording is as long as the synthesised sentences of the reply (±5%);
// - a message's "Speak" plays it, and the indicator's Stop button silences it at once;
// - a message's and a conversation's "Export Audio" write WAV / MP3 files that ffprobe reads with
//   the expected duration; an unsupported extension gives a dialog that says so.
#include "app/gui/chat/chat_view.h"
#include "app/gui/chat/conversation_store.h"
#include "app/gui/chat/message_widget.h"
#include "app/gui/engine/engine_controller.h"
#include "app/gui/language_switcher.h"
#include "app/gui/main_window.h"
#include "app/gui/voice/speaking_indicator.h"
#include "app/gui/voice/speech_controller.h"
#include "audio/export/speech_export.h"
#include "audio/playback/resampler.h"
#include "audio/voices/speech_synthesizer.h"
#include "tests/audio/audio_test_support.h"
#include "tests/support/testdata.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace linea::gui;
using namespace linea::audio;

namespace {

const QString kTinyModel = QStringLiteral("rwkv7-tiny/tiny-rwkv-7v0-834K-FP32.bin");

// The file device takes audio as fast as it comes: each utterance is buffered whole before it
// starts, so the recording has no underrun gaps and its length can be compared (as tests/audio does).
OutputConfig fileDeviceConfig() {
  OutputConfig config;
  config.prebuffer_seconds = 120;
  config.ring_seconds = 240;
  return config;
}

struct Harness {
  QTemporaryDir dir;
  LanguageSwitcher languages;
  ConversationStore store{dir.path()};
  EngineController engine;
  MainWindow window{languages, store, engine};

  Harness() { window.show(); }

  SpeechController* speech() { return window.findChild<SpeechController*>(); }
  SpeakingIndicator* indicator() { return window.findChild<SpeakingIndicator*>(); }
  QToolButton* stopButton() { return window.findChild<QToolButton*>(QStringLiteral("stopSpeakingButton")); }
  ChatView* chat() { return window.findChild<ChatView*>(QStringLiteral("chatView")); }
  QToolButton* messageButton(int message, const char* name) {
    MessageWidget* widget = chat()->messageAt(message);
    return widget ? widget->findChild<QToolButton*>(QString::fromLatin1(name)) : nullptr;
  }

  void useVoice(const QString& voice) {
    VoiceSettings settings = speech()->settings();
    settings.voice = voice;
    speech()->setSettings(settings);
  }

  QUuid addConversation(const QString& title, const QStringList& assistantReplies) {
    Conversation conversation = Conversation::createNew(title);
    for (const QString& reply : assistantReplies) {
      conversation.messages.append({ChatMessage::Role::user, QStringLiteral("Tell me something."), {}});
      conversation.messages.append({ChatMessage::Role::assistant, reply, {}});
    }
    if (!store.save(conversation)) return {};
    window.showConversation(conversation.id);
    return conversation.id;
  }

  // The export's save dialog that is open now (closed ones may still await deletion).
  QFileDialog* exportDialog() {
    for (QFileDialog* dialog : window.findChildren<QFileDialog*>(QStringLiteral("audioExportFileDialog"))) {
      if (dialog->isVisible()) return dialog;
    }
    return nullptr;
  }

  // Answers the export's save dialog with `path`; true once the export has finished.
  bool answerExportDialog(const QString& path, QSignalSpy& finished) {
    QFileDialog* dialog = exportDialog();
    if (!dialog) return false;
    dialog->selectFile(path);
    static_cast<QDialog*>(dialog)->accept();  // as the Save button does
    return finished.wait(120000);
  }
};

// What playing these sentences should put on the device: each synthesised on its own, at the
// device's rate.
std::size_t expectedSamples(SpeechSynthesizer& synthesizer, const std::vector<SpeechSentence>& sentences,
                            const std::string& voice, int deviceRate) {
  std::size_t total = 0;
  for (const SpeechSentence& sentence : sentences) {
    const PcmBuffer pcm = synthesizer.synthesize(voice, sentence.text).get();
    total += resample(pcm.samples, pcm.sample_rate, deviceRate).size();
  }
  return total;
}

}  // namespace

class TestVoiceInWindow : public QObject {
  Q_OBJECT

  std::unique_ptr<linea::test::AlsaFileSink> sink_;

 private slots:
  void initTestCase() {
    // Before anything opens PortAudio or QSettings: both read HOME once.
    sink_ = std::make_unique<linea::test::AlsaFileSink>();
    QVERIFY(sink_->ok());
    QCoreApplication::setOrganizationName(QStringLiteral("LineaTest"));
    QCoreApplication::setApplicationName(QStringLiteral("test_voice_in_window"));
  }

  void init() { QSettings().clear(); }

  void repliesAreSpokenWhileTheyStream() {
    LINEA_REQUIRE_TESTDATA(kTinyModel);
    std::vector<SpeechSentence> spoken, expectedSentences;
    std::size_t expected = 0;
    int deviceRate = 0;
    {
      Harness h;
      SpeechController* speech = h.speech();
      QVERIFY(speech);
      speech->setOutputConfig(fileDeviceConfig());
      h.useVoice(QStringLiteral("flite:slt"));
      auto* toggle = h.window.findChild<QAction*>(QStringLiteral("speakRepliesAction"));
      QVERIFY(toggle && !toggle->isChecked());
      toggle->trigger();
      QVERIFY(speech->settings().speakReplies);
      QVERIFY(QSettings().value(QStringLiteral("voice/speakReplies")).toBool());

      QSignalSpy loaded(&h.engine, &EngineController::modelLoaded);
      h.window.openModel(linea::test::testdataPath(kTinyModel));
      QVERIFY(loaded.wait(30000));
      Conversation conversation = Conversation::createNew(QStringLiteral("spoken"));
      conversation.sampling.maxNewTokens = 1200;
      conversation.sampling.seed = 11;  // the same reply every run
      QVERIFY(h.store.save(conversation));
      h.window.showConversation(conversation.id);

      // Looked at as each streamed piece arrives (after the window has handled it).
      std::size_t queuedWhileStreaming = 0;
      bool indicatorWhileStreaming = false;
      connect(&h.engine, &EngineController::replyText, speech, [&] {
        queuedWhileStreaming = std::max(queuedWhileStreaming, speech->stats().sentences_queued);
        indicatorWhileStreaming |= speech->isSpeaking() && h.stopButton()->isVisible();
      });
      QSignalSpy finished(&h.engine, &EngineController::replyFinished);
      h.window.findChild<QPlainTextEdit*>(QStringLiteral("messageBox"))
          ->setPlainText(QStringLiteral("Tell me a story."));
      h.window.findChild<QPushButton*>(QStringLiteral("sendButton"))->click();
      QVERIFY(finished.wait(120000));
      const QString reply = finished.at(0).at(1).toString();
      QVERIFY2(queuedWhileStreaming >= 1, "no sentence reached the voice before the reply was complete");
      qInfo("%zu sentence(s) queued for the voice while the reply was still streaming", queuedWhileStreaming);
      QVERIFY(indicatorWhileStreaming);

      QTRY_VERIFY_WITH_TIMEOUT(!speech->isSpeaking(), 240000);
      QVERIFY(!h.stopButton()->isVisible());
      spoken = speech->sentences();
      const SpeechQueueStats stats = speech->stats();
      // The sentences do not depend on how the reply was cut into pieces.
      SpeechTextOptions english;
      english.language = SpeechLanguage::english;
      expectedSentences = prepare_speech(reply.toStdString(), english);
      QCOMPARE(stats.sentences_spoken, spoken.size());
      QCOMPARE(stats.synthesis_errors, std::size_t{0});
      QCOMPARE(stats.output.underruns, std::uint64_t{0});
      deviceRate = speech->outputSampleRate();
      QVERIFY(deviceRate > 0);
      expected = expectedSamples(speech->synthesizer(), spoken, "flite:slt", deviceRate);
      QVERIFY(expected > 0);
      const double played = static_cast<double>(stats.output.samples_played);
      QVERIFY2(std::abs(played - expected) <= 0.01 * expected,
               qPrintable(QStringLiteral("played %1 samples, expected %2").arg(played).arg(expected)));
      qInfo("%zu sentences, %.2f s of speech at %d Hz", spoken.size(), double(expected) / deviceRate, deviceRate);
    }  // the window closes the stream: ALSA completes the recording's header
    QCOMPARE(spoken, expectedSentences);
    QString error;
    const auto captured = linea::test::read_wav(sink_->capture_path(), &error);
    QVERIFY2(captured, qPrintable(error));
    QCOMPARE(captured->sample_rate, deviceRate);
    const double expectedSeconds = static_cast<double>(expected) / deviceRate;
    QVERIFY2(
        std::abs(captured->duration_seconds() - expectedSeconds) <= 0.05 * expectedSeconds,
        qPrintable(
            QStringLiteral("recorded %1 s, synthesised %2 s").arg(captured->duration_seconds()).arg(expectedSeconds)));
    QVERIFY(linea::test::rms(captured->samples) > 0.01);
  }

  void stopButtonSilencesAtOnce() {
    Harness h;
    SpeechController* speech = h.speech();
    speech->setOutputConfig(OutputConfig{});  // the app's own: playback starts after 50 ms of audio
    h.useVoice(QStringLiteral("flite:slt"));
    QString longReply;
    for (int i = 1; i <= 25; ++i) longReply += QStringLiteral("This is sentence number %1 of a long reply. ").arg(i);
    QVERIFY(!h.addConversation(QStringLiteral("long"), {longReply}).isNull());
    QToolButton* speak = h.messageButton(1, "speakButton");
    QVERIFY(speak && speak->isEnabled());
    QVERIFY(!h.stopButton()->isVisible());
    speak->click();
    QVERIFY(speech->isSpeaking());
    QVERIFY(h.stopButton()->isVisible());
    QCOMPARE(h.indicator()->text(), QStringLiteral("Speaking…"));
    QTRY_VERIFY_WITH_TIMEOUT(speech->stats().output.samples_played > 0, 30000);
    QVERIFY(speech->stats().sentences_queued == 25);
    QVERIFY(speech->stats().sentences_spoken < 25);  // most of it still to come

    QElapsedTimer clock;
    clock.start();
    h.stopButton()->click();
    const qint64 tookMs = clock.elapsed();
    QVERIFY2(tookMs < 100, qPrintable(QStringLiteral("stopping took %1 ms").arg(tookMs)));
    qInfo("Stop silenced the speech in %lld ms", static_cast<long long>(tookMs));
    QVERIFY(!speech->isSpeaking());
    QVERIFY(!h.stopButton()->isVisible());
    const SpeechQueueStats stopped = speech->stats();
    QTest::qWait(300);
    QCOMPARE(speech->stats().output.samples_played, stopped.output.samples_played);  // nothing more plays
    QCOMPARE(speech->stats().sentences_spoken, stopped.sentences_spoken);

    // The same message can be spoken again afterwards.
    speak->click();
    QVERIFY(speech->isSpeaking());
    QTRY_VERIFY_WITH_TIMEOUT(speech->stats().output.samples_played > 0, 30000);
    h.stopButton()->click();
    QVERIFY(!speech->isSpeaking());
  }

  void messageAndConversationExportToFiles() {
    Harness h;
    SpeechController* speech = h.speech();
    h.useVoice(QStringLiteral("flite:slt"));
    const QStringList replies = {QStringLiteral("It is **sunny** today. The temperature is 21 degrees."),
                                 QStringLiteral("Tomorrow it will rain, so take an umbrella.")};
    QVERIFY(!h.addConversation(QStringLiteral("Weather: today/tomorrow"), replies).isNull());
    QSignalSpy finished(speech, &SpeechController::exportFinished);
    SpeechExportOptions options;
    options.voice = "flite:slt";

    // One message to WAV.
    QToolButton* exportButton = h.messageButton(1, "exportAudioButton");
    QVERIFY(exportButton && exportButton->isEnabled());
    exportButton->click();
    const QString wavPath = h.dir.filePath(QStringLiteral("reply.wav"));
    QVERIFY(h.answerExportDialog(wavPath, finished));
    QCOMPARE(finished.at(0).at(0).toString(), wavPath);
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    const std::vector<std::string> message = {replies[0].toStdString()};
    const double messageSeconds = render_speech(speech->synthesizer(), message, options).duration_seconds();
    auto probe = linea::test::ffprobe(wavPath);
    QVERIFY2(probe.ok, qPrintable(probe.error));
    QCOMPARE(probe.codec, QStringLiteral("pcm_s16le"));
    QVERIFY2(std::abs(probe.duration - messageSeconds) <= 0.05 * messageSeconds,
             qPrintable(QStringLiteral("%1 s in the file, %2 s synthesised").arg(probe.duration).arg(messageSeconds)));
    QVERIFY(linea::test::volumedetect(wavPath).max_db > -20);
    QVERIFY2(h.indicator()->text().contains(QStringLiteral("reply.wav")), qPrintable(h.indicator()->text()));

    // The whole conversation to MP3: every message, the user's too, in order.
    auto* exportConversation = h.window.findChild<QAction*>(QStringLiteral("exportConversationAudioAction"));
    QVERIFY(exportConversation && exportConversation->isEnabled());
    exportConversation->trigger();
    QFileDialog* dialog = h.exportDialog();
    QVERIFY(dialog);
    QVERIFY2(dialog->selectedFiles().value(0).endsWith(QStringLiteral("Weather_ today_tomorrow.wav")),
             qPrintable(dialog->selectedFiles().value(0)));
    const QString mp3Path = h.dir.filePath(QStringLiteral("conversation.mp3"));
    QVERIFY(h.answerExportDialog(mp3Path, finished));
    QCOMPARE(finished.at(1).at(1).toString(), QString());
    std::vector<std::string> all;
    for (const QString& reply : replies) all.insert(all.end(), {"Tell me something.", reply.toStdString()});
    const double conversationSeconds = render_speech(speech->synthesizer(), all, options).duration_seconds();
    probe = linea::test::ffprobe(mp3Path);
    QVERIFY2(probe.ok, qPrintable(probe.error));
    QCOMPARE(probe.codec, QStringLiteral("mp3"));
    QVERIFY2(
        std::abs(probe.duration - conversationSeconds) <= 0.05 * conversationSeconds,
        qPrintable(QStringLiteral("%1 s in the file, %2 s synthesised").arg(probe.duration).arg(conversationSeconds)));
    QVERIFY(linea::test::volumedetect(mp3Path).max_db > -20);

    // A format Linea cannot write: a dialog names the file and the problem; nothing is written.
    h.messageButton(1, "exportAudioButton")->click();
    const QString aiffPath = h.dir.filePath(QStringLiteral("reply.aiff"));
    QVERIFY(h.answerExportDialog(aiffPath, finished));
    QVERIFY(!finished.at(2).at(1).toString().isEmpty());
    auto* errorBox = h.window.findChild<QMessageBox*>(QStringLiteral("audioExportErrorDialog"));
    QVERIFY(errorBox);
    QVERIFY2(errorBox->text().contains(QStringLiteral("reply.aiff")) &&
                 errorBox->text().contains(QStringLiteral("unsupported audio file extension '.aiff'")),
             qPrintable(errorBox->text()));
    QVERIFY(!QFileInfo::exists(aiffPath));
  }

  void cleanupTestCase() { sink_.reset(); }
};

QTEST_MAIN(TestVoiceInWindow)
#include "test_voice_in_window.moc"
