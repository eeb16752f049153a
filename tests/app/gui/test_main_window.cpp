// The real main window on the offscreen platform: it shows, its structure is there, controls whose
// feature has not arrived are disabled, and switching the language retranslates what is visible.
#include "app/gui/chat/chat_view.h"
#include "app/gui/chat/conversation_store.h"
#include "app/gui/engine/engine_controller.h"
#include "app/gui/language_switcher.h"
#include "app/gui/main_window.h"

#include <QAction>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QApplication>
#include <QLineEdit>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTimer>

using linea::gui::LanguageSwitcher;
using linea::gui::MainWindow;
using namespace linea::gui;

class TestMainWindow : public QObject {
  Q_OBJECT

 private:
  template <typename T>
  static T* child(QWidget& window, const char* name) {
    T* widget = window.findChild<T*>(QString::fromLatin1(name));
    if (!widget) qFatal("widget %s not found", name);
    return widget;
  }

 private slots:
  void showsWithTheProductStructure() {
    LanguageSwitcher languages;
    QTemporaryDir dir;
    ConversationStore store(dir.path());
    EngineController engine;
    MainWindow window(languages, store, engine);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(child<QListView>(window, "conversationList")->isVisible());
    QVERIFY(child<ChatView>(window, "chatView")->isVisible());
    QVERIFY(child<QPlainTextEdit>(window, "messageBox")->isVisible());
    QCOMPARE(child<QLabel>(window, "modelStatus")->text(), QStringLiteral("No model loaded"));
    QVERIFY(!child<QLabel>(window, "backendStatus")->toolTip().isEmpty());
    QCOMPARE(window.windowTitle(), QStringLiteral("Linea"));
  }

  void controlsWithoutAModelAreDisabled() {
    LanguageSwitcher languages;
    QTemporaryDir dir;
    ConversationStore store(dir.path());
    EngineController engine;
    MainWindow window(languages, store, engine);
    window.show();
    for (const char* name : {"sendButton", "attachButton", "newChatButton"})  // need a model
      QVERIFY2(!child<QPushButton>(window, name)->isEnabled(), name);
    QVERIFY(!child<QPlainTextEdit>(window, "messageBox")->isEnabled());
    QVERIFY(window.findChild<QAction*>(QStringLiteral("openModelAction"))->isEnabled());  // the way to a model
  }

  void chineseTranslationChangesVisibleStrings() {
    LanguageSwitcher languages;
    QTemporaryDir dir;
    ConversationStore store(dir.path());
    EngineController engine;
    MainWindow window(languages, store, engine);
    window.show();
    QLabel* status = child<QLabel>(window, "modelStatus");
    QPushButton* send = child<QPushButton>(window, "sendButton");
    QSignalSpy changed(&languages, &LanguageSwitcher::languageChanged);

    QString error;
    QVERIFY2(languages.switchTo(QStringLiteral("zh_CN"), &error), qPrintable(error));
    QCOMPARE(changed.count(), 1);
    QTRY_COMPARE(status->text(), QStringLiteral("未加载模型"));  // LanguageChange is posted
    QCOMPARE(send->text(), QStringLiteral("发送"));
    QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("文件(&F)"));

    QVERIFY2(languages.switchTo(QStringLiteral("de"), &error), qPrintable(error));
    QTRY_COMPARE(status->text(), QStringLiteral("Kein Modell geladen"));
    QCOMPARE(send->text(), QStringLiteral("Senden"));

    QVERIFY(languages.switchTo(QStringLiteral("en"), &error));
    QTRY_COMPARE(status->text(), QStringLiteral("No model loaded"));
    QCOMPARE(send->text(), QStringLiteral("Send"));
  }

  void storedConversationsCanBeBrowsedSearchedAndDeleted() {
    LanguageSwitcher languages;
    QTemporaryDir dir;
    ConversationStore store(dir.path());
    Conversation first = Conversation::createNew(QStringLiteral("Tides"));
    first.messages = {{ChatMessage::Role::user, QStringLiteral("Why are there two tides a day?"), {}},
                      {ChatMessage::Role::assistant, QStringLiteral("Because of the Moon."), {}}};
    Conversation second = Conversation::createNew(QStringLiteral("Bread"));
    second.updated = second.updated.addSecs(60);
    second.messages = {{ChatMessage::Role::user, QStringLiteral("Rye or wheat?"), {}}};
    QVERIFY(store.save(first));
    QVERIFY(store.save(second));

    EngineController engine;
    MainWindow window(languages, store, engine);
    window.show();
    auto* list = child<QListView>(window, "conversationList");
    auto* chat = child<ChatView>(window, "chatView");
    QCOMPARE(list->model()->rowCount(), 2);
    QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("Bread"));  // newest first

    list->setCurrentIndex(list->model()->index(1, 0));
    QCOMPARE(window.currentConversation(), first.id);
    QCOMPARE(chat->messageCount(), 2);

    auto* search = child<QLineEdit>(window, "conversationSearch");
    QVERIFY(search->isEnabled());
    QTest::keyClicks(search, QStringLiteral("moon"));
    QCOMPARE(list->model()->rowCount(), 1);
    search->clear();
    QCOMPARE(list->model()->rowCount(), 2);

    // Delete asks first; answering Yes removes the file and clears the view.
    QTimer::singleShot(0, [] {
      auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
      if (box) box->button(QMessageBox::Yes)->click();
    });
    list->setFocus();
    list->setCurrentIndex(list->model()->index(1, 0));
    QAction* remove = nullptr;
    for (QAction* action : list->actions()) remove = action->shortcut() == QKeySequence::Delete ? action : remove;
    QVERIFY(remove);
    remove->trigger();
    QCOMPARE(store.size(), 1);
    QVERIFY(!store.contains(first.id));
    QVERIFY(!QFile::exists(store.filePath(first.id)));
    // The selection moves to the remaining conversation, and the view follows it.
    QCOMPARE(window.currentConversation(), second.id);
    QCOMPARE(chat->messageCount(), 1);
  }

  void unknownLanguageKeepsTheCurrentOne() {
    LanguageSwitcher languages;
    QVERIFY(languages.switchTo(QStringLiteral("de")));
    QString error;
    QVERIFY(!languages.switchTo(QStringLiteral("tlh"), &error));
    QVERIFY2(error.contains(QStringLiteral("tlh")), qPrintable(error));
    QCOMPARE(languages.current(), QStringLiteral("de"));
    QVERIFY(languages.switchTo(QStringLiteral("en")));
  }

  void bestMatchForSystemLocales_data() {
    QTest::addColumn<QString>("locale");
    QTest::addColumn<QString>("expected");
    QTest::newRow("German Austria") << "de_AT" << "de";
    QTest::newRow("Chinese") << "zh_CN" << "zh_CN";
    QTest::newRow("Chinese Taiwan") << "zh_TW" << "zh_CN";
    QTest::newRow("French") << "fr_FR" << "en";
    QTest::newRow("C") << "C" << "en";
  }
  void bestMatchForSystemLocales() {
    QFETCH(QString, locale);
    QFETCH(QString, expected);
    QCOMPARE(LanguageSwitcher::bestMatch(locale), expected);
  }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
