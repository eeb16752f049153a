// Documents before a conversation in each chat family: the document turns followed by the chat
// rendered after them read exactly as the whole conversation rendered at once would (so a state
// made from the documents continues correctly), and MiniMax opens its document marker only once.
#include "app/gui/documents/document_prompt.h"

#include <QTest>

#include <vector>

using namespace linea::gui;
using linea::tokenizer::ChatFamily;
using linea::tokenizer::ChatMessage;

Q_DECLARE_METATYPE(ChatFamily)

namespace {

const QList<DocumentPart> kDocuments = {{QStringLiteral("a.md"), QStringLiteral("Alpha text.")},
                                        {QStringLiteral("b.pdf"), QStringLiteral("Beta\fpage two.")}};

std::vector<ChatMessage> chat() { return {{"system", "Be brief.", {}, {}}, {"user", "What does a.md say?", {}, {}}}; }

}  // namespace

class TestDocumentPrompt : public QObject {
  Q_OBJECT

 private slots:
  void documentsThenChatEqualsOneRendering_data() {
    QTest::addColumn<ChatFamily>("family");
    QTest::newRow("chatml") << ChatFamily::chatml;
    QTest::newRow("qwen3") << ChatFamily::qwen3;
    QTest::newRow("rwkv_g1") << ChatFamily::rwkv_g1;
  }

  void documentsThenChatEqualsOneRendering() {
    QFETCH(ChatFamily, family);
    std::vector<ChatMessage> all;
    for (const DocumentPart& document : kDocuments)
      all.push_back(
          {"user", QStringLiteral("Document: %1\n\n%2").arg(document.name, document.text).toStdString(), {}, {}});
    const std::vector<ChatMessage> messages = chat();
    all.insert(all.end(), messages.begin(), messages.end());
    const std::string split = renderDocuments(family, kDocuments) + renderChatAfterDocuments(family, messages);
    QCOMPARE(QString::fromStdString(split), QString::fromStdString(linea::tokenizer::render_chat(family, all)));
  }

  void documentTurnsOpenNoReply() {
    const std::string chatml = renderDocuments(ChatFamily::chatml, kDocuments);
    QCOMPARE(QString::fromStdString(chatml),
             QStringLiteral("<|im_start|>user\nDocument: a.md\n\nAlpha text.<|im_end|>\n"
                            "<|im_start|>user\nDocument: b.pdf\n\nBeta\fpage two.<|im_end|>\n"));
    const std::string rwkv = renderDocuments(ChatFamily::rwkv_g1, kDocuments);
    QVERIFY(!QString::fromStdString(rwkv).contains(QStringLiteral("Assistant:")));
    QVERIFY(QString::fromStdString(rwkv).startsWith(QStringLiteral("User: Document: a.md\nAlpha text.\n\n")));
  }

  void miniMaxOpensItsDocumentOnce() {
    const std::vector<ChatMessage> messages = chat();
    const QString whole = QString::fromStdString(renderDocuments(ChatFamily::minimax, kDocuments) +
                                                 renderChatAfterDocuments(ChatFamily::minimax, messages));
    QVERIFY(
        whole.startsWith(QStringLiteral("<begin_of_document><beginning_of_sentence>user name=user\nDocument: a.md")));
    QCOMPARE(whole.count(QStringLiteral("<begin_of_document>")), 1);
    QVERIFY(whole.endsWith(QStringLiteral("<beginning_of_sentence>ai name=assistant\n")));
    QVERIFY(whole.contains(QStringLiteral("system ai_setting=assistant\nBe brief.")));
  }
};

QTEST_APPLESS_MAIN(TestDocumentPrompt)
#include "test_document_prompt.moc"
