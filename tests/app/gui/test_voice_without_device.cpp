// The window on a machine without any audio output device: asking it to speak says so once, in the
// status bar's voice indicator (no dialog each time), and exporting a message as audio still works.
#include "app/gui/chat/chat_view.h"
#include "app/gui/chat/conversation_store.h"
#include "app/gui/chat/message_widget.h"
#include "app/gui/engine/engine_controller.h"
#include "app/gui/language_switcher.h"
#include "app/gui/main_window.h"
#include "app/gui/voice/speaking_indicator.h"
#include "app/gui/voice/speech_controller.h"
#include "audio/playback/portaudio_library.h"
#include "tests/audio/audio_test_support.h"

#include <QAction>
#include <QFileDialog>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace linea::gui;

class TestVoiceWithoutDevice : public QObject {
  Q_OBJECT

  QTemporaryDir home_;

 private slots:
  void initTestCase() {
    // ALSA's default PCM points at a sound card that does not exist; nothing else is configured.
    QVERIFY(home_.isValid());
    QFile config(home_.filePath(QStringLiteral(".asoundrc")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("pcm.!default { type hw card 42 }\nctl.!default { type hw card 42 }\n");
    config.close();
    qputenv("HOME", home_.path().toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", home_.path().toLocal8Bit());
    qunsetenv("ALSA_CONFIG_PATH");
    QCoreApplication::setOrganizationName(QStringLiteral("LineaTest"));
    QCoreApplication::setApplicationName(QStringLiteral("test_voice_without_device"));
  }

  void saysSoOnceAndStillExports() {
    {
      linea::audio::PortAudioLibrary library;
      if (!library.output_devices().empty())
        QSKIP("this machine has a real sound card, so 'no output device' cannot be arranged here");
    }
    QTemporaryDir dir;
    LanguageSwitcher languages;
    ConversationStore store(dir.path());
    EngineController engine;
    MainWindow window(languages, store, engine);
    window.show();
    Conversation conversation = Conversation::createNew(QStringLiteral("quiet"));
    conversation.messages.append({ChatMessage::Role::user, QStringLiteral("Hi"), {}});
    conversation.messages.append({ChatMessage::Role::assistant, QStringLiteral("Hello there. No speakers here."), {}});
    QVERIFY(store.save(conversation));
    window.showConversation(conversation.id);

    auto* speech = window.findChild<SpeechController*>();
    auto* indicator = window.findChild<SpeakingIndicator*>();
    auto* chat = window.findChild<ChatView*>(QStringLiteral("chatView"));
    QVERIFY(speech && indicator && chat);
    QVERIFY(!indicator->isVisible());
    QSignalSpy unavailable(speech, &SpeechController::audioOutputUnavailable);
    QToolButton* speak = chat->messageAt(1)->findChild<QToolButton*>(QStringLiteral("speakButton"));
    speak->click();
    QCOMPARE(unavailable.count(), 1);
    QCOMPARE(unavailable.at(0).at(0).toString(), QStringLiteral("no audio output device"));
    QVERIFY(!speech->isSpeaking());
    QVERIFY(indicator->isVisible());
    QCOMPARE(indicator->text(), QStringLiteral("No audio output: speech can only be exported"));
    QVERIFY(!window.findChild<QToolButton*>(QStringLiteral("stopSpeakingButton"))->isVisible());
    QVERIFY(window.findChildren<QMessageBox*>().isEmpty());  // said in the status bar, not in a dialog

    // Asking again, or turning on spoken replies, does not say it again.
    speak->click();
    window.findChild<QAction*>(QStringLiteral("speakRepliesAction"))->trigger();
    speech->beginReply();
    speech->addReplyText(QStringLiteral("A reply. "));
    speech->finishReply();
    QCOMPARE(unavailable.count(), 1);
    QVERIFY(!speech->isSpeaking());

    // Export still works.
    QSignalSpy finished(speech, &SpeechController::exportFinished);
    chat->messageAt(1)->findChild<QToolButton*>(QStringLiteral("exportAudioButton"))->click();
    auto* dialog = window.findChild<QFileDialog*>(QStringLiteral("audioExportFileDialog"));
    QVERIFY(dialog);
    const QString path = dir.filePath(QStringLiteral("reply.opus"));
    dialog->selectFile(path);
    static_cast<QDialog*>(dialog)->accept();  // as the Save button does
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    const auto probe = linea::test::ffprobe(path);
    QVERIFY2(probe.ok, qPrintable(probe.error));
    QCOMPARE(probe.codec, QStringLiteral("opus"));
    QVERIFY(probe.duration > 1.0);
  }
};

QTEST_MAIN(TestVoiceWithoutDevice)
#include "test_voice_without_device.moc"
