// Chat prompts: Qwen3, MiniMax-M1 and ChatML against transformers' apply_chat_template output
// (tests/data/tokenizer/chat_templates.json); RWKV G1 against the format its model cards publish
// (model-spec §3.6); and recognising the family from model metadata.
#include "engine/tokenizer/chat_template.h"
#include "tests/engine/tokenizer/golden_cases.h"

#include <QTest>

#include <set>

using namespace linea::tokenizer;

namespace {

struct ChatGolden {
  QString name;
  ChatFamily family;
  std::vector<ChatMessage> messages;
  ChatOptions options;
  std::string expected;
};

std::vector<ChatGolden> read_chat_goldens() {
  std::vector<ChatGolden> goldens;
  const QJsonObject root = linea::test::read_json_object(
      linea::test::sourcePath(QStringLiteral("tests/data/tokenizer/chat_templates.json")));
  for (const QJsonValue& value : root[QStringLiteral("cases")].toArray()) {
    const QJsonObject object = value.toObject();
    ChatGolden golden;
    golden.family = *chat_family_named(object[QStringLiteral("family")].toString().toStdString());
    golden.name =
        object[QStringLiteral("family")].toString() + QLatin1Char(' ') + object[QStringLiteral("name")].toString();
    for (const QJsonValue& entry : object[QStringLiteral("messages")].toArray()) {
      const QJsonObject message = entry.toObject();
      ChatMessage m;
      m.role = message[QStringLiteral("role")].toString().toStdString();
      m.content = message[QStringLiteral("content")].toString().toStdString();
      m.name = message[QStringLiteral("name")].toString().toStdString();
      if (message.contains(QStringLiteral("reasoning_content")))
        m.reasoning_content = message[QStringLiteral("reasoning_content")].toString().toStdString();
      golden.messages.push_back(std::move(m));
    }
    golden.options.add_generation_prompt = object[QStringLiteral("add_generation_prompt")].toBool();
    golden.name += golden.options.add_generation_prompt ? QStringLiteral(" +prompt") : QStringLiteral(" -prompt");
    if (object.contains(QStringLiteral("enable_thinking"))) {
      golden.options.enable_thinking = object[QStringLiteral("enable_thinking")].toBool();
      golden.name += QStringLiteral(" thinking=") + (*golden.options.enable_thinking ? "on" : "off");
    }
    golden.expected = object[QStringLiteral("expected")].toString().toStdString();
    goldens.push_back(std::move(golden));
  }
  return goldens;
}

ChatMessage message(std::string role, std::string content) { return {std::move(role), std::move(content), {}, {}}; }

}  // namespace

class TestChatTemplate : public QObject {
  Q_OBJECT

  std::vector<ChatGolden> goldens_ = read_chat_goldens();

 private slots:
  void matchesTransformers_data() {
    QTest::addColumn<int>("index");
    QVERIFY(goldens_.size() >= 50);
    for (std::size_t i = 0; i < goldens_.size(); ++i)
      QTest::newRow(qPrintable(goldens_[i].name)) << static_cast<int>(i);
  }
  void matchesTransformers() {
    QFETCH(int, index);
    const ChatGolden& golden = goldens_[static_cast<std::size_t>(index)];
    QCOMPARE(render_chat(golden.family, golden.messages, golden.options), golden.expected);
  }

  void everyFamilyIsCovered() {
    std::set<ChatFamily> families;
    for (const ChatGolden& golden : goldens_) families.insert(golden.family);
    QCOMPARE(families, (std::set<ChatFamily>{ChatFamily::chatml, ChatFamily::qwen3, ChatFamily::minimax}));
  }

  void rwkvG1_data() {
    QTest::addColumn<int>("conversation");
    QTest::addColumn<bool>("generationPrompt");
    QTest::addColumn<int>("thinking");  // -1 unset, 0 off, 1 on
    QTest::addColumn<QString>("expected");
    QTest::newRow("single") << 0 << true << -1 << "User: Hi\n\nAssistant:";
    QTest::newRow("thinking opens <think") << 0 << true << 1 << "User: Hi\n\nAssistant: <think";
    QTest::newRow("thinking off is the plain prompt") << 0 << true << 0 << "User: Hi\n\nAssistant:";
    QTest::newRow("system and turns, cleaned")
        << 1 << true << -1
        << "System: Be brief.\n\nUser: Hello\n\nAssistant: Hi!\n\nUser: Poem\nabout\nrivers\n\nAssistant:";
    QTest::newRow("no generation prompt") << 2 << false << -1 << "User: Hi\n\nAssistant: Yo\n\n";
    QTest::newRow("unicode whitespace is stripped") << 3 << true << -1 << "User: text\n\nAssistant:";
  }
  void rwkvG1() {
    QFETCH(int, conversation);
    QFETCH(bool, generationPrompt);
    QFETCH(int, thinking);
    QFETCH(QString, expected);
    const std::vector<std::vector<ChatMessage>> conversations = {
        {message("user", "Hi")},
        {message("system", " Be brief. "), message("user", "Hello"), message("assistant", "Hi!"),
         message("user", "Poem\n\n\nabout\r\n\r\nrivers  ")},
        {message("user", "Hi"), message("assistant", "Yo")},
        {message("user", "\u3000 text \u00a0\n")},
    };
    ChatOptions options;
    options.add_generation_prompt = generationPrompt;
    if (thinking >= 0) options.enable_thinking = thinking == 1;
    QCOMPARE(QString::fromStdString(
                 render_chat(ChatFamily::rwkv_g1, conversations[static_cast<std::size_t>(conversation)], options)),
             expected);
  }

