// The chat view renders Markdown (code stands out), batches a streamed reply into ~30 ms repaints,
// and its message actions do what they say.
#include "app/gui/chat/chat_view.h"
#include "app/gui/chat/markdown_renderer.h"
#include "app/gui/chat/message_widget.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QToolButton>

using namespace linea::gui;

class TestChatView : public QObject {
  Q_OBJECT

 private slots:
  void markdownCodeBlocksAreFixedPitchOnABackground() {
    QTextDocument document;
    renderMarkdown(document, QStringLiteral("# Title\n\nSome `inline` code.\n\n```cpp\nint x = 1;\nreturn x;\n```\n\nAfter."));
    QCOMPARE(codeBlocks(document), QStringList{QStringLiteral("int x = 1;\nreturn x;")});
    bool sawHeading = false, sawCodeBackground = false, sawInlineCode = false;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
      if (block.blockFormat().headingLevel() == 1) sawHeading = block.text() == QLatin1String("Title");
      if (block.text() == QLatin1String("int x = 1;")) {
        sawCodeBackground = block.blockFormat().background().style() != Qt::NoBrush;
        QVERIFY(block.charFormat().fontFixedPitch() || block.begin().fragment().charFormat().fontFixedPitch());
      }
      for (auto it = block.begin(); !it.atEnd(); ++it) {
        if (it.fragment().text() == QLatin1String("inline"))
          sawInlineCode = it.fragment().charFormat().background().style() != Qt::NoBrush;
      }
    }
    QVERIFY(sawHeading);
    QVERIFY(sawCodeBackground);
    QVERIFY(sawInlineCode);
  }

  void streamedPiecesAreBatched() {
    ChatView view;
    view.resize(600, 400);
    view.show();
    view.appendMessage({ChatMessage::Role::user, QStringLiteral("Count to 200"), {}});
    view.beginReply();
    QString expected;
    for (int i = 0; i < 200; ++i) {
      const QString piece = QString::number(i) + QLatin1Char(' ');
      expected += piece;
      view.appendToReply(piece);
    }
    // Nothing is rendered synchronously per piece...
    QCOMPARE(view.replyRenderCount(), 0);
    // ...the timer shows the batch within about one interval.
    QTRY_COMPARE_WITH_TIMEOUT(view.replyRenderCount(), 1, 1000);
    QCOMPARE(view.messageAt(1)->text(), expected);
    view.appendToReply(QStringLiteral("done."));
    view.finishReply();
    QCOMPARE(view.messageAt(1)->text(), expected + QStringLiteral("done."));
    QVERIFY(!view.isStreaming());
    QCOMPARE(view.replyRenderCount(), 2);
  }

  void actionsAreOffWhileStreamingAndRegenerateIsOnTheLastReply() {
    ChatView view;
    view.setMessages({{ChatMessage::Role::system, QStringLiteral("hidden system prompt"), {}},
                      {ChatMessage::Role::user, QStringLiteral("Hi"), {}},
                      {ChatMessage::Role::assistant, QStringLiteral("Hello"), {}}});
    QCOMPARE(view.messageCount(), 2);  // the system prompt is not a chat bubble
    view.show();
    auto button = [&](int index, const char* name) {
      return view.messageAt(index)->findChild<QToolButton*>(QString::fromLatin1(name));
    };
    QVERIFY(button(1, "regenerateButton")->isVisible());
    QVERIFY(!button(0, "regenerateButton")->isVisible());
    QVERIFY(button(0, "editButton")->isVisible());
    QVERIFY(!button(1, "editButton")->isVisible());

    view.appendMessage({ChatMessage::Role::user, QStringLiteral("Again"), {}});
    view.beginReply();
    QVERIFY(!button(0, "copyButton")->isEnabled());
    QVERIFY(!button(1, "regenerateButton")->isVisible());
    view.finishReply();
    QVERIFY(button(0, "copyButton")->isEnabled());
    QTRY_VERIFY(button(3, "regenerateButton")->isVisible());  // widgets added to a shown parent appear queued
  }

  void copyEditAndRegenerateSignals() {
    ChatView view;
    view.setMessages({{ChatMessage::Role::user, QStringLiteral("**bold** question"), {}},
                      {ChatMessage::Role::assistant, QStringLiteral("answer"), {}}});
    view.show();
    QSignalSpy edit(&view, &ChatView::editRequested);
    QSignalSpy regenerate(&view, &ChatView::regenerateRequested);
    view.messageAt(0)->findChild<QToolButton*>(QStringLiteral("copyButton"))->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("**bold** question"));
    view.messageAt(0)->findChild<QToolButton*>(QStringLiteral("editButton"))->click();
    QCOMPARE(edit.count(), 1);
    QCOMPARE(edit.at(0).at(0).toInt(), 0);
    view.messageAt(1)->findChild<QToolButton*>(QStringLiteral("regenerateButton"))->click();
    QCOMPARE(regenerate.count(), 1);
  }

  void messageHeightFollowsItsText() {
    ChatView view;
    view.resize(500, 600);
    view.show();
    view.appendMessage({ChatMessage::Role::assistant, QStringLiteral("one line"), {}});
    const int oneLine = view.messageAt(0)->browser()->height();
    view.messageAt(0)->setText(QStringLiteral("line\n\nline\n\nline\n\nline\n\nline"));
    QVERIFY2(view.messageAt(0)->browser()->height() > 3 * oneLine,
             qPrintable(QStringLiteral("%1 vs %2").arg(view.messageAt(0)->browser()->height()).arg(oneLine)));
  }
};

QTEST_MAIN(TestChatView)
#include "test_chat_view.moc"
