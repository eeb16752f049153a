// The bundled default model (resources/models/linea-tiny) in the real window, as on a fresh
// install: it is found where the app looks for it, a scripted conversation of several turns gets a
// reply to each that is non-empty, ends with the model's own end-of-turn token (not cut by the
// length limit) and carries none of the chat format's markers, and with "Speak Replies" on the
// replies are spoken (PortAudio into ALSA's file device under a temporary HOME).
#include "app/gui/chat/chat_view.h"
#include "app/gui/chat/conversation_store.h"
#include "app/gui/engine/engine_controller.h"
#include "app/gui/language_switcher.h"
#include "app/gui/main_window.h"
#include "app/gui/voice/speech_controller.h"
#include "engine/runtime/default_model.h"
#include "tests/audio/audio_test_support.h"

#include <QAction>
#include <QApplication>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace linea::gui;
using linea::audio::OutputConfig;
using linea::audio::SpeechQueueStats;

class TestBundledModelChat : public QObject {
  Q_OBJECT

  std::unique_ptr<linea::test::AlsaFileSink> sink_;

 private slots:
  void initTestCase() {
    sink_ = std::make_unique<linea::test::AlsaFileSink>();  // before PortAudio and QSettings read HOME
    QVERIFY(sink_->ok());
    QCoreApplication::setOrganizationName(QStringLiteral("LineaTest"));
    QCoreApplication::setApplicationName(QStringLiteral("test_bundled_model_chat"));
    QSettings().clear();
  }

  void scriptedConversationGetsSpokenOnFormatReplies() {
    const std::optional<std::filesystem::path> bundled = linea::bundled_default_model();
    QVERIFY2(bundled, "no bundled model where the app looks (LINEA_DEFAULT_MODEL is set by the test's CMake)");

    std::size_t samplesPlayed = 0, sentencesSpoken = 0;
    {
      QTemporaryDir dir;
      LanguageSwitcher languages;
      ConversationStore store{dir.path()};
      EngineController engine;
      MainWindow window{languages, store, engine};
      window.show();
      auto* speech = window.findChild<SpeechController*>();
      QVERIFY(speech);
      OutputConfig fileDevice;  // the file device takes audio as fast as it comes
      fileDevice.prebuffer_seconds = 60;
      fileDevice.ring_seconds = 120;
      speech->setOutputConfig(fileDevice);
      window.findChild<QAction*>(QStringLiteral("speakRepliesAction"))->trigger();
      QVERIFY(speech->settings().speakReplies);

      QSignalSpy loaded(&engine, &EngineController::modelLoaded);
      window.openModel(QString::fromStdString(bundled->string()));
      QVERIFY(loaded.wait(60000));
      Conversation conversation = Conversation::createNew(QStringLiteral("scripted"));
      conversation.sampling.temperature = 0;  // greedy: the same replies every run
      conversation.sampling.maxNewTokens = 96;
      QVERIFY(store.save(conversation));
      window.showConversation(conversation.id);

      const QStringList script = {QStringLiteral("Hello! Who are you?"), QStringLiteral("What colour is a lemon?"),
                                  QStringLiteral("What is the opposite of late?")};
      auto* box = window.findChild<QPlainTextEdit*>(QStringLiteral("messageBox"));
      auto* send = window.findChild<QPushButton*>(QStringLiteral("sendButton"));
      QSignalSpy finished(&engine, &EngineController::replyFinished);
      QSignalSpy failed(&engine, &EngineController::replyFailed);
      for (int turn = 0; turn < script.size(); ++turn) {
        box->setPlainText(script[turn]);
        QTRY_VERIFY_WITH_TIMEOUT(send->isEnabled(), 60000);
        send->click();
        QVERIFY2(finished.wait(120000) || !failed.isEmpty(), "no reply");
        QVERIFY2(failed.isEmpty(), qPrintable(failed.isEmpty() ? QString() : failed.at(0).at(1).toString()));
        const QString reply = finished.at(turn).at(1).toString();
        const auto stats = finished.at(turn).at(2).value<ReplyStats>();
        qInfo("> %s\n< %s  (%lld tokens, %s)", qPrintable(script[turn]), qPrintable(reply),
              static_cast<long long>(stats.replyTokens), qPrintable(stats.stopReason));
        QVERIFY2(!reply.trimmed().isEmpty(), qPrintable(QStringLiteral("turn %1: empty reply").arg(turn)));
        QVERIFY2(stats.stopReason == QStringLiteral("stop_token") || stats.stopReason == QStringLiteral("end of turn"),
                 qPrintable(QStringLiteral("turn %1 ended by %2, not by the model's end of turn")
                                .arg(turn)
                                .arg(stats.stopReason)));
        for (const char* marker : {"<beginning_of_sentence>", "<end_of_sentence>", "<begin_of_document>",
                                   "name=assistant", "name=user", "<image>"})
          QVERIFY2(!reply.contains(QLatin1String(marker)),
                   qPrintable(QStringLiteral("turn %1 holds %2: %3").arg(turn).arg(marker).arg(reply)));
        // Listen to the reply before the next message (a new reply cuts off the one being read).
        QTRY_VERIFY_WITH_TIMEOUT(!speech->isSpeaking(), 120000);
        const SpeechQueueStats heard = speech->stats();  // of this reply
        QVERIFY2(heard.sentences_spoken >= 1 && heard.sentences_spoken == speech->sentences().size(),
                 qPrintable(QStringLiteral("turn %1: %2 of %3 sentences spoken")
                                .arg(turn)
                                .arg(heard.sentences_spoken)
                                .arg(speech->sentences().size())));
        QCOMPARE(heard.synthesis_errors, std::size_t{0});
        sentencesSpoken += heard.sentences_spoken;
        samplesPlayed += heard.output.samples_played;
      }
      const Conversation* saved = store.find(conversation.id);
      QVERIFY(saved);
      QCOMPARE(saved->messages.size(), 2 * script.size());
      for (int i = 0; i < saved->messages.size(); ++i)
        QCOMPARE(saved->messages[i].role, i % 2 == 0 ? ChatMessage::Role::user : ChatMessage::Role::assistant);

    }  // closing the window closes the stream: ALSA completes the recording's header
    QVERIFY(samplesPlayed > 0);
    QString error;
    const auto captured = linea::test::read_wav(sink_->capture_path(), &error);
    QVERIFY2(captured, qPrintable(error));
    QVERIFY(captured->duration_seconds() > 0.5);
    QVERIFY(linea::test::rms(captured->samples) > 0.01);
    qInfo("%zu sentences spoken, %.2f s recorded", sentencesSpoken, captured->duration_seconds());
  }
};

QTEST_MAIN(TestBundledModelChat)
#include "test_bundled_model_chat.moc"
