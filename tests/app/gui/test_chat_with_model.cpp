// The real window, the real engine on its thread, and a real model (rwkv.cpp's tiny RWKV-7 from
// ../shared/testdata, byte vocabulary): open the model, send a message and see the reply stream in,
// stop a reply, regenerate, edit and resend, find the conversation after a restart, and get a
// precise error dialog for a corrupted model file.
#include "app/gui/chat/chat_view.h"
#include "app/gui/chat/conversation_store.h"
#include "app/gui/chat/message_widget.h"
#include "app/gui/engine/engine_controller.h"
#include "app/gui/language_switcher.h"
#include "app/gui/main_window.h"
#include "tests/support/testdata.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace linea::gui;

namespace {

const QString kTinyModel = QStringLiteral("rwkv7-tiny/tiny-rwkv-7v0-834K-FP32.bin");

struct Harness {
  QTemporaryDir dir;
  LanguageSwitcher languages;
  ConversationStore store{dir.path()};
  EngineController engine;
  MainWindow window{languages, store, engine};

  QPlainTextEdit* messageBox() { return window.findChild<QPlainTextEdit*>(QStringLiteral("messageBox")); }
  QPushButton* sendButton() { return window.findChild<QPushButton*>(QStringLiteral("sendButton")); }
  ChatView* chat() { return window.findChild<ChatView*>(QStringLiteral("chatView")); }
  QLabel* status() { return window.findChild<QLabel*>(QStringLiteral("modelStatus")); }

  bool loadTinyModel() {
    QSignalSpy loaded(&engine, &EngineController::modelLoaded);
    window.openModel(linea::test::testdataPath(kTinyModel));
    return loaded.wait(30000);
  }

  void send(const QString& text) {
    messageBox()->setPlainText(text);
    sendButton()->click();
  }
};

}  // namespace

class TestChatWithModel : public QObject {
  Q_OBJECT

 private slots:
  void init() { LINEA_REQUIRE_TESTDATA(kTinyModel); }

  void sendStreamsAReplyAndSavesIt() {
    Harness h;
    h.window.show();
    QVERIFY(!h.sendButton()->isEnabled());
    QVERIFY(h.loadTinyModel());
    QVERIFY(h.sendButton()->isEnabled());
    QVERIFY2(h.status()->text().contains(QStringLiteral("tiny-rwkv-7v0-834K-FP32.bin")), qPrintable(h.status()->text()));

    QSignalSpy pieces(&h.engine, &EngineController::replyText);
    QSignalSpy finished(&h.engine, &EngineController::replyFinished);
    h.send(QStringLiteral("Hello"));
    QCOMPARE(h.sendButton()->text(), QStringLiteral("Stop"));
    QVERIFY(h.chat()->isStreaming());
    QVERIFY(finished.wait(60000));
    QVERIFY(pieces.count() >= 1);
    QVERIFY(!h.chat()->isStreaming());
    QCOMPARE(h.sendButton()->text(), QStringLiteral("Send"));

    QCOMPARE(h.store.size(), 1);
    const Conversation& saved = *h.store.find(h.window.currentConversation());
    QCOMPARE(saved.messages.size(), 2);
    QCOMPARE(saved.messages[0].text, QStringLiteral("Hello"));
    QCOMPARE(saved.messages[1].role, ChatMessage::Role::assistant);
    QCOMPARE(saved.messages[1].text, finished.at(0).at(1).toString());
    QCOMPARE(h.chat()->messageCount(), 2);
    const ReplyStats stats = finished.at(0).at(2).value<ReplyStats>();
    QVERIFY(stats.replyTokens > 0);
    QVERIFY(stats.contextTokens > stats.replyTokens);

    // A restart finds the conversation.
    ConversationStore reopened(h.dir.path());
    QCOMPARE(reopened.load(), QStringList());
    QCOMPARE(reopened.size(), 1);
    QCOMPARE(reopened.find(saved.id)->messages.size(), 2);
  }

  void stopEndsAReplyEarly() {
    Harness h;
    h.window.show();
    QVERIFY(h.loadTinyModel());
    // A long reply, stopped as soon as the first text arrives.
    Conversation conversation = Conversation::createNew(QStringLiteral("long"));
    conversation.sampling.maxNewTokens = 100000;
    QVERIFY(h.store.save(conversation));
    h.window.showConversation(conversation.id);
    QSignalSpy pieces(&h.engine, &EngineController::replyText);
    QSignalSpy finished(&h.engine, &EngineController::replyFinished);
    h.send(QStringLiteral("Write forever"));
    QVERIFY(pieces.wait(60000));
    h.sendButton()->click();  // Stop
    QVERIFY(finished.wait(10000));
    const ReplyStats stats = finished.at(0).at(2).value<ReplyStats>();
    QCOMPARE(stats.stopReason, QStringLiteral("cancelled"));
    QVERIFY(stats.replyTokens < 100000);
  }

  void regenerateAndEditReplaceTheRightMessages() {
    Harness h;
    h.window.show();
    QVERIFY(h.loadTinyModel());
    Conversation conversation = Conversation::createNew(QStringLiteral("edit"));
    conversation.sampling.maxNewTokens = 8;
    QVERIFY(h.store.save(conversation));
    h.window.showConversation(conversation.id);
    QSignalSpy finished(&h.engine, &EngineController::replyFinished);
    h.send(QStringLiteral("first question"));
    QVERIFY(finished.wait(60000));
    QCOMPARE(h.store.find(conversation.id)->messages.size(), 2);

    // Regenerate: the last reply is replaced, not added to.
    emit h.chat()->regenerateRequested();
    QVERIFY(finished.wait(60000));
    QCOMPARE(h.store.find(conversation.id)->messages.size(), 2);

    // Edit the question and send: it and everything after it are replaced.
    emit h.chat()->editRequested(0);
    QCOMPARE(h.messageBox()->toPlainText(), QStringLiteral("first question"));
    h.messageBox()->setPlainText(QStringLiteral("better question"));
    h.sendButton()->click();
    QVERIFY(finished.wait(60000));
    const Conversation& edited = *h.store.find(conversation.id);
    QCOMPARE(edited.messages.size(), 2);
    QCOMPARE(edited.messages[0].text, QStringLiteral("better question"));
  }

  void corruptedModelGivesAPreciseErrorDialog() {
    Harness h;
    h.window.show();
    const QString path = h.dir.filePath(QStringLiteral("broken.gguf"));
    {
      QFile file(path);
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write("GGUF\x03\x00\x00\x00", 8);  // a header cut short
    }
    QSignalSpy failed(&h.engine, &EngineController::modelLoadFailed);
    h.window.openModel(path);
    QVERIFY(failed.wait(30000));
    auto* dialog = h.window.findChild<QMessageBox*>(QStringLiteral("modelErrorDialog"));
    QVERIFY(dialog);
    QVERIFY2(dialog->text().contains(QStringLiteral("broken.gguf")), qPrintable(dialog->text()));
    QVERIFY2(dialog->text().contains(failed.at(0).at(1).toString()), qPrintable(dialog->text()));
    QVERIFY(!h.sendButton()->isEnabled());
    QCOMPARE(h.status()->text(), QStringLiteral("No model loaded"));
  }
};

QTEST_MAIN(TestChatWithModel)
#include "test_chat_with_model.moc"