  void unsupportedRolesAreRejected() {
    const std::vector<ChatMessage> tool{message("tool", "42")};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, render_chat(ChatFamily::rwkv_g1, tool));
    const std::vector<ChatMessage> odd{message("narrator", "x")};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, render_chat(ChatFamily::qwen3, odd));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, render_chat(ChatFamily::minimax, odd));
  }

  void familyFromHints_data() {
    QTest::addColumn<QString>("templateText");
    QTest::addColumn<QString>("modelType");
    QTest::addColumn<QString>("tokenizerClass");
    QTest::addColumn<QString>("tokenizerModel");
    QTest::addColumn<QString>("family");
    QTest::newRow("minimax template") << "{{ '<beginning_of_sentence>ai name=assistant\\n' }}"
                                      << ""
                                      << ""
                                      << ""
                                      << "minimax";
    QTest::newRow("qwen3 template") << "<|im_start|>{% if '</think>' in c %}<think>"
                                    << ""
                                    << ""
                                    << ""
                                    << "qwen3";
    QTest::newRow("chatml template") << "{{'<|im_start|>' + message['role']}}"
                                     << ""
                                     << ""
                                     << ""
                                     << "chatml";
    QTest::newRow("rwkv template") << "{{ 'User: ' + m }}{{ '\\n\\nAssistant:' }}"
                                   << ""
                                   << ""
                                   << ""
                                   << "rwkv_g1";
    QTest::newRow("template wins over architecture") << "<|im_start|>"
                                                     << "rwkv7"
                                                     << ""
                                                     << ""
                                                     << "chatml";
    QTest::newRow("unknown template falls back") << "[INST] {{ m }} [/INST]"
                                                 << "minimax_m1"
                                                 << ""
                                                 << ""
                                                 << "minimax";
    QTest::newRow("rwkv7 architecture") << ""
                                        << "rwkv7"
                                        << ""
                                        << ""
                                        << "rwkv_g1";
    QTest::newRow("MiniMax model_type") << ""
                                        << "MiniMaxText01"
                                        << ""
                                        << ""
                                        << "minimax";
    QTest::newRow("qwen3 model_type") << ""
                                      << "qwen3"
                                      << ""
                                      << ""
                                      << "qwen3";
    QTest::newRow("qwen2 model_type") << ""
                                      << "qwen2"
                                      << ""
                                      << ""
                                      << "chatml";
    QTest::newRow("rwkv vocabulary") << ""
                                     << ""
                                     << ""
                                     << "rwkv"
                                     << "rwkv_g1";
    QTest::newRow("Qwen2Tokenizer") << ""
                                    << ""
                                    << "Qwen2Tokenizer"
                                    << ""
                                    << "chatml";
    QTest::newRow("nothing known") << ""
                                   << "llama"
                                   << "LlamaTokenizer"
                                   << "gpt2"
                                   << "";
  }
  void familyFromHints() {
    QFETCH(QString, templateText);
    QFETCH(QString, modelType);
    QFETCH(QString, tokenizerClass);
    QFETCH(QString, tokenizerModel);
    QFETCH(QString, family);
    const ChatTemplateHints hints{templateText.toStdString(), modelType.toStdString(), tokenizerClass.toStdString(),
                                  tokenizerModel.toStdString()};
    const std::optional<ChatFamily> found = detect_chat_family(hints);
    QCOMPARE(found ? QString::fromLatin1(chat_family_name(*found).data()) : QString(), family);
  }

  void namesRoundTrip() {
    for (ChatFamily family : {ChatFamily::chatml, ChatFamily::qwen3, ChatFamily::minimax, ChatFamily::rwkv_g1})
      QCOMPARE(chat_family_named(chat_family_name(family)), std::optional<ChatFamily>(family));
    QVERIFY(!chat_family_named("jinja"));
  }
};

QTEST_APPLESS_MAIN(TestChatTemplate)
#include "test_chat_template.moc"
